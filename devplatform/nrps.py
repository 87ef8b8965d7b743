"""Names and Role Provisioning Services: the course membership container."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, json, request

from .bearer import authenticate
from .course import COURSE, PLACEMENT_ID, USERS, User
from .learnerrors import invalid_bearer, learn_error
from .services import NRPS_PATH, NRPS_SCOPE, memberships_url
from .state import get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("nrps", __name__)

MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"


@bp.get(NRPS_PATH + "<course_pk>")
def memberships(course_pk: str) -> Response:
    """Return every member of the course to a token with the NRPS scope."""
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

    container = {
        "id": memberships_url(platform.settings.url),
        "context": {"id": COURSE.uuid, "label": COURSE.label, "title": COURSE.title},
        "members": [_member(user) for user in USERS.values()],
    }
    return Response(json.dumps(container), mimetype=MEDIA_TYPE)


def _member(user: User) -> dict[str, Any]:
    """Return one NRPS member entry."""
    return {
        "user_id": user.uuid,
        "roles": list(user.roles),
        "status": "Active",
        "name": user.name,
        "given_name": user.given_name,
        "family_name": user.family_name,
        "email": user.email,
    }
