"""Signed, short-lived lti_message_hint values: who launches, and what.

A hint names the user and either a content item (a resource link launch) or
a deep-linking request, and whether the platform offers storage.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

logger = logging.getLogger(__name__)

HINT_MAX_AGE = 300
SALT = "devplatform.lti_message_hint"

RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"


class HintError(Exception):
    """Raised when an lti_message_hint is forged, malformed or expired."""


@dataclass(frozen=True)
class MessageHint:
    """What an lti_message_hint says once its signature is checked."""

    user_key: str
    link_id: str | None
    issued_at: int
    message_type: str = RESOURCE_LINK
    storage: bool = False

    @property
    def deep_link(self) -> bool:
        """Return whether the hint asks for a deep-linking request."""
        return self.message_type == DEEP_LINKING


def issue_hint(
    secret: str, user_key: str, link_id: str, now: int, *, storage: bool = False
) -> str:
    """Return an opaque signed hint for a launch of ``link_id`` by ``user_key``."""
    return _sign(secret, user_key, link_id, RESOURCE_LINK, now, storage)


def issue_deep_link_hint(
    secret: str, user_key: str, now: int, *, storage: bool = False
) -> str:
    """Return an opaque signed hint for a deep-linking request by ``user_key``."""
    return _sign(secret, user_key, None, DEEP_LINKING, now, storage)


def _sign(
    secret: str,
    user_key: str,
    link_id: str | None,
    message_type: str,
    now: int,
    storage: bool,
) -> str:
    """Return the signed payload; ``r`` makes every hint different."""
    serializer = URLSafeSerializer(secret, salt=SALT)
    payload = {
        "u": user_key,
        "l": link_id,
        "m": message_type,
        "s": storage,
        "t": now,
        "r": secrets.token_hex(4),
    }
    return serializer.dumps(payload)


def read_hint(
    secret: str, value: str, now: int, max_age: int = HINT_MAX_AGE
) -> MessageHint:
    """Check the signature and age of a hint and return its contents.

    :raises HintError: if the hint is not ours, malformed or older than max_age.
    """
    serializer = URLSafeSerializer(secret, salt=SALT)
    try:
        payload: Any = serializer.loads(value)
    except BadSignature as e:
        raise HintError("lti_message_hint has a bad signature") from e

    if not isinstance(payload, dict):
        raise HintError("lti_message_hint is malformed")
    user_key, link_id, issued_at = payload.get("u"), payload.get("l"), payload.get("t")
    message_type = payload.get("m", RESOURCE_LINK)
    storage = payload.get("s", False)
    if not (
        isinstance(user_key, str)
        and isinstance(issued_at, int)
        and isinstance(storage, bool)
        and _names_its_target(message_type, link_id)
    ):
        raise HintError("lti_message_hint is malformed")

    if now - issued_at > max_age:
        raise HintError("lti_message_hint has expired")
    if issued_at - now > 60:
        raise HintError("lti_message_hint is issued in the future")

    return MessageHint(user_key, link_id, issued_at, message_type, storage)


def _names_its_target(message_type: Any, link_id: Any) -> bool:
    """A resource link hint names a link; a deep-linking hint names none."""
    if message_type == RESOURCE_LINK:
        return isinstance(link_id, str)
    return message_type == DEEP_LINKING and link_id is None
