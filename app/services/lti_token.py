"""LTI service access tokens: client credentials with a JWT client assertion.

The request follows RFC 7523 as LTI Advantage profiles it: the tool signs a
short-lived JWT (``iss`` = ``sub`` = client id, ``aud`` = the token endpoint,
integer ``iat``/``exp``, a unique ``jti``, the ``kid`` of a key in the tool's
JWKS) and trades it for a bearer token scoped to what the launch offers.
"""

from __future__ import annotations

import logging
import time
import uuid

import jwt
import requests

from app.errors import ScopeNotGrantedError, TokenRequestError
from app.keys import SIGNING_ALGORITHM, get_tool_keys
from app.registry import Registration
from app.services.calls import host_of, post_token_request
from app.services.tokens import AccessToken, cache_key, token_cache, token_from_response

logger = logging.getLogger(__name__)

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME = 300


def build_client_assertion(registration: Registration, now: float | None = None) -> str:
    """The signed JWT that authenticates the tool at the token endpoint."""
    key = get_tool_keys().current()
    issued_at = int(time.time() if now is None else now)
    claims = {
        "iss": registration.client_id,
        "sub": registration.client_id,
        "aud": registration.token_audience,
        "iat": issued_at,
        "exp": issued_at + ASSERTION_LIFETIME,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(
        claims,
        key.private_key,
        algorithm=SIGNING_ALGORITHM,
        headers={"kid": key.kid, "typ": "JWT"},
    )


def _describe_refusal(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if isinstance(body, dict) and body.get("error"):
        description = str(body.get("error_description", ""))[:200]
        return f"{body['error']}: {description}".rstrip(": ")
    return f"HTTP {response.status_code}"


class LtiTokenSource:
    """The LTI access token for a registration and a set of scopes."""

    def __init__(self, registration: Registration, scopes: frozenset[str]) -> None:
        self.registration = registration
        self.scopes = scopes
        self.key = cache_key(
            "lti",
            registration.auth_token_url,
            registration.client_id,
            " ".join(sorted(scopes)),
        )

    def get(self) -> AccessToken:
        """A fresh token, from the cache or fetched once for every worker."""
        return token_cache.get_or_fetch(self.key, self._fetch)

    def evict(self, token: AccessToken) -> None:
        """Forget ``token``: the service refused it."""
        token_cache.evict(self.key, token)

    def require(self, scope: str) -> AccessToken:
        """A token that carries ``scope``.

        :raises ScopeNotGrantedError: the platform granted fewer scopes.
        """
        token = self.get()
        if scope not in token.scopes:
            raise ScopeNotGrantedError(f"the platform did not grant scope {scope}")
        return token

    def _fetch(self, previous: AccessToken | None) -> AccessToken:
        url = self.registration.auth_token_url
        response = post_token_request(
            url,
            data={
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": build_client_assertion(self.registration),
                "scope": " ".join(sorted(self.scopes)),
            },
            headers={"Accept": "application/json"},
        )
        if response.status_code != 200:
            raise TokenRequestError(
                f"token endpoint {host_of(url)} refused: {_describe_refusal(response)}",
                upstream_status=response.status_code,
                excerpt=response.text,
            )
        try:
            body = response.json()
        except ValueError as e:
            raise TokenRequestError(
                f"token endpoint {host_of(url)} sent no JSON"
            ) from e

        token = token_from_response(body, self.scopes)
        missing = self.scopes - token.scopes
        if missing:
            logger.warning(
                "LTI token for client_id=%s lacks scopes %s",
                self.registration.client_id,
                " ".join(sorted(missing)),
            )
        logger.info(
            "fetched LTI access token client_id=%s scopes=%d expires_in=%ds",
            self.registration.client_id,
            len(token.scopes),
            int(token.expires_at - time.time()),
        )
        return token
