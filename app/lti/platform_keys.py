"""Platform key sets: fetched with a timeout, cached in the shared cache.

- A key set is fetched once and shared by every worker; it is refetched after
  ``LTI_KEY_SET_MAX_AGE`` seconds.
- A kid we have not seen triggers one refetch, at most once per
  ``LTI_KEY_SET_REFETCH_INTERVAL`` per key set, since platforms rotate keys.
- When the key-set URL is down, the keys already cached keep working.
- Parsed keys are kept per process, keyed by the cached key set's version, so
  a launch does not parse JWKs again.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests
from flask import current_app
from jwt import PyJWK, PyJWKError

from app.errors import KeySetUnavailableError, UnknownKeyError
from app.extensions import cache, cache_add, http

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _CachedKeySet:
    version: str
    fetched_at: float
    keys: dict[str, PyJWK]


_parsed: dict[str, _CachedKeySet] = {}
_parsed_lock = threading.Lock()


def _url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def _parse(jwks: Any, url: str) -> dict[str, PyJWK]:
    """Parse the signing keys of a JWKS document by kid."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise KeySetUnavailableError(f"key set at {url} has no 'keys' list")
    keys = {}
    for jwk in jwks["keys"]:
        if not isinstance(jwk, dict) or jwk.get("use", "sig") != "sig":
            continue
        kid = jwk.get("kid")
        if not isinstance(kid, str):
            continue
        try:
            keys[kid] = PyJWK(jwk)
        except PyJWKError as e:
            logger.warning("skipping unusable key %r in key set %s: %s", kid, url, e)
    return keys


def _fetch(url: str) -> dict[str, Any]:
    """Fetch a key set over HTTP; convert every failure to our error."""
    try:
        response = http.session.get(url, headers={"Accept": "application/json"})
        response.raise_for_status()
        jwks = response.json()
    except (requests.RequestException, ValueError) as e:
        raise KeySetUnavailableError(f"cannot fetch key set {url}: {e}") from e

    _parse(jwks, url)
    logger.info("fetched platform key set %s", url)
    return {"jwks": jwks, "fetched_at": time.time(), "version": _version(jwks)}


def _version(jwks: dict[str, Any]) -> str:
    kids = sorted(
        str(k.get("kid")) for k in jwks.get("keys", []) if isinstance(k, dict)
    )
    return hashlib.sha256(repr(kids).encode() + repr(jwks).encode()).hexdigest()[:16]


def _store(url: str, entry: dict[str, Any]) -> None:
    keep = int(current_app.config["LTI_KEY_SET_KEEP"])
    cache.set(f"lti:jwks:{_url_hash(url)}", entry, timeout=keep)


def _parsed_keys(url: str, entry: dict[str, Any]) -> _CachedKeySet:
    """The parsed keys of a cached entry, parsed once per process per version."""
    with _parsed_lock:
        known = _parsed.get(url)
        if known and known.version == entry["version"]:
            return known
    parsed = _CachedKeySet(
        entry["version"], entry["fetched_at"], _parse(entry["jwks"], url)
    )
    with _parsed_lock:
        _parsed[url] = parsed
    return parsed


def _refresh(url: str, cached: dict[str, Any] | None) -> dict[str, Any]:
    """Fetch the key set again; on failure keep what is cached."""
    try:
        entry = _fetch(url)
    except KeySetUnavailableError:
        if cached is None:
            raise
        logger.warning("key set %s unreachable; using the cached copy", url)
        return cached
    _store(url, entry)
    return entry


def get_platform_key(key_set_url: str, kid: str | None) -> PyJWK:
    """Return the platform's public key with ``kid`` from its key set.

    :raises KeySetUnavailableError: nothing cached and the fetch failed.
    :raises UnknownKeyError: the kid is not in the key set, even refetched.
    """
    config = current_app.config
    cached: dict[str, Any] | None = cache.get(f"lti:jwks:{_url_hash(key_set_url)}")

    # Fetch when never fetched or stale; a failed refetch keeps the old copy.
    max_age = float(config["LTI_KEY_SET_MAX_AGE"])
    if cached is None or time.time() - cached["fetched_at"] > max_age:
        cached = _refresh(key_set_url, cached)
    keys = _parsed_keys(key_set_url, cached)

    if kid is None:
        if len(keys.keys) == 1:
            return next(iter(keys.keys.values()))
        raise UnknownKeyError("the id_token has no kid and the key set has several")

    if kid in keys.keys:
        return keys.keys[kid]

    # An unknown kid: the platform may have rotated. Refetch, but rarely.
    interval = int(config["LTI_KEY_SET_REFETCH_INTERVAL"])
    if not cache_add(f"lti:jwks-refetch:{_url_hash(key_set_url)}", 1, interval):
        raise UnknownKeyError(f"kid {kid!r} not in the platform's key set")
    keys = _parsed_keys(key_set_url, _refresh(key_set_url, cached))
    if kid not in keys.keys:
        raise UnknownKeyError(f"kid {kid!r} not in the platform's key set")
    return keys.keys[kid]
