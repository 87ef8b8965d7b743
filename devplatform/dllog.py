"""The last deep-linking response received, kept for the admin endpoint."""

from __future__ import annotations

import logging
import threading
from typing import Any

logger = logging.getLogger(__name__)


class DeepLinkLog:
    """Thread-safe record of the latest response, refused or not."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, Any] | None = None

    def record(
        self,
        header: dict[str, Any] | None,
        claims: dict[str, Any] | None,
        error: str | None,
        added: list[str],
    ) -> None:
        """Keep a response's decoded parts, its outcome and the pks it added."""
        entry = {
            "header": header,
            "claims": claims,
            "ok": error is None,
            "error": error,
            "added": list(added),
        }
        with self._lock:
            self._last = entry

    def snapshot(self) -> dict[str, Any]:
        """Return the latest response; every member is null before the first."""
        with self._lock:
            if self._last is None:
                return {
                    "header": None,
                    "claims": None,
                    "ok": None,
                    "error": None,
                    "added": [],
                }
            return dict(self._last)
