"""The tool's public keys, fetched from its JWKS URL and cached in memory."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import requests

logger = logging.getLogger(__name__)

TIMEOUT = (3.05, 5)


class ToolKeyError(Exception):
    """Raised when no key with the asked kid can be found in the tool JWKS."""


class ToolKeys:
    """A thread-safe cache of the tool JWKS, refetched once on an unknown kid.

    Concurrent requests that miss the cache share one fetch: a request that
    waited while another fetched looks again before fetching itself.
    """

    def __init__(self, url: str, on_fetch: Callable[[], None] | None = None) -> None:
        self.url = url
        self._on_fetch = on_fetch
        self._lock = threading.Lock()
        self._fetch_lock = threading.Lock()
        self._keys: dict[str, dict[str, Any]] = {}
        self._generation = 0

    def find(self, kid: str) -> dict[str, Any]:
        """Return the JWK with ``kid``, fetching the JWKS at most once.

        :raises ToolKeyError: if the kid is unknown or the JWKS unreachable.
        """
        with self._lock:
            jwk = self._keys.get(kid)
            generation = self._generation
        if jwk is not None:
            return jwk

        with self._fetch_lock:
            with self._lock:
                refreshed = self._generation != generation
                jwk = self._keys.get(kid)
            if jwk is None and not refreshed:
                keys = self._fetch()
                with self._lock:
                    self._keys = keys
                    self._generation += 1
                jwk = keys.get(kid)

        if jwk is None:
            raise ToolKeyError(f"kid not in the tool JWKS at {self.url}")
        return jwk

    def refresh(self) -> list[str]:
        """Fetch the JWKS now, as registering the tool does; return its kids.

        :raises ToolKeyError: if the JWKS is unreachable or malformed.
        """
        with self._fetch_lock:
            keys = self._fetch()
            with self._lock:
                self._keys = keys
                self._generation += 1
        return sorted(keys)

    def _fetch(self) -> dict[str, dict[str, Any]]:
        """Download the JWKS and index its keys by kid."""
        if self._on_fetch is not None:
            self._on_fetch()
        try:
            response = requests.get(self.url, timeout=TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as e:
            logger.warning("cannot fetch tool JWKS %s: %s", self.url, e)
            raise ToolKeyError(f"cannot fetch the tool JWKS at {self.url}") from e

        keys = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(keys, list):
            raise ToolKeyError(f"the tool JWKS at {self.url} has no keys list")

        indexed = {
            key["kid"]: key
            for key in keys
            if isinstance(key, dict) and isinstance(key.get("kid"), str)
        }
        logger.info("fetched tool JWKS %s: kids %s", self.url, sorted(indexed))
        return indexed
