"""Issued access tokens (LTI service and Learn REST), with scopes and expiry."""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

logger = logging.getLogger(__name__)

TokenKind = Literal["lti", "learn"]

TOKEN_BYTES = 32


@dataclass(frozen=True)
class AccessToken:
    """One bearer token: what it may do, for whom and until when."""

    value: str
    kind: TokenKind
    grant: str
    scopes: tuple[str, ...]
    expires_at: int
    user_uuid: str | None = None

    def expires_in(self, now: int) -> int:
        """Return the whole seconds left before the token expires."""
        return max(0, self.expires_at - now)


class TokenStore:
    """Thread-safe store of live access tokens.

    Learn keeps one 2-legged token per application, so ``app_token`` hands out
    the same token until it expires; every other grant makes a new one.
    ``on_issue``, if given, is called with each new token value.
    """

    def __init__(self, on_issue: Callable[[str], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, AccessToken] = {}
        self._app_token: AccessToken | None = None
        self._on_issue = on_issue

    def issue(
        self,
        kind: TokenKind,
        grant: str,
        scopes: tuple[str, ...],
        lifetime: int,
        now: int,
        user_uuid: str | None = None,
    ) -> AccessToken:
        """Make, store and return a new token living ``lifetime`` seconds."""
        token = AccessToken(
            secrets.token_urlsafe(TOKEN_BYTES),
            kind,
            grant,
            scopes,
            now + lifetime,
            user_uuid,
        )
        with self._lock:
            self._purge(now)
            self._tokens[token.value] = token
        self._announce(token)
        return token

    def app_token(self, lifetime: int, now: int) -> tuple[AccessToken, bool]:
        """Return the application's 2-legged token and whether it is new."""
        with self._lock:
            current = self._app_token
            if current is not None and current.value in self._tokens:
                if current.expires_at > now:
                    return current, False

            self._purge(now)
            token = AccessToken(
                secrets.token_urlsafe(TOKEN_BYTES),
                "learn",
                "client_credentials",
                (),
                now + lifetime,
            )
            self._tokens[token.value] = token
            self._app_token = token
            self._announce(token)
            return token, True

    def find(self, value: str, kind: TokenKind, now: int) -> AccessToken | None:
        """Return the live token ``value`` of ``kind``, or None."""
        with self._lock:
            token = self._tokens.get(value)
        if token is None or token.kind != kind or token.expires_at <= now:
            return None
        return token

    def revoke_all(self) -> int:
        """Invalidate every access token and return how many were live."""
        with self._lock:
            count = len(self._tokens)
            self._tokens.clear()
            self._app_token = None
        return count

    def _announce(self, token: AccessToken) -> None:
        """Tell ``on_issue`` about a new token."""
        if self._on_issue is not None:
            self._on_issue(token.value)

    def _purge(self, now: int) -> None:
        """Drop expired tokens; the caller holds the lock."""
        expired = [v for v, token in self._tokens.items() if token.expires_at <= now]
        for value in expired:
            del self._tokens[value]
