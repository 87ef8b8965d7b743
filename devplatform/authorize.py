"""Learn 3-legged OAuth in the browser: authorize, log in, consent, redirect."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request

from .authorization import AuthorizationError, validate_authorization_request
from .course import USERS, User, find_user_by_uuid
from .grants import AuthorizationGrant, AuthorizationRequest, PendingAuthorization
from .state import Platform, get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("authorize", __name__)

APPLICATION_NAME = "DEV-101 LTI Tool"
AUTHORIZE_PATH = "/learn/api/public/v1/oauth2/authorizationcode"
LOGIN_PATH = "/learn/oauth2/login"
CONSENT_PATH = "/learn/oauth2/consent"


@bp.get(AUTHORIZE_PATH)
@bp.get("/learn/api/public/v1/oauth2/authorizationCode")
def authorize() -> Response:
    """Check the request, then show the login or consent page, or redirect."""
    platform = get_platform()
    try:
        pending = validate_authorization_request(
            request.args,
            platform.settings,
            platform.runtime.current,
            platform.session_tokens,
            platform.clock(),
        )
    except AuthorizationError as e:
        logger.warning("refused authorization code request: %s", e)
        return _error_page(str(e))

    user = find_user_by_uuid(pending.user_uuid or "")
    if user is None:
        key = platform.pending.put(pending, platform.clock())
        return _html(render_template("login.html", users=USERS.values(), pending=key))
    return _consent_or_code(platform, pending.request, user)


@bp.post(LOGIN_PATH)
def login() -> Response:
    """Take the user picked on the login page and go on to consent."""
    platform = get_platform()
    pending = platform.pending.take(request.form.get("pending", ""), platform.clock())
    if pending is None or pending.user_uuid is not None:
        return _error_page("This login page has expired; start again from the tool")
    user = USERS.get(request.form.get("user", ""))
    if user is None:
        return _error_page("Pick one of the listed users")

    logger.info("3LO login as %s", user.key)
    return _consent_or_code(platform, pending.request, user)


@bp.post(CONSENT_PATH)
def consent() -> Response:
    """Redirect with a code on Allow, or with ``access_denied`` on Deny."""
    platform = get_platform()
    pending = platform.pending.take(request.form.get("pending", ""), platform.clock())
    user = find_user_by_uuid(pending.user_uuid or "") if pending else None
    if pending is None or user is None:
        return _error_page("This consent page has expired; start again from the tool")

    decision = request.form.get("decision")
    if decision == "allow":
        return _redirect_with_code(platform, pending.request, user)
    if decision == "deny":
        logger.info("3LO consent denied by %s", user.key)
        return _redirect(pending.request, {"error": "access_denied"})
    return _error_page("Answer with Allow or Deny")


def _consent_or_code(
    platform: Platform, auth_request: AuthorizationRequest, user: User
) -> Response:
    """Show the consent page, or skip it when the integration acts as the user."""
    if platform.runtime.current.skip_consent:
        return _redirect_with_code(platform, auth_request, user)

    key = platform.pending.put(
        PendingAuthorization(auth_request, user.uuid), platform.clock()
    )
    page = render_template(
        "consent.html", application=APPLICATION_NAME, user=user, pending=key
    )
    return _html(page)


def _redirect_with_code(
    platform: Platform, auth_request: AuthorizationRequest, user: User
) -> Response:
    """Issue an authorization code and send the browser back to the tool."""
    grant = AuthorizationGrant(auth_request, user.uuid)
    code = platform.codes.put(grant, platform.clock())
    logger.info("issued authorization code for %s", user.key)
    return _redirect(auth_request, {"code": code})


def _redirect(auth_request: AuthorizationRequest, fields: dict[str, str]) -> Response:
    """Send the browser to the redirect_uri with ``fields`` and the state."""
    if auth_request.state is not None:
        fields = {**fields, "state": auth_request.state}
    separator = "&" if "?" in auth_request.redirect_uri else "?"
    location = auth_request.redirect_uri + separator + urlencode(fields)
    return Response(
        status=302, headers={"Location": location, "Cache-Control": "no-store"}
    )


def _error_page(message: str) -> Response:
    """Return a 400 page; an OAuth request that fails here is never redirected."""
    page = render_template(
        "error.html", title="Invalid authorization request", message=message
    )
    response = _html(page)
    response.status_code = 400
    return response


def _html(page: str) -> Response:
    """Return ``page`` as an uncached HTML response."""
    response = Response(page, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
