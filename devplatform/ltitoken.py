"""The LTI service token endpoint: client_credentials with a JWT assertion."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, request

from .accesstokens import AccessToken
from .assertion import Expectations, parse_assertion, verify_assertion
from .state import Platform, get_platform
from .tokenerrors import (
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    ReplayedJtiError,
    TokenRequestError,
    UnsupportedGrantTypeError,
    token_error_response,
    token_fault_response,
)

logger = logging.getLogger(__name__)

bp = Blueprint("ltitoken", __name__)

FORM_TYPE = "application/x-www-form-urlencoded"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@bp.post("/api/v1/gateway/oauth2/jwttoken")
def jwttoken() -> Response:
    """Check the client assertion and grant the enabled scopes asked for."""
    platform = get_platform()
    platform.stats.increment("lti_token_requests")
    fault = platform.faults.next("lti_token")
    if fault is not None:
        return token_fault_response(fault)

    try:
        token = _grant(platform)
    except TokenRequestError as e:
        if isinstance(e, ReplayedJtiError):
            platform.stats.increment("jtis_rejected")
        logger.warning("refused LTI token: %s: %s", type(e).__name__, e)
        return token_error_response(e)

    platform.stats.increment("lti_tokens_issued")
    logger.info("issued LTI token for %s", " ".join(token.scopes))
    response = jsonify(
        access_token=token.value,
        token_type="bearer",
        expires_in=token.expires_in(platform.clock()),
        scope=" ".join(token.scopes),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _grant(platform: Platform) -> AccessToken:
    """Run the request checks in order and issue the token.

    :raises TokenRequestError: a leaf naming the first failed check.
    """
    form = request.form if request.mimetype == FORM_TYPE else {}
    grant_type = form.get("grant_type")
    if not grant_type:
        raise InvalidGrantError("No grant type")
    if grant_type != "client_credentials":
        raise UnsupportedGrantTypeError(grant_type)

    if form.get("client_assertion_type") != ASSERTION_TYPE:
        raise InvalidRequestError(f"client_assertion_type must be {ASSERTION_TYPE}")
    token = form.get("client_assertion")
    if not token:
        raise InvalidRequestError("client_assertion is missing")

    assertion = parse_assertion(token)
    platform.stats.record_assertion(assertion.header, assertion.claims)
    now = platform.clock()
    expect = Expectations(
        client_id=platform.settings.client_id,
        audience=platform.settings.token_url,
        tool_keys=platform.tool_keys,
        jtis=platform.jtis,
        now=now,
    )
    verify_assertion(assertion, expect)

    switches = platform.runtime.current
    scopes = _grant_scopes(form.get("scope", ""), switches.lti_scopes)
    return platform.tokens.issue(
        "lti", "client_credentials", scopes, switches.token_lifetime, now
    )


def _grant_scopes(requested: str, enabled: tuple[str, ...]) -> tuple[str, ...]:
    """Return the requested scopes that are enabled, in the order asked."""
    granted = tuple(dict.fromkeys(s for s in requested.split() if s in enabled))
    if not granted:
        raise InvalidScopeError(
            f"none of the requested scopes {requested!r} is enabled for this tool"
        )
    return granted
