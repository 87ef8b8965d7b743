"""The OIDC authentication endpoint: answers a tool's login with an id_token."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, render_template, request

from .authrequest import AuthRequest, validate_auth_request
from .claims import build_deep_linking_claims, build_id_token_claims
from .dlrequests import DeepLinkRequest, new_data
from .errors import AuthRequestError
from .launchargs import STORAGE_TARGET
from .state import Platform, get_platform
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
        auth = validate_auth_request(
            params, settings, platform.clock(), platform.content
        )
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

    key = platform.keys.signing_key
    id_token = encode_id_token(_claims(auth, platform), key)
    platform.stats.increment("id_tokens_issued")
    logger.info(
        "issued id_token kid=%s user=%s %s",
        key.kid,
        auth.user.key,
        "deep linking" if auth.link is None else f"link={auth.link.id}",
    )

    fields = {"id_token": id_token, "state": auth.state}
    if auth.storage:
        fields["lti_storage_target"] = STORAGE_TARGET
    return _form_post(auth.redirect_uri, fields)


def _claims(auth: AuthRequest, platform: Platform) -> dict[str, Any]:
    """Return the id_token claims: a resource link or a deep-linking request."""
    now = platform.clock()
    switches = platform.runtime.current
    session_token = platform.session_tokens.put(auth.user.uuid, now)
    with_uuid = not switches.ots_without_uuid
    if auth.link is not None:
        return build_id_token_claims(
            auth.user,
            auth.link,
            auth.nonce,
            platform.settings,
            now,
            session_token=session_token,
            session_token_uuid=with_uuid,
        )

    # Remember what this request accepts, to check the response against it.
    deep_link = DeepLinkRequest(
        data=new_data(),
        user_key=auth.user.key,
        accept_types=switches.dl_accept_types,
        accept_multiple=switches.dl_accept_multiple,
        accept_lineitem=switches.dl_accept_lineitem,
        issued_at=now,
    )
    platform.deep_link_requests.add(deep_link)
    platform.stats.increment("deep_linking_requests")
    return build_deep_linking_claims(
        auth.user,
        deep_link,
        auth.nonce,
        platform.settings,
        now,
        session_token=session_token,
        session_token_uuid=with_uuid,
    )


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
