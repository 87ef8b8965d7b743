"""Outgoing calls with retries: token requests and calls that carry a token.

- Token requests are retried on connection errors, 429 and 5xx.
- Service calls send ``Authorization: Bearer`` (always capitalised, whatever
  ``token_type`` said), renew the token once on 401, and retry 429 and 503
  with a bounded backoff that honours ``Retry-After``.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import current_app

from app.errors import ServiceUnavailableError, TokenRequestError
from app.extensions import http
from app.services.tokens import TokenSource

logger = logging.getLogger(__name__)

RETRY_TOKEN_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_SERVICE_STATUSES = frozenset({429, 503})


def _retries() -> int:
    return int(current_app.config["SERVICE_RETRIES"])


def backoff_seconds(response: requests.Response | None, attempt: int) -> float:
    """How long to wait before retry ``attempt`` (0-based), bounded."""
    ceiling = float(current_app.config["SERVICE_MAX_BACKOFF"])
    retry_after = response.headers.get("Retry-After") if response is not None else None
    if retry_after:
        if retry_after.strip().isdigit():
            return min(float(retry_after), ceiling)
        try:
            when = email.utils.parsedate_to_datetime(retry_after)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return max(0.0, min(when.timestamp() - time.time(), ceiling))
    exponential: float = 0.25 * 2.0**attempt
    return min(exponential + random.uniform(0, 0.1), ceiling)


def host_of(url: str) -> str:
    """Scheme and host of ``url``, for messages and logs (no path or query)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def post_token_request(url: str, **kwargs: Any) -> requests.Response:
    """POST to a token endpoint, retrying transient failures.

    :raises TokenRequestError: the endpoint could not be reached at all.
    """
    for attempt in range(_retries()):
        try:
            response = http.session.post(url, **kwargs)
        except requests.RequestException:
            time.sleep(backoff_seconds(None, attempt))
            continue
        if response.status_code not in RETRY_TOKEN_STATUSES:
            return response
        logger.info(
            "token endpoint %s answered %s; retrying",
            host_of(url),
            response.status_code,
        )
        time.sleep(backoff_seconds(response, attempt))

    # The last attempt: whatever it gives is the answer.
    try:
        return http.session.post(url, **kwargs)
    except requests.RequestException as e:
        raise TokenRequestError(
            f"token endpoint {host_of(url)} unreachable: {type(e).__name__}"
        ) from e


def send_with_token(
    method: str, url: str, token_source: TokenSource, **kwargs: Any
) -> requests.Response:
    """Send a service call with a bearer token; renew once on 401.

    :raises ServiceUnavailableError: unreachable, or 429/503 after retries.
    """
    headers = dict(kwargs.pop("headers", None) or {})
    renewed = False
    attempt = 0
    while True:
        token = token_source.get()
        headers["Authorization"] = f"Bearer {token.access_token}"
        try:
            response = http.session.request(method, url, headers=headers, **kwargs)
        except requests.RequestException as e:
            raise ServiceUnavailableError(
                f"{method} {host_of(url)} failed: {type(e).__name__}"
            ) from e

        if response.status_code == 401 and not renewed:
            logger.info("%s %s answered 401; renewing the token", method, host_of(url))
            token_source.evict(token)
            renewed = True
            continue
        if response.status_code in RETRY_SERVICE_STATUSES:
            if attempt >= _retries():
                raise ServiceUnavailableError(
                    f"{method} {host_of(url)} answered {response.status_code}",
                    upstream_status=response.status_code,
                    excerpt=response.text,
                )
            time.sleep(backoff_seconds(response, attempt))
            attempt += 1
            continue
        return response
