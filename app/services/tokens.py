"""Access tokens cached in the shared cache, fetched once for all workers.

Every token the tool uses (LTI service tokens, Learn REST tokens) goes through
``TokenCache.get_or_fetch``:

- the cache key is a hash of what identifies the token (endpoint, client,
  scopes, and for a user token the Learn host and user), never a secret;
- the lifetime is the token's ``expires_in`` minus a safety margin;
- when the token is missing, one worker fetches it while holding a lock taken
  with the cache's atomic ``add``; the others wait briefly and reuse it. The
  lock expires by itself, so a crashed holder blocks no one for long;
- the token is sealed (encrypted) in the cache.
"""

from __future__ import annotations

import hashlib
import logging
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import current_app

from app.errors import ServiceUnavailableError, TokenRequestError
from app.extensions import cache, cache_add
from app.services.sealing import seal, unseal

logger = logging.getLogger(__name__)

# When a token endpoint gives no expires_in, the token is used this long.
DEFAULT_LIFETIME = 300


@dataclass(frozen=True)
class AccessToken:
    """An OAuth 2 access token and what the tool needs to know about it."""

    access_token: str
    expires_at: float
    scopes: frozenset[str] = field(default_factory=frozenset)
    refresh_token: str | None = None
    user_id: str | None = None

    def is_fresh(self, now: float | None = None) -> bool:
        """Whether the token may still be used."""
        return (time.time() if now is None else now) < self.expires_at

    def to_json(self) -> dict[str, Any]:
        """The token as stored (sealed) in the cache."""
        return {
            "access_token": self.access_token,
            "expires_at": self.expires_at,
            "scopes": sorted(self.scopes),
            "refresh_token": self.refresh_token,
            "user_id": self.user_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AccessToken:
        """Rebuild a token stored with :meth:`to_json`."""
        return cls(
            access_token=str(data["access_token"]),
            expires_at=float(data["expires_at"]),
            scopes=frozenset(data.get("scopes") or ()),
            refresh_token=data.get("refresh_token"),
            user_id=data.get("user_id"),
        )


def token_from_response(
    body: Any, requested_scopes: frozenset[str] = frozenset()
) -> AccessToken:
    """Read a token endpoint's JSON answer (RFC 6749 section 5.1).

    :raises TokenRequestError: the answer has no usable access token.
    """
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
        raise TokenRequestError("the token endpoint answered without an access_token")

    expires_in = body.get("expires_in")
    if not isinstance(expires_in, int | float) or expires_in <= 0:
        logger.warning("token answer has no usable expires_in; using %ss", 300)
        expires_in = DEFAULT_LIFETIME
    margin = min(float(current_app.config["TOKEN_EXPIRY_MARGIN"]), expires_in / 10)

    # An absent scope means the scopes requested were granted (RFC 6749 5.1).
    scope = body.get("scope")
    granted = frozenset(scope.split()) if isinstance(scope, str) else requested_scopes

    return AccessToken(
        access_token=body["access_token"],
        expires_at=time.time() + expires_in - margin,
        scopes=granted,
        refresh_token=body.get("refresh_token")
        if isinstance(body.get("refresh_token"), str)
        else None,
        user_id=str(body["user_id"]) if body.get("user_id") else None,
    )


def cache_key(kind: str, *parts: str) -> str:
    """A cache key for a token, named by a hash of what identifies it."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"token:{kind}:{digest}"


class TokenSource(Protocol):
    """Anything that hands out a token for a service call, and can drop it."""

    def get(self) -> AccessToken:
        """A fresh token."""
        ...

    def evict(self, token: AccessToken) -> None:
        """Forget ``token`` (the service refused it)."""
        ...


Fetch = Callable[[AccessToken | None], AccessToken]


class TokenCache:
    """Tokens in the shared cache, with one fetch at a time per key."""

    def load(self, key: str) -> AccessToken | None:
        """The cached token, fresh or not; None when absent or unreadable."""
        data = unseal(cache.get(key))
        return AccessToken.from_json(data) if data else None

    def store(self, key: str, token: AccessToken, keep: float | None = None) -> None:
        """Cache ``token`` until it expires (or for ``keep`` seconds)."""
        ttl = keep if keep is not None else token.expires_at - time.time()
        cache.set(key, seal(token.to_json()), timeout=max(1, int(ttl)))

    def evict(self, key: str, token: AccessToken) -> None:
        """Drop the cached token if it is still ``token``."""
        cached = self.load(key)
        if cached is not None and cached.access_token == token.access_token:
            cache.delete(key)

    def forget(self, key: str) -> None:
        """Drop whatever is cached under ``key``."""
        cache.delete(key)

    def get_or_fetch(
        self, key: str, fetch: Fetch, keep: float | None = None
    ) -> AccessToken:
        """Return the cached token, or fetch it once for every worker.

        :param fetch: called with the stale token (or None) by the one worker
            that holds the lock; returns the new token.
        :param keep: how long to keep the entry; default until it expires.
        :raises TokenRequestError: the fetch failed.
        :raises ServiceUnavailableError: waiting for another worker timed out.
        """
        token = self.load(key)
        if token is not None and token.is_fresh():
            return token

        lock_timeout = int(current_app.config["TOKEN_LOCK_TIMEOUT"])
        deadline = time.monotonic() + lock_timeout + 5
        owner = secrets.token_hex(8)
        delay = 0.02
        while True:
            if cache_add(f"lock:{key}", owner, lock_timeout):
                try:
                    return self._fetch_locked(key, fetch, keep)
                finally:
                    if cache.get(f"lock:{key}") == owner:
                        cache.delete(f"lock:{key}")

            # Another worker is fetching: wait for its token.
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 1.5, 0.25)
            token = self.load(key)
            if token is not None and token.is_fresh():
                return token
            if time.monotonic() > deadline:
                raise ServiceUnavailableError(
                    "timed out waiting for another worker's token request"
                )

    def _fetch_locked(self, key: str, fetch: Fetch, keep: float | None) -> AccessToken:
        # Another worker may have stored it between our check and the lock.
        previous = self.load(key)
        if previous is not None and previous.is_fresh():
            return previous
        token = fetch(previous)
        self.store(key, token, keep)
        return token


token_cache = TokenCache()
