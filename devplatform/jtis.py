"""Single-use ids (assertion ``jti``, response ``nonce``) kept until they expire."""

from __future__ import annotations

import logging
import threading

logger = logging.getLogger(__name__)


class JtiRegistry:
    """Thread-safe record of used jti values, each kept until its ``exp``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, int] = {}

    def use(self, jti: str, exp: int, now: int) -> bool:
        """Record ``jti`` as used; return False if it was already used."""
        with self._lock:
            self._purge(now)
            if jti in self._seen:
                return False
            self._seen[jti] = exp
            return True

    def seen(self, jti: str, now: int) -> bool:
        """Return whether ``jti`` was used and is still remembered."""
        with self._lock:
            self._purge(now)
            return jti in self._seen

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)

    def _purge(self, now: int) -> None:
        """Forget jtis whose assertion has expired; the caller holds the lock."""
        expired = [jti for jti, exp in self._seen.items() if exp < now]
        for jti in expired:
            del self._seen[jti]
