"""Request counters that tests read through the admin endpoints."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from typing import Any

logger = logging.getLogger(__name__)

COUNTERS = (
    "jwks_requests",
    "auth_requests",
    "auth_errors",
    "id_tokens_issued",
    "login_initiations",
    "lti_token_requests",
    "lti_tokens_issued",
    "learn_token_requests",
    "learn_tokens_issued",
    "nrps_requests",
    "ags_requests",
    "rest_requests",
    "jtis_rejected",
    "tool_jwks_fetches",
    "deep_linking_requests",
    "deep_linking_responses",
    "deep_linking_errors",
)


class Stats:
    """Thread-safe named counters, all starting at zero.

    Besides the plain counters it keeps Learn tokens issued per grant type
    and the header and claims of the last client assertion received.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._by_grant: Counter[str] = Counter()
        self._last_assertion: dict[str, Any] | None = None

    def increment(self, name: str) -> None:
        """Add one to counter ``name``."""
        if name not in COUNTERS:
            raise KeyError(f"unknown counter {name!r}")
        with self._lock:
            self._counts[name] += 1

    def count_learn_token(self, grant_type: str) -> None:
        """Count one Learn token handed out under ``grant_type``."""
        with self._lock:
            self._counts["learn_tokens_issued"] += 1
            self._by_grant[grant_type] += 1

    def record_assertion(self, header: dict[str, Any], claims: dict[str, Any]) -> None:
        """Keep the decoded header and claims of the latest client assertion."""
        with self._lock:
            self._last_assertion = {"header": dict(header), "claims": dict(claims)}

    def snapshot(self) -> dict[str, Any]:
        """Return every counter's current value and the recorded extras."""
        with self._lock:
            values: dict[str, Any] = {name: self._counts[name] for name in COUNTERS}
            values["learn_tokens_by_grant"] = dict(self._by_grant)
            values["last_client_assertion"] = self._last_assertion
        return values

    def reset(self) -> None:
        """Set every counter back to zero and forget the last assertion."""
        with self._lock:
            self._counts.clear()
            self._by_grant.clear()
            self._last_assertion = None
