"""Names and Role Provisioning Services: the course membership container."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, json, request

from .bearer import authenticate
from .course import COURSE, PLACEMENT_ID, USERS
from .learnerrors import invalid_bearer, learn_error
from .paging import OFFSET, link_header, page_url, query_url, read_page
from .roster import changed_since, has_role, member_json
from .services import NRPS_PATH, NRPS_SCOPE
from .state import get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("nrps", __name__)

MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
SINCE = "since"


@bp.get(NRPS_PATH + "<course_pk>")
def memberships(course_pk: str) -> Response:
    """Return a page of course members to a token with the NRPS scope.

    Filters: ``role`` (URI or short name) and ``rlid`` (a resource link,
    whose launch claims each member then carries in ``message``). Every page
    links to its ``differences``: the same URL with ``since``, which lists
    only the members changed since then.
    """
    platform = get_platform()
    platform.stats.increment("nrps_requests")
    fault = platform.faults.next("nrps")
    if fault is not None:
        return learn_error(fault, f"injected fault {fault}")

    token = authenticate(platform, request.headers.get("Authorization"), "lti")
    if token is None:
        logger.warning("NRPS call without a valid LTI access token")
        return invalid_bearer()
    if NRPS_SCOPE not in token.scopes:
        return learn_error(403, f"The access token lacks the scope {NRPS_SCOPE}")

    if course_pk != COURSE.pk:
        return learn_error(404, f"Could not find course with ID: {course_pk}")
    placement = request.args.get("placement_id")
    if placement != PLACEMENT_ID:
        return learn_error(404, f"Could not find placement with ID: {placement}")

    rlid = request.args.get("rlid")
    link = platform.content.find(rlid) if rlid is not None else None
    if rlid is not None and link is None:
        return learn_error(404, f"Could not find resource link with ID: {rlid}")
    try:
        page = read_page(request.args)
        since = _read_since()
    except ValueError as e:
        return learn_error(400, str(e))

    role = request.args.get("role")
    users = [
        user
        for user in USERS.values()
        if (role is None or has_role(user, role))
        and (since is None or changed_since(user, since))
    ]
    shown, next_offset = page.take(users)

    return _container([member_json(user, link) for user in shown], next_offset)


def _container(members: list[dict[str, object]], next_offset: int | None) -> Response:
    """Return the membership container with its ``next`` and ``differences`` links."""
    platform = get_platform()
    base_url = platform.settings.url + request.path
    container: dict[str, object] = {
        "id": platform.settings.url + request.full_path.rstrip("?"),
        "context": {"id": COURSE.uuid, "label": COURSE.label, "title": COURSE.title},
        "members": members,
    }

    links: dict[str, str] = {}
    if next_offset is not None:
        links["next"] = page_url(base_url, request.args, next_offset)
    links["differences"] = query_url(
        base_url, request.args, {OFFSET: None, SINCE: str(platform.clock())}
    )

    response = Response(json.dumps(container), mimetype=MEDIA_TYPE)
    response.headers["Link"] = link_header(links)
    return response


def _read_since() -> int | None:
    """Return the ``since`` time of a differences request, or None."""
    raw = request.args.get(SINCE)
    if raw is None:
        return None
    if not raw.isdigit():
        raise ValueError(f"{SINCE} must be a time in seconds, got {raw!r}")
    return int(raw)
