"""The launch: the platform posts the id_token here, the tool verifies it.

The login's state comes back bound to the browser in one of two ways:

- the state cookie, when the browser kept it (the usual case);
- platform storage, when the cookie was blocked and the platform offered
  ``lti_storage_target``: the tool answers with a small page whose script
  reads the state back from the platform's frame, then completes the launch
  with ``POST /lti/launch/complete``. That call is JSON with a custom header,
  so browsers refuse to send it from another site: only the tool's own page,
  after checking the storage, can make it.

When neither is there, the error page offers to retry in a new window, where
the tool's cookie is first-party. After all checks pass, the launch is stored
server side and handed to the handler the tool registered for its type.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import jwt
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue

from app import errors
from app.lti import claims as c
from app.lti.claims import Launch
from app.lti.session import current_launch, issue_launch_token, store_launch
from app.lti.state import read_bound_state, unbind_state
from app.lti.storage import (
    login_storage_target,
    relaunch_url,
    remember_platform_origin,
    trusted_origins,
)
from app.lti.validation import validate_launch
from app.registry import get_registry

logger = logging.getLogger(__name__)

bp = Blueprint("launch", __name__, url_prefix="/lti")

LaunchHandler = Callable[[Launch], ResponseReturnValue]
_HANDLERS = "lti_launch_handlers"
STORAGE_HEADER = "X-LTI-Storage"


def register_launch_handler(
    app: Flask, message_type: str, handler: LaunchHandler
) -> None:
    """Let ``handler`` answer verified launches of ``message_type``."""
    app.extensions.setdefault(_HANDLERS, {})[message_type] = handler


def _handlers() -> dict[str, LaunchHandler]:
    handlers: dict[str, LaunchHandler] = current_app.extensions.get(_HANDLERS, {})
    return handlers


def _peek(id_token: str | None) -> dict[str, Any]:
    """The token's claims, unverified: only to route and to log."""
    try:
        payload: dict[str, Any] = jwt.decode(
            id_token or "", options={"verify_signature": False}
        )
    except jwt.PyJWTError:
        return {}
    return payload


def _launch_context(payload: dict[str, Any]) -> dict[str, Any]:
    aud = payload.get("aud")
    return {
        "issuer": payload.get("iss"),
        "client_id": aud[0] if isinstance(aud, list) and aud else aud,
        "deployment_id": payload.get(c.DEPLOYMENT_ID),
    }


def _accept(
    id_token: str | None, state: str | None, bound_state: str | None, binding: str
) -> Launch:
    """Validate, store and log a launch."""
    verified = validate_launch(
        id_token, state, bound_state, message_types=frozenset(_handlers())
    )
    launch = store_launch(verified, binding)
    remember_platform_origin(launch)
    logger.info(
        "launch accepted issuer=%s client_id=%s deployment_id=%s type=%s state=%s",
        launch.issuer,
        launch.client_id,
        launch.deployment_id,
        launch.message_type,
        binding,
    )
    return launch


def _storage_origins(payload: dict[str, Any]) -> list[str]:
    context = _launch_context(payload)
    issuer, client_id = context["issuer"], context["client_id"]
    if not isinstance(issuer, str) or not isinstance(client_id, str):
        return []
    registration = get_registry().find(issuer, client_id)
    if registration is None:
        return []
    deployment_id = context["deployment_id"]
    return trusted_origins(
        registration, deployment_id if isinstance(deployment_id, str) else None
    )


@bp.route("/launch", methods=["POST", "HEAD"])
def launch() -> ResponseReturnValue:
    """Verify the launch and show what the tool registered for it."""
    if request.method == "HEAD":
        # Learn may probe the redirect URL with HEAD before posting.
        return Response(status=200)

    if request.form.get("error"):
        raise errors.PlatformErrorResponse(
            "the platform answered {}: {}".format(
                request.form["error"][:100],
                request.form.get("error_description", "")[:300],
            )
        )

    id_token = request.form.get("id_token")
    state = request.form.get("state")
    payload = _peek(id_token)
    g.lti_context = _launch_context(payload)
    bound_state = read_bound_state(request, state)

    if bound_state is None and state:
        origins = _storage_origins(payload)
        storage_target = request.form.get("lti_storage_target") or login_storage_target(
            state
        )
        if storage_target and origins:
            return _storage_launch_page(
                id_token or "", state, payload.get("nonce"), storage_target, origins
            )
        error = errors.StateMissingError("no state cookie, and no platform storage")
        error.relaunch_url = relaunch_url(state)
        raise error

    launch = _accept(id_token, state, bound_state, "cookie")
    response = make_response(_handlers()[launch.message_type](launch))
    if state:
        unbind_state(response, request, state)
    return response


def _storage_launch_page(
    id_token: str, state: str, nonce: Any, target: str, origins: list[str]
) -> Response:
    page = render_template(
        "storage_launch.html",
        id_token=id_token,
        state=state,
        nonce=nonce if isinstance(nonce, str) else "",
        target=target,
        origins=origins,
        relaunch_url=relaunch_url(state) or "",
    )
    return Response(page, mimetype="text/html", headers={"Cache-Control": "no-store"})


@bp.post("/launch/complete")
def complete() -> tuple[Response, int]:
    """Finish a launch whose state the tool's page read from platform storage."""
    body = request.get_json(silent=True)
    if request.headers.get(STORAGE_HEADER) != "verified" or not isinstance(body, dict):
        raise errors.StateMissingError("the state was not read from platform storage")

    id_token, state = body.get("id_token"), body.get("state")
    g.lti_context = _launch_context(_peek(id_token))
    if not isinstance(id_token, str) or not isinstance(state, str):
        raise errors.MalformedTokenError("id_token and state are required")

    # The page compared the stored state with this one before calling.
    launch = _accept(id_token, state, state, "platform-storage")
    return jsonify({"launch_token": issue_launch_token(launch)}), 200


@bp.post("/launch/show")
def show() -> ResponseReturnValue:
    """Show the page for a launch completed through platform storage."""
    launch = current_launch()
    return _handlers()[launch.message_type](launch)
