"""Deep Linking 2.0: the signed response that places content in the course.

The tool answers an ``LtiDeepLinkingRequest`` with a JWT signed by its current
key (``kid`` in the header): ``iss`` is the client id, ``aud`` the platform's
issuer, ``iat``/``exp`` are integers, the ``nonce`` is fresh, and ``data`` is
echoed unchanged. The browser posts it to ``deep_link_return_url`` in a form
field named ``JWT``.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt

from app.keys import SIGNING_ALGORITHM, get_tool_keys
from app.lti import claims as c
from app.lti.claims import Launch

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
CONTENT_ITEMS = DL + "content_items"
DATA = DL + "data"
MSG, LOG, ERRORMSG, ERRORLOG = DL + "msg", DL + "log", DL + "errormsg", DL + "errorlog"
RESPONSE_MESSAGE_TYPE = "LtiDeepLinkingResponse"
RESPONSE_LIFETIME = 300


@dataclass(frozen=True)
class DeepLinkingSettings:
    """What the platform accepts back, from the request's settings claim."""

    return_url: str
    accept_types: tuple[str, ...]
    accept_targets: tuple[str, ...]
    accept_multiple: bool
    accept_lineitem: bool
    data: Any
    title: str
    text: str

    @classmethod
    def of(cls, launch: Launch) -> DeepLinkingSettings:
        """Read the (already validated) settings of a deep-linking launch."""
        raw = launch.claims[c.DEEP_LINKING_SETTINGS]
        return cls(
            return_url=str(raw["deep_link_return_url"]),
            accept_types=tuple(raw.get("accept_types") or ()),
            accept_targets=tuple(raw.get("accept_presentation_document_targets") or ()),
            accept_multiple=raw.get("accept_multiple", True) is not False,
            accept_lineitem=raw.get("accept_lineitem", True) is not False,
            data=raw.get("data"),
            title=str(raw.get("title") or ""),
            text=str(raw.get("text") or ""),
        )

    def accepts(self, item_type: str) -> bool:
        """Whether the platform takes content items of ``item_type``."""
        return item_type in self.accept_types


def build_response(
    launch: Launch,
    content_items: list[dict[str, Any]],
    *,
    msg: str | None = None,
    log: str | None = None,
    errormsg: str | None = None,
    errorlog: str | None = None,
    now: float | None = None,
) -> str:
    """Sign the deep-linking response for ``launch``.

    :raises ValueError: several items where the platform accepts one.
    """
    settings = DeepLinkingSettings.of(launch)
    if len(content_items) > 1 and not settings.accept_multiple:
        raise ValueError("the platform accepts one content item only")

    issued_at = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "iss": launch.client_id,
        "aud": launch.issuer,
        "azp": launch.client_id,
        "iat": issued_at,
        "exp": issued_at + RESPONSE_LIFETIME,
        "nonce": secrets.token_urlsafe(24),
        c.DEPLOYMENT_ID: launch.deployment_id,
        c.MESSAGE_TYPE: RESPONSE_MESSAGE_TYPE,
        c.VERSION: c.LTI_VERSION,
        CONTENT_ITEMS: content_items,
    }
    if settings.data is not None:
        claims[DATA] = settings.data
    for claim, value in (
        (MSG, msg),
        (LOG, log),
        (ERRORMSG, errormsg),
        (ERRORLOG, errorlog),
    ):
        if value:
            claims[claim] = value

    key = get_tool_keys().current()
    return jwt.encode(
        claims,
        key.private_key,
        algorithm=SIGNING_ALGORITHM,
        headers={"kid": key.kid, "typ": "JWT"},
    )
