"""Deep-linking requests sent to the tool, remembered by their opaque ``data``.

Learn sends ``data`` in the request's settings claim and expects it back,
unchanged, in the signed response; each value answers one request only.
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass
from typing import Literal

from .course import COURSE, PLACEMENT_ID

logger = logging.getLogger(__name__)

# How long an instructor may take in the tool's picker.
REQUEST_MAX_AGE = 3600
# The course's content folder, where placed items land (it holds _18938_1).
CONTENT_FOLDER = "_18937_1"

Status = Literal["open", "used", "unknown"]


@dataclass(frozen=True)
class DeepLinkRequest:
    """One deep-linking request: its data, its user and what it accepted."""

    data: str
    user_key: str
    accept_types: tuple[str, ...]
    accept_multiple: bool
    accept_lineitem: bool
    issued_at: int


def new_data() -> str:
    """Return a fresh opaque ``data`` value shaped like the ones Learn sends."""
    parts = (
        CONTENT_FOLDER,
        COURSE.pk,
        "-1",
        "false",
        "false",
        PLACEMENT_ID,
        secrets.token_hex(16),
        "false",
        "false",
    )
    return "::".join(parts)


class DeepLinkRequests:
    """Thread-safe record of the requests sent, each answerable once.

    A used request is kept until it expires, so that a replayed ``data``
    is told apart from one the platform never sent.
    """

    def __init__(self, max_age: int = REQUEST_MAX_AGE) -> None:
        self.max_age = max_age
        self._lock = threading.Lock()
        self._requests: dict[str, tuple[DeepLinkRequest, bool]] = {}

    def add(self, request: DeepLinkRequest) -> None:
        """Remember ``request`` as open."""
        with self._lock:
            self._purge(request.issued_at)
            self._requests[request.data] = (request, False)

    def find(self, data: str, now: int) -> tuple[Status, DeepLinkRequest | None]:
        """Return whether ``data`` is open, used or unknown, and its request."""
        with self._lock:
            entry = self._requests.get(data)
        if entry is None or entry[0].issued_at + self.max_age <= now:
            return "unknown", None
        request, used = entry
        return ("used" if used else "open"), request

    def use(self, data: str, now: int) -> bool:
        """Mark ``data`` as answered; False if it was not open any more."""
        with self._lock:
            entry = self._requests.get(data)
            if entry is None or entry[1] or entry[0].issued_at + self.max_age <= now:
                return False
            self._requests[data] = (entry[0], True)
            return True

    def _purge(self, now: int) -> None:
        """Drop expired requests; the caller holds the lock."""
        expired = [
            data
            for data, (request, _) in self._requests.items()
            if request.issued_at + self.max_age <= now
        ]
        for data in expired:
            del self._requests[data]
