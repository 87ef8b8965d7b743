"""The Learn REST call budget behind the X-Rate-Limit-* headers."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

logger = logging.getLogger(__name__)

WINDOW = 24 * 60 * 60


@dataclass(frozen=True)
class RateStatus:
    """The budget as one call sees it."""

    limit: int
    remaining: int
    reset: int
    allowed: bool

    def headers(self) -> dict[str, str]:
        """Return the X-Rate-Limit-* response headers."""
        return {
            "X-Rate-Limit-Limit": str(self.limit),
            "X-Rate-Limit-Remaining": str(self.remaining),
            "X-Rate-Limit-Reset": str(self.reset),
        }


class RateLimiter:
    """A thread-safe budget of ``limit`` calls per 24-hour window.

    The window starts with the first call after start-up or after the limit
    is set, and the budget refills when it ends.
    """

    def __init__(self, limit: int) -> None:
        self._lock = threading.Lock()
        self._limit = limit
        self._remaining = limit
        self._window_start: int | None = None

    @property
    def limit(self) -> int:
        """Return the calls allowed per window."""
        return self._limit

    def consume(self, now: int) -> RateStatus:
        """Spend one call if any is left and return the budget after it."""
        with self._lock:
            if self._window_start is None or now >= self._window_start + WINDOW:
                self._window_start = now
                self._remaining = self._limit

            allowed = self._remaining > 0
            if allowed:
                self._remaining -= 1
            reset = self._window_start + WINDOW - now
            return RateStatus(self._limit, self._remaining, reset, allowed)

    def configure(self, limit: int) -> None:
        """Set a new limit and start a fresh, full window."""
        with self._lock:
            self._limit = limit
            self._remaining = limit
            self._window_start = None
