"""The OIDC authentication endpoint: answers a tool's login with an id_token."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, render_template, request

from .authrequest import validate_auth_request
from .claims import build_id_token_claims
from .errors import AuthRequestError
from .state import get_platform
from .tokens import encode_id_token

logger = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)

FORM_ID = "lti-launch-form"


@bp.route("/api/v1/gateway/oidcauth", methods=["GET", "POST"])
def oidcauth() -> Response | tuple[str, int]:
    """Check the authentication request and auto-post the launch to the tool."""
    platform = get_platform()
    settings = platform.settings
    platform.stats.increment("auth_requests")
    params = request.form if request.method == "POST" else request.args

    try:
        auth = validate_auth_request(params, settings, platform.clock())
    except AuthRequestError as e:
        platform.stats.increment("auth_errors")
        logger.warning(
            "rejected auth request: client_id=%r %s: %s",
            params.get("client_id"),
            type(e).__name__,
            e.description,
        )
        if not e.redirectable:
            page = render_template(
                "error.html", title="Invalid authentication request", message=str(e)
            )
            return page, 400

        fields = {"error": e.error, "error_description": e.description}
        if params.get("state"):
            fields["state"] = params["state"]
        return _form_post(settings.redirect_uri, fields)

    now = platform.clock()
    claims = build_id_token_claims(
        auth.user,
        auth.link,
        auth.nonce,
        settings,
        now,
        session_token=platform.session_tokens.put(auth.user.uuid, now),
        session_token_uuid=not platform.runtime.current.ots_without_uuid,
    )
    key = platform.keys.signing_key
    id_token = encode_id_token(claims, key)
    platform.stats.increment("id_tokens_issued")
    logger.info(
        "issued id_token kid=%s user=%s link=%s", key.kid, auth.user.key, auth.link.id
    )

    return _form_post(auth.redirect_uri, {"id_token": id_token, "state": auth.state})


def _form_post(action: str, fields: dict[str, str]) -> Response:
    """Return a page that auto-POSTs ``fields`` to ``action``."""
    page = render_template(
        "autosubmit.html",
        form_id=FORM_ID,
        method="post",
        action=action,
        fields=fields,
        title="Launching the tool",
    )
    response = Response(page, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
