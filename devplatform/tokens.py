"""Sign id_tokens with the platform's current key."""

from __future__ import annotations

import logging
from typing import Any

import jwt

from .keys import ALGORITHM, SigningKey

logger = logging.getLogger(__name__)


def encode_id_token(claims: dict[str, Any], key: SigningKey) -> str:
    """Return ``claims`` as a compact RS256 JWS with ``kid`` and ``typ`` set."""
    return jwt.encode(
        claims,
        key.private_key,
        algorithm=ALGORITHM,
        headers={"kid": key.kid, "typ": "JWT"},
    )
