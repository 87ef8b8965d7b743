"""Learn public REST resources: the course, its users and its memberships."""

from __future__ import annotations

import logging
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, g, jsonify, request

from .accesstokens import AccessToken
from .bearer import authenticate
from .course import USERS
from .learnerrors import invalid_bearer, learn_error
from .ratelimit import RateStatus
from .records import (
    course_record,
    find_course,
    find_user,
    membership_record,
    user_record,
)
from .state import get_platform

logger = logging.getLogger(__name__)

PREFIX = "/learn/api/public"

bp = Blueprint("rest", __name__, url_prefix=PREFIX)

DEFAULT_LIMIT = 2
MAX_LIMIT = 100
READ = "read"


@bp.before_request
def _admit() -> Response | None:
    """Count the call, spend budget, then answer a fault, 429 or 401 early."""
    platform = get_platform()
    platform.stats.increment("rest_requests")
    status = platform.rate_limiter.consume(platform.clock())
    g.rate_status = status

    fault = platform.faults.next("rest")
    if fault is not None:
        return learn_error(fault, f"injected fault {fault}")
    if not status.allowed:
        response = learn_error(429, "Rate limit exceeded")
        response.headers["Retry-After"] = str(max(1, status.reset))
        return response

    token = authenticate(platform, request.headers.get("Authorization"), "learn")
    if token is None:
        logger.warning("Learn REST call %s without a valid token", request.path)
        return invalid_bearer()
    if token.user_uuid is not None and not _can_read(token):
        return learn_error(403, "The access token's scope does not allow reading")
    g.learn_token = token
    return None


@bp.after_request
def _rate_headers(response: Response) -> Response:
    """Add the X-Rate-Limit-* headers to every REST answer."""
    status: RateStatus | None = g.get("rate_status")
    if status is not None:
        response.headers.update(status.headers())
    return response


@bp.get("/v3/courses/<course_id>")
def course(course_id: str) -> Response:
    """Return the course by pk, ``uuid:``, ``courseId:`` or ``externalId:``."""
    found = find_course(course_id)
    if found is None:
        return learn_error(404, f"Could not find object with ID: {course_id}")
    return jsonify(course_record(found))


@bp.get("/v1/users/<user_id>")
def user(user_id: str) -> Response:
    """Return a user; a 3-legged token may read only its own user."""
    found = find_user(user_id)
    if found is None:
        return learn_error(404, f"Could not find object with ID: {user_id}")

    token: AccessToken = g.learn_token
    if token.user_uuid is not None and token.user_uuid != found.uuid:
        return learn_error(403, "The user may not view another user")
    return jsonify(user_record(found))


@bp.get("/v1/courses/<course_id>/users")
def course_users(course_id: str) -> Response:
    """Return one page of the course memberships, with ``paging.nextPage``."""
    found = find_course(course_id)
    if found is None:
        return learn_error(404, f"Could not find object with ID: {course_id}")

    try:
        offset = _read_int("offset", 0, minimum=0)
        limit = min(_read_int("limit", DEFAULT_LIMIT, minimum=1), MAX_LIMIT)
    except ValueError as e:
        return learn_error(400, str(e))
    expand_user = "user" in request.args.get("expand", "").split(",")

    members = list(USERS.values())
    page = members[offset : offset + limit]
    body: dict[str, object] = {
        "results": [
            membership_record(found, member, expand_user=expand_user) for member in page
        ]
    }
    if offset + limit < len(members):
        body["paging"] = {"nextPage": _next_page(course_id, offset + limit, limit)}
    return jsonify(body)


def _can_read(token: AccessToken) -> bool:
    """Return whether a 3-legged token's scope allows GET calls."""
    return READ in token.scopes


def _read_int(name: str, default: int, minimum: int) -> int:
    """Return query parameter ``name`` as an integer of at least ``minimum``."""
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def _next_page(course_id: str, offset: int, limit: int) -> str:
    """Return the relative URL of the next page, keeping ``expand``."""
    params: dict[str, str | int] = {"offset": offset, "limit": limit}
    if request.args.get("expand"):
        params["expand"] = request.args["expand"]
    path = f"{PREFIX}/v1/courses/{quote(course_id, safe=':')}/users"
    return f"{path}?{urlencode(params)}"
