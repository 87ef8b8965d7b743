"""The checklist a Learn 3-legged authorization code request must pass."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from .course import find_user_by_uuid
from .grants import LEARN_SCOPES, AuthorizationRequest, PendingAuthorization
from .onetime import OneTimeStore
from .runtime import Switches
from .settings import Settings

logger = logging.getLogger(__name__)

ALL = "*"
CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")


class AuthorizationError(Exception):
    """The request cannot be served; shown as a page, never redirected."""


def validate_authorization_request(
    params: Mapping[str, str],
    settings: Settings,
    switches: Switches,
    session_tokens: OneTimeStore[str],
    now: int,
) -> PendingAuthorization:
    """Check ``params`` in order; return the request and its user, if known.

    A valid one-time session token names the user and is spent here.

    :raises AuthorizationError: naming the first failed check.
    """
    _check_client_id(params, settings)
    _check_registered(settings, switches)
    redirect_uri = _check_redirect_uri(params)
    _check_response_type(params)
    scopes = _check_scope(params)
    code_challenge = _check_pkce(params)

    request = AuthorizationRequest(
        redirect_uri, scopes, params.get("state"), code_challenge
    )
    session_token = params.get("one_time_session_token")
    if not session_token:
        return PendingAuthorization(request)

    user_uuid = _spend_session_token(session_token, session_tokens, now)
    return PendingAuthorization(request, user_uuid)


def _check_client_id(params: Mapping[str, str], settings: Settings) -> None:
    """client_id is the Learn application key (not the LTI client id)."""
    client_id = params.get("client_id")
    if client_id == settings.learn_app_key:
        return
    if client_id == settings.client_id:
        raise AuthorizationError(
            "client_id must be the REST application key, not the LTI client id"
        )
    raise AuthorizationError(f"unknown client_id {client_id!r}")


def _check_registered(settings: Settings, switches: Switches) -> None:
    """The site has a REST API Integration for the application."""
    if not switches.learn_app_registered:
        raise AuthorizationError(
            f"Application {settings.learn_app_key} not registered with site "
            f"{settings.url}"
        )


def _check_redirect_uri(params: Mapping[str, str]) -> str:
    """redirect_uri is an absolute http(s) URL without a fragment."""
    redirect_uri = params.get("redirect_uri", "")
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
        raise AuthorizationError(
            f"redirect_uri must be an absolute http(s) URL, got {redirect_uri!r}"
        )
    return redirect_uri


def _check_response_type(params: Mapping[str, str]) -> None:
    """response_type is ``code``."""
    response_type = params.get("response_type")
    if response_type != "code":
        raise AuthorizationError(f"response_type must be 'code', got {response_type!r}")


def _check_scope(params: Mapping[str, str]) -> tuple[str, ...]:
    """scope is ``*`` or space-separated values from read write delete offline."""
    requested = params.get("scope", "").split()
    if not requested:
        raise AuthorizationError("scope is missing")
    if requested == [ALL]:
        return LEARN_SCOPES

    unknown = [scope for scope in requested if scope not in LEARN_SCOPES]
    if unknown:
        raise AuthorizationError(
            f"unknown scope {' '.join(unknown)!r}; use {' '.join(LEARN_SCOPES)} or *"
        )
    return tuple(scope for scope in LEARN_SCOPES if scope in requested)


def _check_pkce(params: Mapping[str, str]) -> str | None:
    """A code_challenge comes with method S256 and looks like a SHA-256 digest."""
    challenge = params.get("code_challenge")
    method = params.get("code_challenge_method")
    if challenge is None and method is None:
        return None

    if method != "S256":
        raise AuthorizationError(f"code_challenge_method must be S256, got {method!r}")
    if challenge is None or not CHALLENGE.fullmatch(challenge):
        raise AuthorizationError(
            "code_challenge must be BASE64URL(SHA256(verifier)) without padding"
        )
    return challenge


def _spend_session_token(
    value: str, session_tokens: OneTimeStore[str], now: int
) -> str:
    """The value is ``<token>,<user uuid>`` for a live token of that user.

    Returns the user's uuid; the token cannot be used again.
    """
    token, comma, claimed_uuid = value.partition(",")
    if not comma:
        raise AuthorizationError(
            "one_time_session_token must be <token>,<user uuid>: the user part is "
            "missing"
        )

    user_uuid = session_tokens.peek(token, now)
    if user_uuid is None:
        raise AuthorizationError("one_time_session_token is unknown, used or expired")
    if claimed_uuid != user_uuid:
        raise AuthorizationError("one_time_session_token names another user")
    if session_tokens.take(token, now) is None:
        raise AuthorizationError("one_time_session_token is unknown, used or expired")
    if find_user_by_uuid(user_uuid) is None:
        raise AuthorizationError("one_time_session_token names an unknown user")
    return user_uuid
