"""The Learn REST token endpoint: client_credentials, authorization_code, refresh."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, Response, jsonify, request

from .learngrants import (
    grant_authorization_code,
    grant_client_credentials,
    grant_refresh_token,
)
from .state import Platform, get_platform
from .tokenerrors import (
    InvalidClientError,
    InvalidRequestError,
    NotRegisteredError,
    TokenRequestError,
    UnsupportedGrantTypeError,
    token_error_response,
    token_fault_response,
)

logger = logging.getLogger(__name__)

bp = Blueprint("learntoken", __name__)

Grant = Callable[[Platform, Mapping[str, str]], dict[str, Any]]

GRANTS: dict[str, Grant] = {
    "client_credentials": grant_client_credentials,
    "authorization_code": grant_authorization_code,
    "refresh_token": grant_refresh_token,
}


@bp.post("/learn/api/public/v1/oauth2/token")
def token() -> Response:
    """Authenticate the application with HTTP Basic and run the asked grant.

    Parameters may come on the query string (as Blackboard's samples send
    ``code``, ``redirect_uri`` and ``refresh_token``) or in the form body.
    """
    platform = get_platform()
    platform.stats.increment("learn_token_requests")
    fault = platform.faults.next("learn_token")
    if fault is not None:
        return token_fault_response(fault)

    try:
        _authenticate_client(platform)
        grant_type = request.values.get("grant_type", "")
        grant = _choose_grant(grant_type)
        answer = grant(platform, request.values)
    except TokenRequestError as e:
        logger.warning("refused Learn token: %s: %s", type(e).__name__, e)
        response = token_error_response(e)
        if e.status == 401:
            response.headers["WWW-Authenticate"] = 'Basic realm="Blackboard Learn"'
        return response

    platform.stats.count_learn_token(grant_type)
    response = jsonify(answer)
    response.headers["Cache-Control"] = "no-store"
    return response


def _authenticate_client(platform: Platform) -> None:
    """The Basic credentials are the application key and secret, and registered.

    :raises TokenRequestError: 401 for bad credentials, 400 if not registered.
    """
    settings = platform.settings
    auth = request.authorization
    if auth is None or auth.type != "basic":
        raise InvalidClientError("HTTP Basic authentication is required", status=401)

    key_ok = hmac.compare_digest(
        (auth.username or "").encode(), settings.learn_app_key.encode()
    )
    secret_ok = hmac.compare_digest(
        (auth.password or "").encode(), settings.learn_app_secret.encode()
    )
    if not (key_ok and secret_ok):
        raise InvalidClientError("Invalid client credentials", status=401)

    if not platform.runtime.current.learn_app_registered:
        raise NotRegisteredError(settings.learn_app_key, settings.url)


def _choose_grant(grant_type: str) -> Grant:
    """Return the handler of ``grant_type``."""
    if not grant_type:
        raise InvalidRequestError("grant_type is missing")
    grant = GRANTS.get(grant_type)
    if grant is None:
        raise UnsupportedGrantTypeError(grant_type)
    return grant
