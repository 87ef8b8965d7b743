"""The deep-linking return URL: the tool's signed answer places content."""

from __future__ import annotations

import logging

from flask import Blueprint, render_template, request, url_for

from .course import COURSE, USERS
from .dlerrors import DeepLinkingError
from .dlresponse import Expectations, parse_response, verify_response
from .placement import place_items
from .state import Platform, get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("deeplinking", __name__)


@bp.post("/deep-linking/return")
def deep_link_return() -> str | tuple[str, int]:
    """Check the posted ``JWT``, place its items, and show the outcome."""
    platform = get_platform()
    platform.stats.increment("deep_linking_responses")
    header = claims = None

    try:
        token = parse_response(request.form.get("JWT"))
        header, claims = token.header, token.claims
        response = verify_response(token, _expectations(platform))
    except DeepLinkingError as e:
        platform.stats.increment("deep_linking_errors")
        platform.deep_link_log.record(header, claims, str(e), [])
        logger.warning(
            "refused deep-linking response: iss=%r %s: %s",
            (claims or {}).get("iss"),
            type(e).__name__,
            e,
        )
        page = render_template(
            "deep_link_error.html",
            course=COURSE,
            problem=str(e),
            error_class=type(e).__name__,
            back_url=url_for("pages.course"),
        )
        return page, 400

    placed = place_items(response.items, platform.content, platform.gradebook)
    platform.deep_link_log.record(header, claims, None, [p.id for p in placed])
    for name in ("log", "errorlog"):
        if name in response.messages:
            logger.info("deep-linking response %s=%r", name, response.messages[name])
    logger.info(
        "deep-linking response placed %s for %s",
        [p.id for p in placed] or "nothing",
        response.request.user_key,
    )

    user = USERS[response.request.user_key]
    return render_template(
        "deep_link_result.html",
        course=COURSE,
        placed=placed,
        messages=response.messages,
        back_url=url_for("pages.course", user=user.key),
    )


def _expectations(platform: Platform) -> Expectations:
    """Return what a response must say to this platform, now."""
    settings = platform.settings
    return Expectations(
        client_id=settings.client_id,
        issuer=settings.issuer,
        deployment_id=settings.deployment_id,
        tool_url=settings.tool_url,
        tool_keys=platform.tool_keys,
        nonces=platform.deep_link_nonces,
        requests=platform.deep_link_requests,
        now=platform.clock(),
    )
