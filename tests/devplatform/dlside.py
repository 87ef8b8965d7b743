"""The tool's side of deep linking in the devplatform tests: signed responses.

Content items and response JWTs built the way the tool builds them, with
defects on demand.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import jwt

from devplatform import DEFAULT_CLIENT_ID, DEFAULT_DEPLOYMENT_ID
from tests.devplatform.toolside import ToolKey

ISSUER = "https://blackboard.com"
TOOL_URL = "http://127.0.0.1:5000"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
DL_SETTINGS = DL + "deep_linking_settings"
CONTENT_ITEMS = DL + "content_items"
DATA = DL + "data"

QUIZ_ITEM: dict[str, Any] = {
    "type": "ltiResourceLink",
    "title": "Quiz 2: Deep linking",
    "text": "Five questions on content items.",
    "url": TOOL_URL + "/lti/launch",
    "custom": {"activity": "quiz-2", "difficulty": "standard"},
    "iframe": {"width": 900, "height": 700},
    "lineItem": {
        "scoreMaximum": 20,
        "label": "Quiz 2: Deep linking",
        "resourceId": "quiz-2",
        "tag": "quiz",
    },
    "available": {
        "startDateTime": "2025-03-01T08:00:00+00:00",
        "endDateTime": "2025-03-08T08:00:00+00:00",
    },
}
WEB_ITEM: dict[str, Any] = {
    "type": "link",
    "title": "The LTI specification",
    "text": "Background reading.",
    "url": "https://www.imsglobal.org/spec/lti/v1p3",
}


def quiz_item(**changes: Any) -> dict[str, Any]:
    """Return a graded ltiResourceLink; ``changes`` replace members (None drops)."""
    return _changed(QUIZ_ITEM, changes)


def web_item(**changes: Any) -> dict[str, Any]:
    """Return a web link item; ``changes`` replace members (None drops)."""
    return _changed(WEB_ITEM, changes)


def _changed(item: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Return a deep copy of ``item`` with ``changes`` applied."""
    result = copy.deepcopy(item)
    for name, value in changes.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


class DeepLinkResponses:
    """Build signed deep-linking responses like the tool, with defects on demand."""

    def __init__(self, key: ToolKey, clock: Callable[[], int]) -> None:
        self.key = key
        self.clock = clock

    def claims(self, data: str | None, items: list[Any]) -> dict[str, Any]:
        """Return valid response claims echoing ``data`` with ``items``."""
        now = self.clock()
        claims: dict[str, Any] = {
            "iss": DEFAULT_CLIENT_ID,
            "aud": ISSUER,
            "azp": DEFAULT_CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": str(uuid.uuid4()),
            LTI + "deployment_id": DEFAULT_DEPLOYMENT_ID,
            LTI + "message_type": "LtiDeepLinkingResponse",
            LTI + "version": "1.3.0",
            CONTENT_ITEMS: items,
        }
        if data is not None:
            claims[DATA] = data
        return claims

    def build(
        self,
        data: str | None,
        items: list[Any] | None = None,
        *,
        changes: dict[str, Any] | None = None,
        drop: Iterable[str] = (),
        key: ToolKey | None = None,
        alg: str = "RS256",
        headers: dict[str, Any] | None = None,
    ) -> str:
        """Return a signed response; ``changes`` replace claims, ``drop`` removes."""
        claims = self.claims(data, [quiz_item()] if items is None else items)
        claims.update(changes or {})
        for name in drop:
            del claims[name]
        signer = key or self.key
        return jwt.encode(
            claims,
            signer.private_key,
            algorithm=alg,
            headers={"kid": signer.kid, **(headers or {})},
        )
