"""Browser pages: the course, the tool frame, login initiation and return."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request, url_for

from .course import COURSE, USERS, active_users
from .hints import issue_deep_link_hint, issue_hint
from .launchargs import (
    DEFAULT_METHOD,
    METHODS,
    STORAGE_TARGET,
    LaunchArgs,
    LaunchArgsError,
    read_launch_args,
    read_storage,
)
from .state import get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("pages", __name__)

DEFAULT_USER = "instructor"


@bp.get("/")
def course() -> str:
    """Show the course outline with a user picker and no tool open."""
    user = USERS.get(request.args.get("user", ""), USERS[DEFAULT_USER])
    if not user.active:
        user = USERS[DEFAULT_USER]
    try:
        storage = read_storage(request.args)
    except LaunchArgsError as e:
        abort(400, description=str(e))
    return _course_page(user.key, DEFAULT_METHOD, storage, None)


@bp.get("/launch")
def launch() -> str:
    """Show the course page with the tool frame already loading a launch."""
    args = _launch_args()
    return _course_page(args.user.key, args.method, args.storage, args)


@bp.get("/launch/start")
def launch_start() -> Response:
    """Send the browser to the tool's login initiation URL (inside the frame)."""
    args = _launch_args()
    platform = get_platform()
    settings = platform.settings
    now = platform.clock()

    if args.link is None:
        hint = issue_deep_link_hint(
            settings.secret, args.user.key, now, storage=args.storage
        )
    else:
        hint = issue_hint(
            settings.secret, args.user.key, args.link.id, now, storage=args.storage
        )
    fields = {
        "iss": settings.issuer,
        "login_hint": args.user.key,
        "target_link_uri": _target_link_uri(args),
        "lti_message_hint": hint,
        "client_id": settings.client_id,
        "lti_deployment_id": settings.deployment_id,
    }
    if args.storage:
        fields["lti_storage_target"] = STORAGE_TARGET
    platform.stats.increment("login_initiations")
    logger.info(
        "login initiation by %s: user=%s %s storage=%s",
        args.method,
        args.user.key,
        "deep linking" if args.link is None else f"link={args.link.id}",
        "on" if args.storage else "off",
    )

    page = render_template(
        "autosubmit.html",
        form_id="login-initiation-form",
        method=args.method.lower(),
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


def _launch_args() -> LaunchArgs:
    """Read the launch from the query string, or abort with 400."""
    try:
        return read_launch_args(request.args, get_platform().content)
    except LaunchArgsError as e:
        abort(400, description=str(e))


def _target_link_uri(args: LaunchArgs) -> str:
    """Return the placed link's own URL, or the tool's launch URL."""
    settings = get_platform().settings
    if args.link is not None and args.link.url:
        return args.link.url
    return settings.target_link_uri


def _course_page(
    user_key: str, method: str, storage: bool, launching: LaunchArgs | None
) -> str:
    """Render the course page; with ``launching`` the tool frame starts it."""
    platform = get_platform()
    frame_src = "about:blank"
    if launching is not None:
        frame_src = f"{url_for('pages.launch_start')}?{urlencode(launching.query())}"

    return render_template(
        "course.html",
        course=COURSE,
        users=active_users(),
        links=platform.content.links(),
        web_links=platform.content.web_links(),
        line_items={item.pk: item for item in platform.gradebook.items()},
        methods=METHODS,
        selected_user=USERS[user_key],
        selected_method=method,
        storage=storage,
        storage_tamper=platform.runtime.current.storage_tamper,
        launching=launching,
        frame_src=frame_src,
    )
