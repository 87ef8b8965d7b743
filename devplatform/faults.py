"""Status codes queued by tests for an endpoint to answer instead of working."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Mapping
from typing import Any

logger = logging.getLogger(__name__)

ENDPOINTS = ("lti_token", "learn_token", "nrps", "rest", "ags")


def parse_faults(body: Any) -> dict[str, list[int]]:
    """Check a ``{"endpoint": [status, ...]}`` document and return it.

    :raises ValueError: naming the unknown endpoint or bad status code.
    """
    if not isinstance(body, Mapping):
        raise ValueError("body must be a JSON object")

    faults: dict[str, list[int]] = {}
    for endpoint, codes in body.items():
        if endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {endpoint!r}, use one of {ENDPOINTS}")
        if not isinstance(codes, list):
            raise ValueError(f"{endpoint} must be a list of status codes")
        for code in codes:
            if type(code) is not int or not 400 <= code <= 599:
                raise ValueError(f"{endpoint}: {code!r} is not a 4xx or 5xx status")
        faults[endpoint] = list(codes)
    return faults


class FaultQueue:
    """Thread-safe queues of status codes, one queue per endpoint."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[int]] = {name: deque() for name in ENDPOINTS}

    def add(self, faults: Mapping[str, list[int]]) -> None:
        """Append status codes to the end of each endpoint's queue."""
        with self._lock:
            for endpoint, codes in faults.items():
                self._queues[endpoint].extend(codes)

    def next(self, endpoint: str) -> int | None:
        """Take the next queued status for ``endpoint``, or None."""
        with self._lock:
            queue = self._queues[endpoint]
            return queue.popleft() if queue else None

    def pending(self) -> dict[str, list[int]]:
        """Return what is still queued, per endpoint."""
        with self._lock:
            return {name: list(queue) for name, queue in self._queues.items()}

    def clear(self) -> None:
        """Empty every queue."""
        with self._lock:
            for queue in self._queues.values():
                queue.clear()
