"""Three-legged OAuth with Learn: the user lets the tool act for them.

1. ``POST /learn/authorize`` (with the launch token) sends the browser to
   Learn's ``authorizationcode`` endpoint with ``state``, PKCE (S256), the
   configured scopes and the launch's ``one_time_session_token``, so that no
   Learn cookie is needed inside the iframe.
2. ``GET /learn/callback`` checks the state (single use), exchanges the code
   with the same ``redirect_uri`` and the PKCE verifier, keeps the token per
   (Learn host, user), and posts the launch token back to the tool page.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets

from flask import Blueprint, current_app, redirect, render_template, request
from flask.typing import ResponseReturnValue

from app.errors import LearnAuthorizationError
from app.extensions import cache, cache_take
from app.lti.nonces import fingerprint
from app.lti.session import current_launch, issue_launch_token, load_launch_by_id
from app.lti.urls import add_query
from app.services.learn_auth import (
    AUTHORIZE_PATH,
    LearnUserTokenSource,
    app_credentials,
    learn_host,
    one_time_session_token,
    request_learn_token,
)
from app.services.tokens import token_from_response

logger = logging.getLogger(__name__)

bp = Blueprint("learn_oauth", __name__, url_prefix="/learn")

STATE_TTL = 600
# Only simple paths of this tool: no scheme, no host, no backslash, no "//".
RETURN_PATH = re.compile(r"/(?:[A-Za-z0-9_-]+/?)*")


def callback_url() -> str:
    """The redirect URI registered for Learn authorization."""
    return str(current_app.config["TOOL_URL"]) + "/learn/callback"


def user_token_source(host: str, user_id: str) -> LearnUserTokenSource:
    """The three-legged token source of a user on a Learn site."""
    return LearnUserTokenSource(host, user_id, callback_url())


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


def _safe_return_path(value: str | None) -> str:
    """A plain path on this tool to return to; anything else becomes /tool."""
    if value and RETURN_PATH.fullmatch(value):
        return value
    return "/tool"


@bp.post("/authorize")
def authorize() -> ResponseReturnValue:
    """Send the user to Learn to allow the tool to act for them."""
    launch = current_launch()
    host = learn_host(launch)
    app_key, _ = app_credentials()

    state = secrets.token_urlsafe(32)
    verifier, challenge = _pkce_pair()
    cache.set(
        f"learn:state:{fingerprint(state)}",
        {
            "launch_id": launch.launch_id,
            "verifier": verifier,
            "host": host,
            "return_to": _safe_return_path(request.form.get("return_to")),
        },
        timeout=STATE_TTL,
    )

    params = {
        "response_type": "code",
        "client_id": app_key,
        "redirect_uri": callback_url(),
        "scope": str(current_app.config["LEARN_3LO_SCOPES"]),
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    session_token = one_time_session_token(launch)
    if session_token:
        params["one_time_session_token"] = session_token
    logger.info("sending user to Learn authorization host=%s", host)
    return redirect(add_query(host + AUTHORIZE_PATH, params), 302)


@bp.get("/callback")
def callback() -> ResponseReturnValue:
    """Finish the authorization and return to the tool page."""
    record = cache_take(f"learn:state:{fingerprint(request.args.get('state', ''))}")
    if not isinstance(record, dict):
        raise LearnAuthorizationError("unknown or already used authorization state")
    launch = load_launch_by_id(record["launch_id"])

    if request.args.get("error") or not request.args.get("code"):
        reason = request.args.get("error", "no code")[:100]
        logger.info("Learn authorization declined host=%s (%s)", record["host"], reason)
        return render_template(
            "learn_return.html",
            return_to=record["return_to"],
            launch_token=issue_launch_token(launch),
            message=f"Learn did not authorize the tool ({reason}).",
        )

    body = request_learn_token(
        record["host"],
        {"grant_type": "authorization_code", "code_verifier": record["verifier"]},
        {"code": request.args["code"], "redirect_uri": callback_url()},
    )
    token = token_from_response(body)
    # The callback is tied to a launch, not to a browser: the token must be
    # the launching user's, or it would be kept under someone else's name.
    if token.user_id != launch.user_id:
        raise LearnAuthorizationError(
            "Learn authorized another user than the one who launched the tool"
            if token.user_id
            else "Learn did not say which user it authorized"
        )
    user_token_source(record["host"], launch.user_id).store(token)
    logger.info("Learn authorization complete host=%s", record["host"])

    return render_template(
        "learn_return.html",
        return_to=record["return_to"],
        launch_token=issue_launch_token(launch),
        message=None,
    )
