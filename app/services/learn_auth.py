"""Learn REST tokens: two-legged (the application) and three-legged (a user).

- Two-legged: ``client_credentials`` with HTTP Basic (application key and
  secret) against the Learn host of the launch; one token per Learn host.
- Three-legged: the user authorizes the tool in Learn (see ``learn_oauth``);
  the token is kept per (Learn host, user), and renewed with the refresh token
  before it expires. When renewal fails, the user is asked to authorize again.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import current_app

from app.errors import (
    LearnAuthorizationRequiredError,
    LearnNotConfiguredError,
    LearnNotRegisteredError,
    ServiceNotOfferedError,
    TokenRequestError,
)
from app.lti.claims import ONE_TIME_SESSION_TOKEN, Launch
from app.lti.urls import add_query
from app.services.calls import host_of, post_token_request
from app.services.tokens import AccessToken, cache_key, token_cache, token_from_response

logger = logging.getLogger(__name__)

TOKEN_PATH = "/learn/api/public/v1/oauth2/token"
AUTHORIZE_PATH = "/learn/api/public/v1/oauth2/authorizationcode"
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def app_credentials() -> tuple[str, str]:
    """The Developer Portal application key and secret.

    :raises LearnNotConfiguredError: either is not set.
    """
    key = current_app.config.get("LEARN_APP_KEY")
    secret = current_app.config.get("LEARN_APP_SECRET")
    if not key or not secret:
        raise LearnNotConfiguredError("LEARN_APP_KEY and LEARN_APP_SECRET are not set")
    return str(key), str(secret)


def learn_host(launch: Launch) -> str:
    """The Learn site of the launch (``tool_platform.url``), as scheme://host.

    Our application secret is sent there, so only a Blackboard Learn launch
    over https qualifies (http on loopback outside production).
    :raises ServiceNotOfferedError: the launch names no usable Learn site.
    """
    platform = launch.tool_platform
    url = platform.get("url")
    if platform.get("product_family_code") != "BlackboardLearn" or not isinstance(
        url, str
    ):
        raise ServiceNotOfferedError("this launch does not come from Blackboard Learn")

    parts = urlsplit(url)
    production = current_app.config["APP_ENV"] == "production"
    loopback_http = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    if not parts.hostname or (
        parts.scheme != "https" and (production or not loopback_http)
    ):
        raise ServiceNotOfferedError(f"the Learn site URL {url!r} is not https")
    return f"{parts.scheme}://{parts.netloc}"


def one_time_session_token(launch: Launch) -> str | None:
    """The launch's one-time session token, mended when Learn left out the
    ``,<user uuid>`` part (a known Learn bug)."""
    value = launch.claims.get(ONE_TIME_SESSION_TOKEN)
    if not isinstance(value, str) or not value:
        return None
    return value if "," in value else f"{value},{launch.user_id}"


def _token_error(response: requests.Response, host: str) -> Exception:
    text = response.text
    if "not registered with site" in text:
        return LearnNotRegisteredError(
            f"Learn at {host} does not know the tool's application",
            upstream_status=response.status_code,
            excerpt=text,
        )
    if response.status_code == 401:
        return TokenRequestError(
            f"Learn at {host} refused the application key or secret",
            upstream_status=401,
            excerpt=text,
        )
    return TokenRequestError(
        f"Learn at {host} refused the token request ({response.status_code})",
        upstream_status=response.status_code,
        excerpt=text,
    )


def request_learn_token(
    host: str,
    form: dict[str, str],
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    """POST to Learn's token endpoint with the application's Basic auth.

    Learn's documentation puts ``code``, ``redirect_uri`` and ``refresh_token``
    on the query string; they are sent there and repeated in the body.
    """
    url = host + TOKEN_PATH
    if query:
        url = add_query(url, query)
    response = post_token_request(
        url,
        data={**form, **(query or {})},
        auth=app_credentials(),
        headers={"Accept": "application/json"},
    )
    if response.status_code != 200:
        raise _token_error(response, host)
    try:
        body: dict[str, Any] = response.json()
    except ValueError as e:
        raise TokenRequestError(f"Learn at {host} sent no JSON") from e
    return body


class LearnAppTokenSource:
    """The two-legged token of the tool's application on one Learn site."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.key = cache_key("learn-app", host, app_credentials()[0])

    def get(self) -> AccessToken:
        """A fresh token, fetched once for every worker."""
        return token_cache.get_or_fetch(self.key, self._fetch)

    def evict(self, token: AccessToken) -> None:
        """Forget ``token``: Learn refused it."""
        token_cache.evict(self.key, token)

    def _fetch(self, previous: AccessToken | None) -> AccessToken:
        body = request_learn_token(self.host, {"grant_type": "client_credentials"})
        token = token_from_response(body)
        logger.info(
            "fetched Learn application token host=%s expires_in=%ds",
            self.host,
            int(token.expires_at - time.time()),
        )
        return token


class LearnUserTokenSource:
    """A user's three-legged token on one Learn site, refreshed as needed."""

    def __init__(self, host: str, user_id: str, redirect_uri: str) -> None:
        self.host = host
        self.user_id = user_id
        self.redirect_uri = redirect_uri
        self.key = cache_key("learn-user", host, app_credentials()[0], user_id)

    def _keep(self) -> float:
        return float(current_app.config["LEARN_REFRESH_TOKEN_TTL"])

    def get(self) -> AccessToken:
        """The user's token, refreshed when it has expired.

        :raises LearnAuthorizationRequiredError: no token, or renewal failed.
        """
        return token_cache.get_or_fetch(self.key, self._refresh, keep=self._keep())

    def evict(self, token: AccessToken) -> None:
        """Mark the access token unusable, keeping its refresh token."""
        cached = token_cache.load(self.key)
        if cached is not None and cached.access_token == token.access_token:
            stale = AccessToken(
                access_token=cached.access_token,
                expires_at=0,
                scopes=cached.scopes,
                refresh_token=cached.refresh_token,
                user_id=cached.user_id,
            )
            token_cache.store(self.key, stale, keep=self._keep())

    def store(self, token: AccessToken) -> None:
        """Keep a token obtained by the authorization code exchange."""
        token_cache.store(self.key, token, keep=self._keep())

    def _refresh(self, previous: AccessToken | None) -> AccessToken:
        if previous is None or not previous.refresh_token:
            raise LearnAuthorizationRequiredError(
                "no Learn authorization for this user"
            )
        try:
            body = request_learn_token(
                self.host,
                {"grant_type": "refresh_token"},
                {
                    "refresh_token": previous.refresh_token,
                    "redirect_uri": self.redirect_uri,
                },
            )
        except TokenRequestError as e:
            token_cache.forget(self.key)
            logger.info(
                "Learn refresh failed host=%s (%s); asking the user again",
                self.host,
                e.upstream_status,
            )
            raise LearnAuthorizationRequiredError(
                "the Learn authorization has expired"
            ) from e
        token = token_from_response(body)
        if token.refresh_token is None:
            # Learn may keep the old refresh token valid and not send a new one.
            token = AccessToken(
                token.access_token,
                token.expires_at,
                token.scopes,
                previous.refresh_token,
                token.user_id or previous.user_id,
            )
        logger.info("refreshed Learn user token host=%s", host_of(self.host))
        return token
