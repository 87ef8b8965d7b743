"""Third-party login initiation: the first step of every launch.

The platform sends the browser here with ``iss``, ``login_hint`` and
``target_link_uri`` (Learn also sends ``client_id``, ``lti_deployment_id`` and
``lti_message_hint``). The tool finds the registration, refuses unknown
platforms and deployments before redirecting anywhere, creates ``state`` and
``nonce``, binds the state to the browser, remembers the nonce server side,
and sends the browser to the platform's authentication endpoint.
"""

from __future__ import annotations

import logging
import secrets

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
)
from werkzeug.wrappers import Response as BaseResponse

from app import errors
from app.lti.nonces import remember_nonce
from app.lti.state import bind_state
from app.lti.storage import remember_login, trusted_origins
from app.lti.urls import add_query
from app.registry import get_registry

logger = logging.getLogger(__name__)

bp = Blueprint("oidc", __name__, url_prefix="/lti")

REQUIRED_PARAMETERS = ("iss", "login_hint", "target_link_uri")


def redirect_uri() -> str:
    """The one redirect URI registered for the tool: its launch URL."""
    return str(current_app.config["TOOL_URL"]) + "/lti/launch"


@bp.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse:
    """Answer the platform's login initiation with an authentication request."""
    params = request.values
    g.lti_context = {
        "issuer": params.get("iss"),
        "client_id": params.get("client_id"),
        "deployment_id": params.get("lti_deployment_id"),
    }

    missing = [name for name in REQUIRED_PARAMETERS if not params.get(name)]
    if missing:
        raise errors.LoginParameterMissingError(
            f"missing login parameter(s): {', '.join(missing)}"
        )

    issuer = params["iss"]
    client_id = params.get("client_id") or None
    registration = get_registry().find(issuer, client_id)
    if registration is None:
        raise errors.UnknownPlatformError(
            f"no registration for issuer {issuer!r} and client id {client_id!r}"
        )

    deployment_id = params.get("lti_deployment_id")
    if deployment_id and not registration.has_deployment(deployment_id):
        raise errors.UnknownDeploymentError(
            f"deployment {deployment_id!r} is not registered"
        )

    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    remember_nonce(
        nonce,
        state,
        {"issuer": issuer, "client_id": registration.client_id},
    )

    auth_request = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": registration.client_id,
        "redirect_uri": redirect_uri(),
        "login_hint": params["login_hint"],
        "state": state,
        "nonce": nonce,
    }
    if params.get("lti_message_hint"):
        auth_request["lti_message_hint"] = params["lti_message_hint"]

    auth_url = add_query(registration.auth_login_url, auth_request)
    remember_login(state, params)

    # Platform storage, when offered and a trusted origin is known; the cookie
    # is set as well, for browsers that keep it.
    storage_target = params.get("lti_storage_target")
    origins = trusted_origins(registration, deployment_id) if storage_target else []
    response: BaseResponse
    if origins:
        response = Response(
            render_template(
                "storage_login.html",
                auth_url=auth_url,
                state=state,
                nonce=nonce,
                target=storage_target,
                origins=origins,
            ),
            mimetype="text/html",
        )
    else:
        response = redirect(auth_url, 302)
    bind_state(response, request, state)

    logger.info(
        "login initiated issuer=%s client_id=%s deployment_id=%s storage=%s",
        issuer,
        registration.client_id,
        deployment_id,
        "offered" if origins else ("no-trusted-origin" if storage_target else "no"),
    )
    return response
