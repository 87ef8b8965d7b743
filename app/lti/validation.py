"""The launch checklist: every check an LTI 1.3 tool must make on an id_token.

``validate_launch`` runs the checks in the order of the Security Framework and
LTI Core, one small function per rule. Each failure raises its own error class
(see ``app.errors``) with a stable code; messages name the claim and never
include the token or a key.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt
from flask import current_app
from jwt import PyJWK

from app import errors
from app.lti import claims as c
from app.lti.nonces import consume_nonce
from app.lti.platform_keys import get_platform_key
from app.registry import ALLOWED_ALGORITHMS, Registration, get_registry

logger = logging.getLogger(__name__)

KeyLookup = Callable[[str, str | None], PyJWK]

MAX_ID_LENGTH = 255


@dataclass(frozen=True)
class VerifiedLaunch:
    """The outcome of a successful validation."""

    registration: Registration
    claims: dict[str, Any]

    @property
    def deployment_id(self) -> str:
        """The verified deployment id."""
        return str(self.claims[c.DEPLOYMENT_ID])


def validate_launch(
    id_token: str | None,
    state: str | None,
    bound_state: str | None,
    *,
    key_lookup: KeyLookup = get_platform_key,
    now: float | None = None,
    message_types: frozenset[str] | None = None,
) -> VerifiedLaunch:
    """Verify a launch POST; return its registration and verified claims.

    :param id_token: the ``id_token`` form field.
    :param state: the ``state`` form field.
    :param bound_state: the state bound to this browser at login (cookie or
        platform storage), or None when none was found.
    :param key_lookup: returns the platform key for (key set URL, kid).
    :param now: the current time; defaults to the clock.
    :param message_types: the message types the tool answers; default all
        that the checklist knows.
    :raises app.errors.LaunchError: one subclass per rule broken.
    """
    config = current_app.config
    now = time.time() if now is None else now
    leeway = int(config["LTI_CLOCK_LEEWAY"])

    _check_state(state, bound_state)

    token = _check_token_present(id_token)
    header = _read_header(token)
    registration = _find_registration(_read_unverified_claims(token))
    algorithm = _check_algorithm(header, registration)

    key = _select_key(header, registration, key_lookup)
    claims = _verify_signature(token, key, algorithm)

    _check_issuer(claims, registration)
    _check_audience(claims, registration)
    _check_authorized_party(claims, registration)
    _check_no_untrusted_audience(claims, registration)

    _check_expiry(claims, now, leeway)
    _check_issued_at(claims, now, leeway, int(config["LTI_ID_TOKEN_MAX_AGE"]))

    _check_nonce(claims, state)

    _check_deployment(claims, registration)
    _check_version(claims)
    _check_message_type(claims, message_types)
    _check_target_link_uri(claims, str(config["TOOL_URL"]))

    return VerifiedLaunch(registration, claims)


def _check_state(state: str | None, bound_state: str | None) -> None:
    """1. The state sent back equals the one bound to this browser."""
    if not state:
        raise errors.StateMissingError("the launch has no state parameter")
    if bound_state is None:
        raise errors.StateMissingError("no state is bound to this browser")
    if not hmac.compare_digest(state.encode(), bound_state.encode()):
        raise errors.StateMismatchError("state differs from the one sent at login")


def _check_token_present(id_token: str | None) -> str:
    """The launch carries an id_token."""
    if not id_token:
        raise errors.MalformedTokenError("the launch has no id_token")
    return id_token


def _read_header(token: str) -> dict[str, Any]:
    """2. The JWT header can be read."""
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError as e:
        raise errors.MalformedTokenError(f"id_token header unreadable: {e}") from e


def _read_unverified_claims(token: str) -> dict[str, Any]:
    """Read iss and aud before the signature is checked, to find the platform."""
    try:
        payload: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as e:
        raise errors.MalformedTokenError(f"id_token payload unreadable: {e}") from e
    return payload


def _audiences(claims: dict[str, Any]) -> list[str]:
    aud = claims.get("aud")
    if isinstance(aud, str):
        return [aud]
    if isinstance(aud, list) and all(isinstance(a, str) for a in aud):
        return aud
    raise errors.AudienceError("aud must be a string or a list of strings")


def _find_registration(unverified: dict[str, Any]) -> Registration:
    """3. A registration matches the issuer and one of the audiences."""
    issuer = unverified.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise errors.ClaimMissingError("iss")

    registry = get_registry()
    audiences = _audiences(unverified)
    found = [r for a in audiences if (r := registry.find(issuer, a)) is not None]
    if len(found) > 1:
        azp = unverified.get("azp")
        found = [r for r in found if r.client_id == azp]
    if len(found) != 1:
        raise errors.UnknownIssuerError(
            f"no registration for issuer {issuer!r} and audience {audiences!r}"
        )
    return found[0]


def _check_algorithm(header: dict[str, Any], registration: Registration) -> str:
    """2. The signing algorithm is one the registration allows (never 'none'
    or HS*); the list comes from the registration, not from the token."""
    algorithm = header.get("alg")
    if algorithm not in registration.algorithms or algorithm not in ALLOWED_ALGORITHMS:
        raise errors.AlgorithmNotAllowedError(
            f"alg {algorithm!r} not in {list(registration.algorithms)}"
        )
    return str(algorithm)


def _select_key(
    header: dict[str, Any], registration: Registration, key_lookup: KeyLookup
) -> PyJWK:
    """4. The platform key is chosen by kid from its key set."""
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise errors.MalformedTokenError("kid must be a string")
    return key_lookup(registration.key_set_url, kid)


def _verify_signature(token: str, key: PyJWK, algorithm: str) -> dict[str, Any]:
    """4. The signature verifies with that key and the pinned algorithm."""
    try:
        verified: dict[str, Any] = jwt.decode(
            token,
            key=key.key,
            algorithms=[algorithm],
            options={
                "verify_aud": False,
                "verify_iss": False,
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.InvalidSignatureError as e:
        raise errors.InvalidSignatureError("signature does not verify") from e
    except jwt.DecodeError as e:
        raise errors.MalformedTokenError(f"id_token unreadable: {e}") from e
    except jwt.PyJWTError as e:
        raise errors.InvalidSignatureError(f"signature not checked: {e}") from e
    return verified


def _check_issuer(claims: dict[str, Any], registration: Registration) -> None:
    """3. iss is exactly the registration's issuer."""
    if claims.get("iss") != registration.issuer:
        raise errors.UnknownIssuerError("iss differs from the registration's issuer")


