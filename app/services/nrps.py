"""Names and Role Provisioning Services: the members of the launch's course."""

from __future__ import annotations

import logging
from typing import Any

from app.errors import ServiceError, ServiceNotOfferedError
from app.lti.claims import NRPS_SERVICE, Launch
from app.services.calls import send_with_token
from app.services.lti_services import NRPS_SCOPE, lti_token_source
from app.services.responses import json_body, same_origin_link

logger = logging.getLogger(__name__)

MEMBERSHIP_MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
MAX_PAGES = 100


def memberships_url(launch: Launch) -> str:
    """The context memberships URL from the launch's NRPS claim.

    :raises ServiceNotOfferedError: the launch carries no NRPS claim.
    """
    claim = launch.claims.get(NRPS_SERVICE)
    url = claim.get("context_memberships_url") if isinstance(claim, dict) else None
    if not isinstance(url, str) or not url:
        raise ServiceNotOfferedError("the launch offers no roster (NRPS) service")
    return url


def fetch_members(launch: Launch) -> list[dict[str, Any]]:
    """Every member of the course, following ``rel="next"`` links."""
    url: str | None = memberships_url(launch)
    source = lti_token_source(launch)
    source.require(NRPS_SCOPE)

    members: list[dict[str, Any]] = []
    first_url = url
    for _ in range(MAX_PAGES):
        if url is None:
            return members
        response = send_with_token(
            "GET", url, source, headers={"Accept": MEMBERSHIP_MEDIA_TYPE}
        )
        body = json_body(response, "roster")
        page = body.get("members") if isinstance(body, dict) else None
        if not isinstance(page, list):
            raise ServiceError("roster: the answer has no members list")
        members += [m for m in page if isinstance(m, dict)]

        next_link = response.links.get("next", {}).get("url")
        url = same_origin_link(first_url or "", next_link) if next_link else None
    raise ServiceError(f"roster: more than {MAX_PAGES} pages")
