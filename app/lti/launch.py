"""The launch: the platform posts the id_token here, the tool verifies it.

After every check of ``validate_launch`` passes, the launch is stored server
side and handed to the handler the tool registered for its message type.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import jwt
from flask import Blueprint, Flask, Response, current_app, g, make_response, request
from flask.typing import ResponseReturnValue

from app import errors
from app.lti import claims as c
from app.lti.claims import Launch
from app.lti.session import store_launch
from app.lti.state import read_bound_state, unbind_state
from app.lti.validation import validate_launch

logger = logging.getLogger(__name__)

bp = Blueprint("launch", __name__, url_prefix="/lti")

LaunchHandler = Callable[[Launch], ResponseReturnValue]
_HANDLERS = "lti_launch_handlers"


def register_launch_handler(
    app: Flask, message_type: str, handler: LaunchHandler
) -> None:
    """Let ``handler`` answer verified launches of ``message_type``."""
    app.extensions.setdefault(_HANDLERS, {})[message_type] = handler


def _launch_context(id_token: str | None) -> dict[str, Any]:
    """Issuer, audience and deployment of a token, unverified, for the logs."""
    try:
        payload = jwt.decode(id_token or "", options={"verify_signature": False})
    except jwt.PyJWTError:
        return {}
    aud = payload.get("aud")
    return {
        "issuer": payload.get("iss"),
        "client_id": aud[0] if isinstance(aud, list) and aud else aud,
        "deployment_id": payload.get(c.DEPLOYMENT_ID),
    }


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
    g.lti_context = _launch_context(id_token)

    handlers = current_app.extensions.get(_HANDLERS, {})
    verified = validate_launch(
        id_token,
        state,
        read_bound_state(request, state),
        message_types=frozenset(handlers),
    )
    launch = store_launch(verified)
    logger.info(
        "launch accepted issuer=%s client_id=%s deployment_id=%s type=%s",
        launch.issuer,
        launch.client_id,
        launch.deployment_id,
        launch.message_type,
    )

    response = make_response(handlers[launch.message_type](launch))
    if state:
        unbind_state(response, request, state)
    return response
