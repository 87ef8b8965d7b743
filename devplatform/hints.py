"""Signed, short-lived lti_message_hint values naming a user and a content item."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

logger = logging.getLogger(__name__)

HINT_MAX_AGE = 300
SALT = "devplatform.lti_message_hint"


class HintError(Exception):
    """Raised when an lti_message_hint is forged, malformed or expired."""


@dataclass(frozen=True)
class MessageHint:
    """What an lti_message_hint says once its signature is checked."""

    user_key: str
    link_id: str
    issued_at: int


def issue_hint(secret: str, user_key: str, link_id: str, now: int) -> str:
    """Return an opaque signed hint for a launch of ``link_id`` by ``user_key``."""
    serializer = URLSafeSerializer(secret, salt=SALT)
    payload = {"u": user_key, "l": link_id, "t": now, "r": secrets.token_hex(4)}
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
    if not (
        isinstance(user_key, str)
        and isinstance(link_id, str)
        and isinstance(issued_at, int)
    ):
        raise HintError("lti_message_hint is malformed")

    if now - issued_at > max_age:
        raise HintError("lti_message_hint has expired")
    if issued_at - now > 60:
        raise HintError("lti_message_hint is issued in the future")

    return MessageHint(user_key, link_id, issued_at)
