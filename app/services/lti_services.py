"""What a launch offers of the LTI services, and the token to call them with."""

from __future__ import annotations

from app.errors import LaunchTokenInvalidError
from app.lti.claims import AGS_ENDPOINT, NRPS_SERVICE, Launch
from app.registry import get_registry
from app.services.lti_token import LtiTokenSource

AGS_SCOPES = frozenset(
    {
        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
        "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
        "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    }
)
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


def offered_scopes(launch: Launch) -> frozenset[str]:
    """The service scopes the launch's claims offer, and the tool knows."""
    scopes: set[str] = set()
    ags = launch.claims.get(AGS_ENDPOINT)
    if isinstance(ags, dict) and isinstance(ags.get("scope"), list):
        scopes |= AGS_SCOPES & {s for s in ags["scope"] if isinstance(s, str)}
    if isinstance(launch.claims.get(NRPS_SERVICE), dict):
        scopes.add(NRPS_SCOPE)
    return frozenset(scopes)


def lti_token_source(launch: Launch) -> LtiTokenSource:
    """The token source for this launch's registration and offered scopes."""
    registration = get_registry().find(launch.issuer, launch.client_id)
    if registration is None:
        raise LaunchTokenInvalidError("the launch's platform is no longer registered")
    return LtiTokenSource(registration, offered_scopes(launch))
