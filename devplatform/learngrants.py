"""The three grants of the Learn REST token endpoint, each returning its answer."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import Any

from .accesstokens import AccessToken
from .grants import OFFLINE, RefreshGrant
from .state import Platform
from .tokenerrors import InvalidGrantError, InvalidRequestError

logger = logging.getLogger(__name__)


def grant_client_credentials(
    platform: Platform, params: Mapping[str, str]
) -> dict[str, Any]:
    """Return the application's one token, new or with the time it has left."""
    now = platform.clock()
    lifetime = platform.runtime.current.token_lifetime
    token, new = platform.tokens.app_token(lifetime, now)
    if new:
        logger.info("issued a new 2-legged Learn token")
    return {
        "access_token": token.value,
        "token_type": "bearer",
        "expires_in": token.expires_in(now),
    }


def grant_authorization_code(
    platform: Platform, params: Mapping[str, str]
) -> dict[str, Any]:
    """Exchange an unused code for a user token (and a refresh token if offline).

    :raises TokenRequestError: for a missing, spent or mismatched code.
    """
    code = _require(params, "code")
    redirect_uri = _require(params, "redirect_uri")
    now = platform.clock()

    grant = platform.codes.take(code, now)
    if grant is None:
        raise InvalidGrantError("authorization code is unknown, used or expired")
    if redirect_uri != grant.request.redirect_uri:
        raise InvalidGrantError("redirect_uri differs from the authorization request")
    if grant.request.code_challenge is not None:
        _check_verifier(params.get("code_verifier"), grant.request.code_challenge)

    return _user_token(
        platform,
        "authorization_code",
        grant.user_uuid,
        grant.request.scopes,
        grant.request.redirect_uri,
    )


def grant_refresh_token(
    platform: Platform, params: Mapping[str, str]
) -> dict[str, Any]:
    """Swap a refresh token for a new access token and a new refresh token.

    :raises TokenRequestError: for an unknown, spent or mismatched refresh token.
    """
    value = params.get("refresh_token", "")
    now = platform.clock()
    grant = platform.refresh_tokens.peek(value, now)
    if grant is None:
        raise InvalidGrantError(None)

    redirect_uri = params.get("redirect_uri")
    if redirect_uri is not None and redirect_uri != grant.redirect_uri:
        raise InvalidGrantError("redirect_uri differs from the authorization request")
    if platform.refresh_tokens.take(value, now) is None:
        raise InvalidGrantError(None)

    return _user_token(
        platform, "refresh_token", grant.user_uuid, grant.scopes, grant.redirect_uri
    )


def _user_token(
    platform: Platform,
    grant_type: str,
    user_uuid: str,
    scopes: tuple[str, ...],
    redirect_uri: str,
) -> dict[str, Any]:
    """Issue a 3-legged token and, with ``offline``, a fresh refresh token."""
    now = platform.clock()
    lifetime = platform.runtime.current.token_lifetime
    token: AccessToken = platform.tokens.issue(
        "learn", grant_type, scopes, lifetime, now, user_uuid
    )
    answer: dict[str, Any] = {
        "access_token": token.value,
        "token_type": "bearer",
        "expires_in": token.expires_in(now),
        "scope": " ".join(scopes),
        "user_id": user_uuid,
    }
    if OFFLINE in scopes:
        answer["refresh_token"] = platform.refresh_tokens.put(
            RefreshGrant(user_uuid, scopes, redirect_uri), now
        )
    logger.info("issued a 3-legged Learn token (%s) for %s", grant_type, user_uuid)
    return answer


def _check_verifier(verifier: str | None, challenge: str) -> None:
    """BASE64URL(SHA256(code_verifier)) without padding equals the challenge."""
    if not verifier:
        raise InvalidGrantError("code_verifier is required for this code")
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    if not hmac.compare_digest(computed, challenge):
        raise InvalidGrantError("code_verifier does not match the code_challenge")


def _require(params: Mapping[str, str], name: str) -> str:
    """Return parameter ``name``, which must be present and non-empty."""
    value = params.get(name)
    if not value:
        raise InvalidRequestError(f"{name} is missing")
    return value
