"""The checklist a client assertion (RFC 7523 JWT) must pass for a token."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import jwt

from .jtis import JtiRegistry
from .tokenerrors import (
    InvalidClientError,
    InvalidRequestError,
    ReplayedJtiError,
    UnknownKeyError,
)
from .toolkeys import ToolKeyError, ToolKeys

logger = logging.getLogger(__name__)

ALGORITHMS = ("RS256", "RS384", "RS512")
IAT_LEEWAY = 60
MAX_LIFETIME = 3600


@dataclass(frozen=True)
class ClientAssertion:
    """A client assertion split into its parts; not yet verified."""

    token: str
    header: dict[str, Any]
    claims: dict[str, Any]


@dataclass(frozen=True)
class Expectations:
    """What a valid assertion must say, and where to check keys and jtis."""

    client_id: str
    audience: str
    tool_keys: ToolKeys
    jtis: JtiRegistry
    now: int


def parse_assertion(token: str) -> ClientAssertion:
    """Split ``token`` into header and claims without checking anything else.

    :raises InvalidRequestError: if it is not a compact JWS with JSON objects.
    """
    try:
        parts = jwt.PyJWS().decode_complete(token, options={"verify_signature": False})
        claims = json.loads(parts["payload"])
    except (jwt.InvalidTokenError, ValueError) as e:
        raise InvalidRequestError(f"client_assertion is not a valid JWT: {e}") from e

    if not isinstance(claims, dict):
        raise InvalidRequestError("client_assertion payload is not a JSON object")
    return ClientAssertion(token, parts["header"], claims)


def verify_assertion(assertion: ClientAssertion, expect: Expectations) -> None:
    """Check ``assertion`` rule by rule; the jti is spent only if all else passes.

    :raises InvalidClientError: a leaf or instance naming the first failed rule.
    """
    algorithm = _check_algorithm(assertion.header)
    jwk = _check_kid(assertion.header, expect.tool_keys)
    key = _check_key(jwk, algorithm)
    _check_signature(assertion.token, key, algorithm)

    claims = assertion.claims
    _check_issuer_and_subject(claims, expect.client_id)
    _check_audience(claims, expect.audience)

    iat, exp = _check_integer_dates(claims)
    _check_not_expired(exp, expect.now)
    _check_not_issued_in_future(iat, expect.now)
    _check_lifetime(iat, exp)

    _check_jti(claims, exp, expect.jtis, expect.now)


def _check_algorithm(header: dict[str, Any]) -> str:
    """The header alg is an RSA signature algorithm."""
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise InvalidClientError(f"alg must be one of {', '.join(ALGORITHMS)}")
    return str(algorithm)


def _check_kid(header: dict[str, Any], tool_keys: ToolKeys) -> dict[str, Any]:
    """The header names a kid that the tool JWKS holds."""
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidClientError("the client_assertion header has no kid")

    try:
        return tool_keys.find(kid)
    except ToolKeyError as e:
        raise UnknownKeyError(kid, str(e)) from e


def _check_key(jwk: dict[str, Any], algorithm: str) -> jwt.PyJWK:
    """The key is RSA and, if it names an alg, names the header's alg."""
    kid = jwk.get("kid")
    if jwk.get("kty") != "RSA":
        raise InvalidClientError(f"key {kid!r} in the tool JWKS is not an RSA key")
    if "alg" in jwk and jwk["alg"] != algorithm:
        raise InvalidClientError(f"alg {algorithm} is not the alg of key {kid!r}")

    try:
        return jwt.PyJWK(jwk, algorithm)
    except jwt.PyJWTError as e:
        raise InvalidClientError(f"key {kid!r} in the tool JWKS is unusable") from e


def _check_signature(token: str, key: jwt.PyJWK, algorithm: str) -> None:
    """The signature verifies with the key under the header's algorithm."""
    try:
        jwt.PyJWS().decode_complete(token, key.key, algorithms=[algorithm])
    except jwt.InvalidSignatureError as e:
        raise InvalidClientError("client_assertion signature is invalid") from e
    except jwt.InvalidTokenError as e:
        raise InvalidClientError(f"client_assertion cannot be verified: {e}") from e


def _check_issuer_and_subject(claims: dict[str, Any], client_id: str) -> None:
    """iss and sub are both the tool's client_id."""
    for name in ("iss", "sub"):
        if claims.get(name) != client_id:
            raise InvalidClientError(f"{name} must be the client_id {client_id}")


def _check_audience(claims: dict[str, Any], audience: str) -> None:
    """aud is the token endpoint URL, or a list that contains it."""
    aud = claims.get("aud")
    if aud == audience or (isinstance(aud, list) and audience in aud):
        return
    raise InvalidClientError(f"aud must be or contain {audience}")


def _check_integer_dates(claims: dict[str, Any]) -> tuple[int, int]:
    """iat and exp are present and whole numbers of seconds, not floats."""
    values = []
    for name in ("iat", "exp"):
        value = claims.get(name)
        if value is None:
            raise InvalidClientError(f"{name} is missing")
        if type(value) is not int:
            raise InvalidClientError(f"{name} must be an integer, got {value!r}")
        values.append(value)
    return values[0], values[1]


def _check_not_expired(exp: int, now: int) -> None:
    """exp is in the future."""
    if exp <= now:
        raise InvalidClientError("client_assertion has expired")


def _check_not_issued_in_future(iat: int, now: int) -> None:
    """iat is not later than now, give or take the leeway."""
    if iat > now + IAT_LEEWAY:
        raise InvalidClientError("iat is in the future")


def _check_lifetime(iat: int, exp: int) -> None:
    """exp - iat is at most an hour."""
    if exp - iat > MAX_LIFETIME:
        raise InvalidClientError(f"exp - iat must be at most {MAX_LIFETIME} seconds")


def _check_jti(claims: dict[str, Any], exp: int, jtis: JtiRegistry, now: int) -> None:
    """jti is present and was never used before."""
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti:
        raise InvalidClientError("jti is missing")
    if not jtis.use(jti, exp, now):
        raise ReplayedJtiError(jti)
