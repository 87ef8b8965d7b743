"""The tool page shown after a resource-link launch, and its launch API."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from app.lti import roles
from app.lti.claims import ONE_TIME_SESSION_TOKEN, Launch
from app.lti.session import current_launch, issue_launch_token
from app.tool.catalog import activity_for

bp = Blueprint("tool", __name__)


def launch_summary(launch: Launch) -> dict[str, Any]:
    """What the tool knows of the user and course, from the verified claims."""
    return {
        "user": {
            "id": launch.user_id,
            "name": launch.user_name,
            "email": launch.claims.get("email"),
            "course_role": roles.course_role_label(launch.roles),
            "is_instructor": roles.is_instructor(launch.roles),
            "is_learner": roles.is_learner(launch.roles),
            "is_test_user": roles.is_test_user(launch.roles),
        },
        "course": launch.context,
        "resource_link": launch.resource_link,
        "platform": launch.tool_platform,
        "deployment_id": launch.deployment_id,
        "custom": launch.custom,
    }


def shown_claims(launch: Launch) -> dict[str, Any]:
    """The claims for the details panel, with credentials blanked out."""
    claims = dict(launch.claims)
    if ONE_TIME_SESSION_TOKEN in claims:
        claims[ONE_TIME_SESSION_TOKEN] = "(hidden: a one-time Learn credential)"
    return claims


def show_tool_page(launch: Launch, show: str = "") -> Response:
    """Greet the user and show the course, the link and the launch details."""
    page = render_template(
        "tool.html",
        show=show,
        launch=launch,
        summary=launch_summary(launch),
        launch_token=issue_launch_token(launch),
        activity=activity_for(launch.custom),
        claims_json=json.dumps(shown_claims(launch), indent=2, sort_keys=True),
    )
    response = Response(page, mimetype="text/html")
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/tool")
def tool_page() -> Response:
    """The tool page again, for a request that carries the launch token."""
    show = request.form.get("show", "")
    return show_tool_page(current_launch(), show if show.isidentifier() else "")


@bp.get("/api/launch")
def launch_details() -> Response:
    """The current launch's summary, for requests that carry the launch token."""
    return jsonify(launch_summary(current_launch()))
