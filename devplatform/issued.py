"""Every secret value the platform has handed out, so tests can look for leaks."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Literal

logger = logging.getLogger(__name__)

SecretKind = Literal[
    "access_token",
    "refresh_token",
    "authorization_code",
    "one_time_session_token",
]
KINDS: tuple[SecretKind, ...] = (
    "access_token",
    "refresh_token",
    "authorization_code",
    "one_time_session_token",
)


class IssuedSecrets:
    """A thread-safe, append-only list of issued values per kind.

    It keeps every value since start-up, expired or not: a dev and test aid
    that grows by one short string per token.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[SecretKind, list[str]] = {kind: [] for kind in KINDS}

    def recorder(self, kind: SecretKind) -> Callable[[str], None]:
        """Return a function that records one value of ``kind``."""

        def record(value: str) -> None:
            with self._lock:
                self._values[kind].append(value)

        return record

    def snapshot(self) -> dict[SecretKind, list[str]]:
        """Return a copy of every recorded value, per kind, oldest first."""
        with self._lock:
            return {kind: list(values) for kind, values in self._values.items()}
