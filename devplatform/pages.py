"""Browser pages: the course, the tool frame, login initiation and return."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request, url_for

from .course import COURSE, LINKS, USERS, ResourceLink, User, active_users
from .hints import issue_hint
from .state import get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("pages", __name__)

METHODS = ("POST", "GET")
DEFAULT_USER = "instructor"
DEFAULT_METHOD = "POST"


@bp.get("/")
def course() -> str:
    """Show the course outline with a user picker and no tool open."""
    return _course_page(USERS[DEFAULT_USER], DEFAULT_METHOD, None)


@bp.get("/launch")
def launch() -> str:
    """Show the course page with the tool frame already loading a launch."""
    user, link, method = _launch_args()
    return _course_page(user, method, link)


@bp.get("/launch/start")
def launch_start() -> Response:
    """Send the browser to the tool's login initiation URL (inside the frame)."""
    user, link, method = _launch_args()
    platform = get_platform()
    settings = platform.settings

    fields = {
        "iss": settings.issuer,
        "login_hint": user.key,
        "target_link_uri": settings.target_link_uri,
        "lti_message_hint": issue_hint(
            settings.secret, user.key, link.id, platform.clock()
        ),
        "client_id": settings.client_id,
        "lti_deployment_id": settings.deployment_id,
    }
    platform.stats.increment("login_initiations")
    logger.info("login initiation by %s: user=%s link=%s", method, user.key, link.id)

    page = render_template(
        "autosubmit.html",
        form_id="login-initiation-form",
        method=method.lower(),
        action=settings.login_initiation_url,
        fields=fields,
        title="Opening the tool",
    )
    response = Response(page, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/course/return")
def course_return() -> str:
    """Show what the tool sent back through the launch_presentation return URL."""
    msg = request.args.get("lti_msg", "")
    errormsg = request.args.get("lti_errormsg", "")
    for name in ("lti_log", "lti_errorlog"):
        if request.args.get(name):
            logger.info("tool returned %s=%r", name, request.args[name])

    return render_template(
        "return.html", course=COURSE, lti_msg=msg, lti_errormsg=errormsg
    )


def _launch_args() -> tuple[User, ResourceLink, str]:
    """Read user, link and method from the query string, or abort with 400."""
    user_key = request.args.get("user", "")
    link_id = request.args.get("link", "")
    method = request.args.get("method", DEFAULT_METHOD).upper()

    user = USERS.get(user_key)
    if user is None:
        abort(400, description=f"unknown user {user_key!r}")
    if not user.active:
        abort(400, description=f"{user.name} is no longer active in the course")
    link = LINKS.get(link_id)
    if link is None:
        abort(400, description=f"unknown content item {link_id!r}")
    if method not in METHODS:
        abort(400, description=f"method must be GET or POST, got {method!r}")

    return user, link, method


def _course_page(user: User, method: str, link: ResourceLink | None) -> str:
    """Render the course page; with ``link`` the tool frame starts a launch."""
    frame_src = "about:blank"
    if link is not None:
        query = urlencode({"user": user.key, "link": link.id, "method": method})
        frame_src = f"{url_for('pages.launch_start')}?{query}"

    return render_template(
        "course.html",
        course=COURSE,
        users=active_users(),
        links=LINKS.values(),
        methods=METHODS,
        selected_user=user,
        selected_method=method,
        open_link=link,
        frame_src=frame_src,
    )
