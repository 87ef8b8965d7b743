"""Nonces: issued at login, bound to the login's state, consumed exactly once.

The issued record lives in the shared cache under ``lti:nonce:<hash>``. Using
it sets ``lti:nonce-used:<hash>`` with the cache's atomic ``add``: when two
workers receive the same id_token at the same moment, only one add succeeds,
and the other launch is refused as a replay. Keys hold hashes, never the
values themselves.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import current_app

from app import errors
from app.extensions import cache, cache_add


def fingerprint(value: str) -> str:
    """A SHA-256 hex digest, used to name cache keys after a secret value."""
    return hashlib.sha256(value.encode()).hexdigest()


def remember_nonce(nonce: str, state: str, details: dict[str, Any]) -> None:
    """Record a nonce issued at login, bound to the state of that login."""
    ttl = int(current_app.config["LTI_STATE_TTL"])
    record = {"state": fingerprint(state), **details}
    cache.set(f"lti:nonce:{fingerprint(nonce)}", record, timeout=ttl)


def consume_nonce(nonce: str, state: str) -> dict[str, Any]:
    """Use a nonce once; return the record stored at login.

    :raises NonceReplayedError: it was used already.
    :raises NonceUnknownError: this tool did not issue it, or it has expired.
    :raises NonceMismatchError: it was issued for another state.
    """
    config = current_app.config
    key = fingerprint(nonce)

    record = cache.get(f"lti:nonce:{key}")
    if record is None:
        if cache.get(f"lti:nonce-used:{key}") is not None:
            raise errors.NonceReplayedError("nonce already used")
        raise errors.NonceUnknownError("nonce not issued by this tool, or expired")

    if not hmac.compare_digest(record["state"], fingerprint(state)):
        raise errors.NonceMismatchError("nonce was issued for another login")

    # Kept as long as the issued record could have lived, plus the skew.
    used_ttl = int(config["LTI_STATE_TTL"]) + int(config["LTI_CLOCK_LEEWAY"])
    if not cache_add(f"lti:nonce-used:{key}", 1, used_ttl):
        raise errors.NonceReplayedError("nonce already used")

    cache.delete(f"lti:nonce:{key}")
    result: dict[str, Any] = record
    return result
