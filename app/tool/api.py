"""The tool page's JSON calls: Learn course details, the user's Learn profile,
and the course roster. Each carries the launch token, never a cookie."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from app.errors import ForbiddenError, LearnAuthorizationRequiredError
from app.lti import roles
from app.lti.session import current_launch
from app.services.learn_auth import LearnAppTokenSource, learn_host
from app.services.learn_oauth import user_token_source
from app.services.learn_rest import LearnClient
from app.services.nrps import fetch_members

bp = Blueprint("tool_api", __name__, url_prefix="/api")

ROSTER_PAGE_SIZE = 100


@bp.get("/learn/course")
def learn_course() -> Response:
    """The launch's course as Learn's REST API describes it (two-legged)."""
    launch = current_launch()
    host = learn_host(launch)
    client = LearnClient(host, LearnAppTokenSource(host))
    course = client.get(f"/learn/api/public/v3/courses/uuid:{launch.context['id']}")
    return jsonify(
        _pick(
            course,
            "id",
            "courseId",
            "name",
            "description",
            "created",
            "ultraStatus",
            "availability",
        )
    )


@bp.get("/learn/profile")
def learn_profile() -> tuple[Response, int]:
    """The launching user's own Learn profile (three-legged, as the user)."""
    launch = current_launch()
    host = learn_host(launch)
    try:
        client = LearnClient(host, user_token_source(host, launch.user_id))
        user = client.get(f"/learn/api/public/v1/users/uuid:{launch.user_id}")
    except LearnAuthorizationRequiredError as e:
        body = e.to_dict()
        body["authorize"] = {"action": "/learn/authorize", "return_to": "/tool"}
        return jsonify(body), e.status
    return jsonify(
        _pick(user, "id", "userName", "name", "contact", "availability")
    ), 200


@bp.get("/roster")
def roster() -> Response:
    """The course members, from Names and Role Provisioning (instructors)."""
    launch = current_launch()
    if not roles.is_instructor(launch.roles):
        raise ForbiddenError("only the course's instructors may see the roster")
    # A page size hint: a large one saves round trips for a course roster.
    limit = request.args.get("limit", type=int) or ROSTER_PAGE_SIZE
    members = fetch_members(launch, limit=min(max(limit, 1), 1000)).members
    return jsonify(
        {
            "count": len(members),
            "members": [
                {
                    "user_id": m.get("user_id"),
                    "name": m.get("name"),
                    "email": m.get("email"),
                    "roles": [roles.course_role_label(m.get("roles") or [])],
                    "status": m.get("status", "Active"),
                    "test_user": roles.is_test_user(m.get("roles") or []),
                }
                for m in members
            ],
        }
    )


def _pick(data: Any, *names: str) -> dict[str, Any]:
    return {n: data.get(n) for n in names if isinstance(data, dict) and n in data}
