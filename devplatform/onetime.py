"""Values kept under random keys that expire and can be taken only once."""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

KEY_BYTES = 32


class OneTimeStore(Generic[T]):
    """A thread-safe map from random keys to values, each usable until taken.

    Backs authorization codes, refresh tokens, one-time session tokens and
    half-finished 3-legged authorizations. Expired entries are dropped when a
    new one is added, so the store stays as small as its live entries.
    ``on_put``, if given, is called with each new key.
    """

    def __init__(
        self, max_age: int, on_put: Callable[[str], None] | None = None
    ) -> None:
        self.max_age = max_age
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[T, int]] = {}
        self._on_put = on_put

    def put(self, value: T, now: int) -> str:
        """Store ``value`` for ``max_age`` seconds and return its new random key."""
        key = secrets.token_urlsafe(KEY_BYTES)
        with self._lock:
            self._purge(now)
            self._entries[key] = (value, now + self.max_age)
        if self._on_put is not None:
            self._on_put(key)
        return key

    def peek(self, key: str, now: int) -> T | None:
        """Return the live value under ``key`` without taking it."""
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or entry[1] <= now:
            return None
        return entry[0]

    def take(self, key: str, now: int) -> T | None:
        """Remove and return the value under ``key``; None if absent or expired."""
        with self._lock:
            entry = self._entries.pop(key, None)
        if entry is None or entry[1] <= now:
            return None
        return entry[0]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _purge(self, now: int) -> None:
        """Drop expired entries; the caller holds the lock."""
        expired = [key for key, (_, until) in self._entries.items() if until <= now]
        for key in expired:
            del self._entries[key]
