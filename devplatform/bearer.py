"""Read and check ``Authorization: Bearer`` tokens on service calls."""

from __future__ import annotations

import logging

from .accesstokens import AccessToken, TokenKind
from .state import Platform

logger = logging.getLogger(__name__)

PREFIX = "Bearer "


def read_bearer(header: str | None) -> str | None:
    """Return the token of a ``Bearer <token>`` header (case-sensitive), or None."""
    if not header or not header.startswith(PREFIX):
        return None
    token = header[len(PREFIX) :].strip()
    return token or None


def authenticate(
    platform: Platform, header: str | None, kind: TokenKind
) -> AccessToken | None:
    """Return the live token of ``kind`` that ``header`` carries, or None."""
    value = read_bearer(header)
    if value is None:
        return None
    return platform.tokens.find(value, kind, platform.clock())
