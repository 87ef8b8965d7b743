"""Extensions bound to the app with init_app: the shared cache and outgoing HTTP."""

from __future__ import annotations

from typing import Any

import requests
from flask import Flask, current_app
from flask_caching import Cache

cache = Cache()

USER_AGENT = "bb-lti-tool/0.1 (+https://github.com/; LTI 1.3 tool)"


class TimeoutSession(requests.Session):
    """A requests session that never sends a request without a timeout."""

    def __init__(self, timeout: tuple[float, float]) -> None:
        super().__init__()
        self.default_timeout = timeout
        self.headers["User-Agent"] = USER_AGENT

    def request(  # type: ignore[override]
        self, method: str | bytes, url: str | bytes, **kwargs: Any
    ) -> requests.Response:
        """Send a request, with the default timeout unless one is given."""
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, **kwargs)


class Http:
    """Holds one HTTP session per process; bound to the app with init_app."""

    def init_app(self, app: Flask) -> None:
        """Create the session with the app's configured timeouts."""
        timeout = (
            float(app.config["HTTP_CONNECT_TIMEOUT"]),
            float(app.config["HTTP_READ_TIMEOUT"]),
        )
        app.extensions["http"] = TimeoutSession(timeout)

    @property
    def session(self) -> TimeoutSession:
        """The current app's HTTP session."""
        session: TimeoutSession = current_app.extensions["http"]
        return session


http = Http()


def cache_take(key: str) -> Any:
    """Read ``key`` and delete it atomically; None when it was not there."""
    backend: Any = cache.cache
    return backend.take(key)


def cache_add(key: str, value: Any, timeout: int) -> bool:
    """Set ``key`` only when absent, atomically; True when this call set it."""
    backend: Any = cache.cache
    return bool(backend.add(key, value, timeout=timeout))
