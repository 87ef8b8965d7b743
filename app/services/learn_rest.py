"""A small client for the Learn public REST API.

Bearer header on every call, timeouts, Learn's JSON errors turned into
``ServiceError`` (with ``extraInfo``, Learn's trace id, logged for support),
``paging.nextPage`` followed on the same host, and ``X-Rate-Limit-Remaining``
watched: a WARNING when the day's budget runs low.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from flask import current_app

from app.errors import ScopeNotGrantedError, ServiceError
from app.services.calls import send_with_token
from app.services.responses import same_origin_link
from app.services.tokens import TokenSource

logger = logging.getLogger(__name__)

MAX_PAGES = 50


class LearnClient:
    """Calls to one Learn site with one token source (application or user)."""

    def __init__(self, host: str, token_source: TokenSource) -> None:
        self.host = host.rstrip("/")
        self.token_source = token_source

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        """GET a resource; ``path`` starts with ``/learn/api/public/``."""
        return self._json(self._send("GET", self.host + path, params=params))

    def get_all(self, path: str, params: dict[str, str] | None = None) -> list[Any]:
        """GET a collection, following ``paging.nextPage`` to the end."""
        url = self.host + path
        results: list[Any] = []
        for _ in range(MAX_PAGES):
            body = self._json(self._send("GET", url, params=params))
            results += body.get("results", []) if isinstance(body, dict) else []
            next_page = (body.get("paging") or {}).get("nextPage")
            if not next_page:
                return results
            url = same_origin_link(self.host + "/", next_page)
            params = None  # the next page's URL carries its own query
        raise ServiceError(f"Learn: more than {MAX_PAGES} pages at {path}")

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        response = send_with_token(
            method,
            url,
            self.token_source,
            headers={"Accept": "application/json"},
            **kwargs,
        )
        self._watch_rate_limit(response)
        return response

    def _watch_rate_limit(self, response: requests.Response) -> None:
        remaining = response.headers.get("X-Rate-Limit-Remaining", "")
        if not remaining.strip().isdigit():
            return
        threshold = int(current_app.config["LEARN_RATE_LIMIT_WARNING"])
        if int(remaining) < threshold:
            logger.warning(
                "Learn REST budget low host=%s remaining=%s limit=%s reset=%s",
                self.host,
                remaining,
                response.headers.get("X-Rate-Limit-Limit", "?"),
                response.headers.get("X-Rate-Limit-Reset", "?"),
            )

    def _json(self, response: requests.Response) -> Any:
        if response.ok:
            try:
                return response.json()
            except ValueError as e:
                raise ServiceError("Learn sent an answer that is not JSON") from e

        try:
            body = response.json()
        except ValueError:
            body = {}
        message = body.get("message") if isinstance(body, dict) else None
        extra_info = body.get("extraInfo") if isinstance(body, dict) else None
        logger.warning(
            "Learn REST error host=%s status=%s extraInfo=%s message=%s",
            self.host,
            response.status_code,
            extra_info,
            (message or "")[:200],
        )
        error_class = (
            ScopeNotGrantedError if response.status_code == 403 else ServiceError
        )
        raise error_class(
            f"Learn answered {response.status_code}: {message or 'no message'}",
            upstream_status=response.status_code,
            excerpt=response.text,
        )
