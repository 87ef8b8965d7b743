"""Request counters that tests read through the admin endpoints."""

from __future__ import annotations

import logging
import threading
from collections import Counter

logger = logging.getLogger(__name__)

COUNTERS = (
    "jwks_requests",
    "auth_requests",
    "auth_errors",
    "id_tokens_issued",
    "login_initiations",
)


class Stats:
    """Thread-safe named counters, all starting at zero."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def increment(self, name: str) -> None:
        """Add one to counter ``name``."""
        if name not in COUNTERS:
            raise KeyError(f"unknown counter {name!r}")
        with self._lock:
            self._counts[name] += 1

    def snapshot(self) -> dict[str, int]:
        """Return every counter's current value."""
        with self._lock:
            return {name: self._counts[name] for name in COUNTERS}

    def reset(self) -> None:
        """Set every counter back to zero."""
        with self._lock:
            self._counts.clear()
