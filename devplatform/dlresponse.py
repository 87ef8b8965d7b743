"""The checklist a tool's deep-linking response (a signed JWT) must pass."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import jwt

from .contentitems import ContentItem, parse_content_items
from .dlerrors import (
    DataMismatchError,
    ReplayedNonceError,
    ResponseClaimError,
    ResponseTokenError,
    UnknownResponseKeyError,
)
from .dlrequests import DeepLinkRequest, DeepLinkRequests
from .jtis import JtiRegistry
from .toolkeys import ToolKeyError, ToolKeys

logger = logging.getLogger(__name__)

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
CONTENT_ITEMS = DL + "content_items"
DATA = DL + "data"
MESSAGES = ("msg", "log", "errormsg", "errorlog")
FIXED_CLAIMS = (
    ("message_type", "LtiDeepLinkingResponse"),
    ("version", "1.3.0"),
)
ALGORITHM = "RS256"
IAT_LEEWAY = 60


@dataclass(frozen=True)
class ResponseToken:
    """A response JWT split into its parts; not yet verified."""

    token: str
    header: dict[str, Any]
    claims: dict[str, Any]


@dataclass(frozen=True)
class Expectations:
    """What a valid response must say, and the stores it is checked against."""

    client_id: str
    issuer: str
    deployment_id: str
    tool_url: str
    tool_keys: ToolKeys
    nonces: JtiRegistry
    requests: DeepLinkRequests
    now: int


@dataclass(frozen=True)
class DeepLinkResponse:
    """A response that passed every check: its request, items and messages."""

    request: DeepLinkRequest
    items: list[ContentItem]
    messages: dict[str, str]


def parse_response(token: str | None) -> ResponseToken:
    """Split the posted ``JWT`` into header and claims, checking nothing else.

    :raises ResponseTokenError: if it is absent or not a compact JWS of JSON.
    """
    if not token:
        raise ResponseTokenError("the form has no JWT field")
    try:
        parts = jwt.PyJWS().decode_complete(token, options={"verify_signature": False})
        claims = json.loads(parts["payload"])
    except (jwt.InvalidTokenError, ValueError) as e:
        raise ResponseTokenError(f"JWT is not a valid JWT: {e}") from e

    if not isinstance(claims, dict):
        raise ResponseTokenError("the JWT payload is not a JSON object")
    return ResponseToken(token, parts["header"], claims)


def verify_response(response: ResponseToken, expect: Expectations) -> DeepLinkResponse:
    """Check ``response`` rule by rule; nonce and data are spent only if all pass.

    :raises DeepLinkingError: a leaf naming the first failed rule.
    """
    jwk = _check_kid(response.header, expect.tool_keys)
    _check_signature(response.token, jwk)

    claims = response.claims
    _check_issuer(claims, expect.client_id)
    _check_audience(claims, expect.issuer)

    iat, exp = _check_integer_dates(claims)
    _check_not_expired(exp, expect.now)
    _check_not_issued_in_future(iat, expect.now)
    nonce = _check_nonce(claims, expect.nonces, expect.now)

    _check_claim(claims, "deployment_id", expect.deployment_id)
    for name, value in FIXED_CLAIMS:
        _check_claim(claims, name, value)

    data, request = _check_data(claims, expect.requests, expect.now)
    raw_items = _check_items_list(claims)
    messages = _check_messages(claims)
    items = parse_content_items(raw_items, request, expect.tool_url)

    if not expect.nonces.use(nonce, exp, expect.now):
        raise ReplayedNonceError(nonce)
    if not expect.requests.use(data, expect.now):
        raise DataMismatchError("was already used by an earlier response")
    return DeepLinkResponse(request, items, messages)


def _check_kid(header: dict[str, Any], tool_keys: ToolKeys) -> dict[str, Any]:
    """The header uses RS256 and names a kid that the tool JWKS holds."""
    if header.get("alg") != ALGORITHM:
        raise ResponseTokenError(f"alg must be {ALGORITHM}, got {header.get('alg')!r}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise ResponseTokenError("the JWT header has no kid")

    try:
        return tool_keys.find(kid)
    except ToolKeyError as e:
        raise UnknownResponseKeyError(kid, str(e)) from e


def _check_signature(token: str, jwk: dict[str, Any]) -> None:
    """The key is RSA and the signature verifies with it."""
    if jwk.get("kty") != "RSA":
        raise ResponseTokenError(f"key {jwk.get('kid')!r} is not an RSA key")
    try:
        key = jwt.PyJWK(jwk, ALGORITHM)
        jwt.PyJWS().decode_complete(token, key.key, algorithms=[ALGORITHM])
    except jwt.InvalidSignatureError as e:
        raise ResponseTokenError("the JWT signature is invalid") from e
    except jwt.PyJWTError as e:
        raise ResponseTokenError(f"the JWT cannot be verified: {e}") from e


def _check_issuer(claims: dict[str, Any], client_id: str) -> None:
    """iss is the tool's client_id."""
    if claims.get("iss") != client_id:
        raise ResponseClaimError("iss", f"must be the client_id {client_id}")