def _check_audience(claims: dict[str, Any], registration: Registration) -> None:
    """5. aud contains the client id."""
    if registration.client_id not in _audiences(claims):
        raise errors.AudienceError("aud does not contain the client id")


def _check_authorized_party(claims: dict[str, Any], registration: Registration) -> None:
    """6. With several audiences, azp must be the client id; with one, a
    different azp is logged but accepted (seen on real Learn tokens)."""
    azp = claims.get("azp")
    if len(_audiences(claims)) > 1 and azp != registration.client_id:
        raise errors.AuthorizedPartyError("azp must be the client id")
    if azp is not None and azp != registration.client_id:
        logger.warning(
            "accepting launch whose azp differs from its single aud "
            "(issuer=%s client_id=%s)",
            registration.issuer,
            registration.client_id,
        )


def _check_no_untrusted_audience(
    claims: dict[str, Any], registration: Registration
) -> None:
    """5. aud lists no audience other than this tool: none is trusted."""
    untrusted = [a for a in _audiences(claims) if a != registration.client_id]
    if untrusted:
        raise errors.AudienceError(f"aud lists untrusted audiences {untrusted!r}")


def _numeric_date(claims: dict[str, Any], name: str) -> float:
    value = claims.get(name)
    if value is None:
        raise errors.ClaimMissingError(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise errors.ClaimInvalidError(name, f"{name} must be a NumericDate")
    return float(value)


def _check_expiry(claims: dict[str, Any], now: float, leeway: int) -> None:
    """7. exp is in the future, within the clock skew allowed."""
    if _numeric_date(claims, "exp") + leeway < now:
        raise errors.TokenExpiredError("exp has passed")


def _check_issued_at(
    claims: dict[str, Any], now: float, leeway: int, max_age: int
) -> None:
    """7. iat is not in the future and not older than the allowed age."""
    issued_at = _numeric_date(claims, "iat")
    if issued_at > now + leeway:
        raise errors.IssuedInFutureError("iat is in the future")
    if now - issued_at > max_age + leeway:
        raise errors.TokenTooOldError(f"iat is more than {max_age} s ago")


def _check_nonce(claims: dict[str, Any], state: str | None) -> None:
    """8. The nonce was issued by this tool for this state, and is used once."""
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise errors.NonceMissingError("the id_token has no nonce")
    consume_nonce(nonce, state or "")


def _check_deployment(claims: dict[str, Any], registration: Registration) -> None:
    """9. deployment_id is present, well formed, and registered."""
    deployment_id = claims.get(c.DEPLOYMENT_ID)
    if not isinstance(deployment_id, str) or not deployment_id:
        raise errors.DeploymentMissingError("deployment_id claim is missing")
    if len(deployment_id) > MAX_ID_LENGTH or not deployment_id.isascii():
        raise errors.DeploymentMissingError("deployment_id must be 1-255 ASCII chars")
    if not registration.has_deployment(deployment_id):
        raise errors.DeploymentUnknownError(
            f"deployment {deployment_id!r} is not registered"
        )


def _check_version(claims: dict[str, Any]) -> None:
    """10. The LTI version is 1.3.0."""
    if claims.get(c.VERSION) != c.LTI_VERSION:
        raise errors.VersionError(f"version must be {c.LTI_VERSION!r}")


def _check_message_type(
    claims: dict[str, Any], message_types: frozenset[str] | None
) -> None:
    """11. The message type is supported, with the claims it requires."""
    message_type = claims.get(c.MESSAGE_TYPE)
    check = _REQUIRED_CLAIMS.get(str(message_type))
    if check is None or (
        message_types is not None and message_type not in message_types
    ):
        raise errors.MessageTypeError(f"message type {message_type!r} not supported")
    check(claims)


def _check_common_claims(claims: dict[str, Any]) -> None:
    """Claims every launch needs: roles (a list), sub when given, context."""
    if c.ROLES not in claims:
        raise errors.ClaimMissingError(c.ROLES)
    roles = claims[c.ROLES]
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise errors.ClaimInvalidError(c.ROLES, "roles must be a list of strings")

    sub = claims.get("sub")
    if sub is not None and (not isinstance(sub, str) or not sub):
        raise errors.ClaimInvalidError("sub", "sub must be a non-empty string")

    context = claims.get(c.CONTEXT)
    if context is not None and not _has_id(context):
        raise errors.ClaimInvalidError(c.CONTEXT, "context must be an object with id")


def _has_id(value: Any) -> bool:
    identifier = value.get("id") if isinstance(value, dict) else None
    return isinstance(identifier, str) and 0 < len(identifier) <= MAX_ID_LENGTH


def _check_resource_link_claims(claims: dict[str, Any]) -> None:
    """LtiResourceLinkRequest: resource_link with an id, and the common claims."""
    if c.TARGET_LINK_URI not in claims:
        raise errors.ClaimMissingError(c.TARGET_LINK_URI)
    if c.RESOURCE_LINK not in claims:
        raise errors.ClaimMissingError(c.RESOURCE_LINK)
    if not _has_id(claims[c.RESOURCE_LINK]):
        raise errors.ClaimInvalidError(c.RESOURCE_LINK, "resource_link needs an id")
    _check_common_claims(claims)


def _check_deep_linking_claims(claims: dict[str, Any]) -> None:
    """LtiDeepLinkingRequest: deep_linking_settings with its required fields."""
    settings = claims.get(c.DEEP_LINKING_SETTINGS)
    if settings is None:
        raise errors.ClaimMissingError(c.DEEP_LINKING_SETTINGS)
    if not isinstance(settings, dict):
        raise errors.ClaimInvalidError(c.DEEP_LINKING_SETTINGS, "must be an object")
    return_url = settings.get("deep_link_return_url")
    schemes = (
        ("https",)
        if current_app.config["APP_ENV"] == "production"
        else (
            "http",
            "https",
        )
    )
    if not isinstance(return_url, str) or urlsplit(return_url).scheme not in schemes:
        raise errors.ClaimInvalidError(
            c.DEEP_LINKING_SETTINGS,
            f"deep_link_return_url must be an {' or '.join(schemes)} URL",
        )
    for field in ("accept_types", "accept_presentation_document_targets"):
        value = settings.get(field)
        if not isinstance(value, list) or not value:
            raise errors.ClaimInvalidError(
                c.DEEP_LINKING_SETTINGS, f"{field} must be a non-empty list"
            )
    _check_common_claims(claims)


_REQUIRED_CLAIMS: dict[str, Callable[[dict[str, Any]], None]] = {
    c.RESOURCE_LINK_REQUEST: _check_resource_link_claims,
    c.DEEP_LINKING_REQUEST: _check_deep_linking_claims,
}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.scheme, (parts.hostname or "").lower(), port)


def _check_target_link_uri(claims: dict[str, Any], tool_url: str) -> None:
    """12. target_link_uri, when sent, lies on the tool's own origin."""
    target = claims.get(c.TARGET_LINK_URI)
    if target is None:
        return
    if not isinstance(target, str):
        raise errors.ClaimInvalidError(c.TARGET_LINK_URI, "must be a string URL")
    try:
        foreign = _origin(target) != _origin(tool_url)
    except ValueError:
        foreign = True
    if foreign:
        raise errors.TargetLinkUriError("target_link_uri is not on the tool's origin")
