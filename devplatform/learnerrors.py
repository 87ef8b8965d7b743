"""Learn-shaped JSON errors: ``{"status", "message", "extraInfo"}``."""

from __future__ import annotations

import logging
import secrets

from flask import Response, jsonify

logger = logging.getLogger(__name__)

INVALID_BEARER = "Bearer token is invalid"


def learn_error(status: int, message: str) -> Response:
    """Return a Learn error body with a random trace id in ``extraInfo``."""
    trace = secrets.token_hex(16)
    logger.info("Learn error %s (%s): %s", status, trace, message)
    response = jsonify(status=status, message=message, extraInfo=trace)
    response.status_code = status
    if status in (429, 503):
        response.headers["Retry-After"] = "1"
    return response


def invalid_bearer() -> Response:
    """Return Learn's 401 for a missing, unknown, revoked or expired token."""
    response = jsonify(status=401, message=INVALID_BEARER)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response
