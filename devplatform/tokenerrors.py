"""OAuth 2 token endpoint errors and their JSON answer."""

from __future__ import annotations

import logging

from flask import Response, jsonify

logger = logging.getLogger(__name__)

FAULT_ERRORS = {
    400: "invalid_request",
    401: "invalid_client",
    429: "temporarily_unavailable",
    503: "temporarily_unavailable",
}


class TokenRequestError(Exception):
    """Root of every token request failure.

    ``error`` is the OAuth error code and ``status`` the HTTP status.
    """

    error = "invalid_request"
    status = 400

    def __init__(self, description: str | None) -> None:
        super().__init__(description or self.error)
        self.description = description


class InvalidRequestError(TokenRequestError):
    """A parameter is missing, repeated or malformed."""


class InvalidClientError(TokenRequestError):
    """The client could not be authenticated (credentials or assertion)."""

    error = "invalid_client"

    def __init__(self, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.status = status


class UnknownKeyError(InvalidClientError):
    """The assertion's kid is not in the tool JWKS, even after a refetch."""

    def __init__(self, kid: str, reason: str) -> None:
        super().__init__(
            f"invalid_jwt_token: Failed to get key with kid [{kid}]: {reason}"
        )
        self.kid = kid


class ReplayedJtiError(InvalidClientError):
    """The assertion's jti was used before."""

    def __init__(self, jti: str) -> None:
        super().__init__(f"jti {jti!r} has already been used")
        self.jti = jti


class InvalidGrantError(TokenRequestError):
    """The grant (code, refresh token, grant type) is invalid or used up."""

    error = "invalid_grant"


class UnsupportedGrantTypeError(TokenRequestError):
    """The grant_type is not one this endpoint serves."""

    error = "unsupported_grant_type"

    def __init__(self, grant_type: str) -> None:
        super().__init__(f"grant_type {grant_type!r} is not supported")
        self.grant_type = grant_type


class InvalidScopeError(TokenRequestError):
    """None of the requested scopes can be granted."""

    error = "invalid_scope"


class NotRegisteredError(TokenRequestError):
    """The Learn site has no REST API Integration for the application."""

    def __init__(self, app_key: str, site: str) -> None:
        super().__init__(f"Application {app_key} not registered with site {site}")


def token_error_response(error: TokenRequestError) -> Response:
    """Return ``error`` as ``{"error", "error_description"}`` JSON."""
    body = {"error": error.error}
    if error.description is not None:
        body["error_description"] = error.description
    response = jsonify(body)
    response.status_code = error.status
    response.headers["Cache-Control"] = "no-store"
    return response


def token_fault_response(status: int) -> Response:
    """Return the JSON answer for an injected fault ``status``."""
    error = FAULT_ERRORS.get(status, "server_error")
    response = jsonify(error=error, error_description=f"injected fault {status}")
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status in (429, 503):
        response.headers["Retry-After"] = "1"
    return response