def _check_audience(claims: dict[str, Any], issuer: str) -> None:
    """aud is the platform's issuer, or a list that contains it."""
    aud = claims.get("aud")
    if aud == issuer or (isinstance(aud, list) and issuer in aud):
        return
    raise ResponseClaimError("aud", f"must be or contain the issuer {issuer}")


def _check_integer_dates(claims: dict[str, Any]) -> tuple[int, int]:
    """iat and exp are present and whole numbers of seconds, not floats."""
    values = []
    for name in ("iat", "exp"):
        value = claims.get(name)
        if value is None:
            raise ResponseClaimError(name, "is missing")
        if type(value) is not int:
            raise ResponseClaimError(name, f"must be an integer, got {value!r}")
        values.append(value)
    return values[0], values[1]


def _check_not_expired(exp: int, now: int) -> None:
    """exp is in the future."""
    if exp <= now:
        raise ResponseClaimError("exp", "is in the past: the response has expired")


def _check_not_issued_in_future(iat: int, now: int) -> None:
    """iat is not later than now, give or take the leeway."""
    if iat > now + IAT_LEEWAY:
        raise ResponseClaimError("iat", "is in the future")


def _check_nonce(claims: dict[str, Any], nonces: JtiRegistry, now: int) -> str:
    """nonce is present and was never used before."""
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise ResponseClaimError("nonce", "is missing")
    if nonces.seen(nonce, now):
        raise ReplayedNonceError(nonce)
    return nonce


def _check_claim(claims: dict[str, Any], name: str, expected: str) -> None:
    """The LTI claim ``name`` has the one value a response may have here."""
    value = claims.get(LTI + name)
    if value != expected:
        raise ResponseClaimError(name, f"must be {expected!r}, got {value!r}")


def _check_data(
    claims: dict[str, Any], requests: DeepLinkRequests, now: int
) -> tuple[str, DeepLinkRequest]:
    """data is, byte for byte, the data of a request not yet answered."""
    data = claims.get(DATA)
    if data is None:
        raise DataMismatchError("is missing: echo the data of the request")
    if not isinstance(data, str):
        raise DataMismatchError("must be the string the request sent, unchanged")

    status, request = requests.find(data, now)
    if status == "used":
        raise DataMismatchError("was already used by an earlier response")
    if request is None:
        raise DataMismatchError(
            "does not match the data of any open deep-linking request"
        )
    return data, request


def _check_items_list(claims: dict[str, Any]) -> list[Any]:
    """content_items is a list; left out, it means nothing was chosen."""
    items = claims.get(CONTENT_ITEMS, [])
    if not isinstance(items, list):
        raise ResponseClaimError("content_items", "must be a list")
    return items


def _check_messages(claims: dict[str, Any]) -> dict[str, str]:
    """msg, log, errormsg and errorlog, when sent, are strings."""
    messages: dict[str, str] = {}
    for name in MESSAGES:
        value = claims.get(DL + name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ResponseClaimError(name, f"must be a string, got {value!r}")
        messages[name] = value
    return messages
