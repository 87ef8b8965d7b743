"""Exceptions raised while checking a tool's deep-linking response."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


class DeepLinkingError(Exception):
    """Root of every refused deep-linking response; the message is shown."""


class ResponseTokenError(DeepLinkingError):
    """The JWT is missing, malformed, or its key or signature is wrong."""


class UnknownResponseKeyError(ResponseTokenError):
    """The header's kid is not in the tool JWKS (or the JWKS is unreachable)."""

    def __init__(self, kid: str, reason: str) -> None:
        super().__init__(f"kid {kid!r} not found: {reason}")
        self.kid = kid


class ResponseClaimError(DeepLinkingError):
    """A claim is missing or has a value the platform does not accept."""

    def __init__(self, claim: str, problem: str) -> None:
        super().__init__(f"{claim} {problem}")
        self.claim = claim
        self.problem = problem


class ReplayedNonceError(ResponseClaimError):
    """The nonce was already used by an earlier response."""

    def __init__(self, nonce: str) -> None:
        super().__init__("nonce", "was already used")
        self.nonce = nonce


class DataMismatchError(ResponseClaimError):
    """``data`` is not the value of an open request, byte for byte."""

    def __init__(self, problem: str) -> None:
        super().__init__("data", problem)


class ContentItemError(DeepLinkingError):
    """A content item breaks a rule; ``index`` counts from 1."""

    def __init__(self, index: int, problem: str) -> None:
        super().__init__(f"content item {index}: {problem}")
        self.index = index
        self.problem = problem
