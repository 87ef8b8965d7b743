"""Exceptions raised while checking an OIDC authentication request."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


class AuthRequestError(Exception):
    """Root of every authentication request failure.

    ``error`` is the OAuth error code posted back to the tool, and
    ``redirectable`` says whether the error may be sent to redirect_uri at all.
    """

    error = "invalid_request"
    redirectable = True

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class UnknownClientError(AuthRequestError):
    """The client_id is missing or not the registered one."""

    redirectable = False

    def __init__(self, client_id: str | None) -> None:
        super().__init__(f"unknown client_id {client_id!r}")
        self.client_id = client_id


class UnregisteredRedirectError(AuthRequestError):
    """The redirect_uri is not exactly the registered one."""

    redirectable = False

    def __init__(self, redirect_uri: str | None, registered: str) -> None:
        super().__init__(
            f"redirect_uri {redirect_uri!r} is not the registered {registered!r}"
        )
        self.redirect_uri = redirect_uri
        self.registered = registered


class MissingParameterError(AuthRequestError):
    """A required parameter is absent or empty."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is missing")
        self.name = name


class WrongParameterError(AuthRequestError):
    """A parameter does not have the one value LTI allows."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        super().__init__(f"{name} must be {expected!r}, got {value!r}")
        self.name = name
        self.value = value
        self.expected = expected


class UnknownUserError(AuthRequestError):
    """The login_hint names no user of this platform."""

    error = "login_required"

    def __init__(self, login_hint: str) -> None:
        super().__init__(f"login_hint {login_hint!r} names no known user")
        self.login_hint = login_hint


class InvalidMessageHintError(AuthRequestError):
    """The lti_message_hint is forged, expired or does not fit the request."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
