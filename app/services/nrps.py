"""Names and Role Provisioning Services 2.0: the members of the course.

The memberships URL comes from the launch's signed claim. On Learn it already
carries a query string (``?placement_id=...``), so filters are merged into it,
never appended after a second ``?``. Pages are followed through
``Link: rel="next"`` on the same host only; the ``rel="differences"`` link is
kept for incremental syncs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from app.errors import ForeignHostError, ServiceError, ServiceNotOfferedError
from app.lti.claims import NRPS_SERVICE, Launch
from app.lti.urls import add_query
from app.services.calls import send_with_token
from app.services.lti_services import NRPS_SCOPE, lti_token_source
from app.services.responses import json_body, same_origin_link

logger = logging.getLogger(__name__)

MEMBERSHIP_MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
MAX_PAGES = 100


@dataclass
class Membership:
    """The members of a context (or of a resource link), all pages read."""

    context: dict[str, Any] = field(default_factory=dict)
    members: list[dict[str, Any]] = field(default_factory=list)
    differences_url: str | None = None


def memberships_url(launch: Launch) -> str:
    """The context memberships URL from the launch's NRPS claim.

    :raises ServiceNotOfferedError: the launch carries no NRPS claim.
    """
    claim = launch.claims.get(NRPS_SERVICE)
    url = claim.get("context_memberships_url") if isinstance(claim, dict) else None
    if not isinstance(url, str) or not url:
        raise ServiceNotOfferedError("the launch offers no roster (NRPS) service")
    return url


def fetch_members(
    launch: Launch,
    role: str | None = None,
    resource_link_id: str | None = None,
    limit: int | None = None,
) -> Membership:
    """Every member of the course, optionally filtered.

    :param role: a role URI (or short name such as ``Learner``) to keep.
    :param resource_link_id: members of that resource link (``rlid``); each
        member then carries the ``message`` claims it would launch with.
    :param limit: a page size hint for the platform.
    """
    filters = {
        "role": role,
        "rlid": resource_link_id,
        "limit": str(limit) if limit else None,
    }
    first_url = add_query(
        memberships_url(launch), {k: v for k, v in filters.items() if v}
    )
    source = lti_token_source(launch)
    source.require(NRPS_SCOPE)

    membership = Membership()
    url: str | None = first_url
    for _ in range(MAX_PAGES):
        if url is None:
            return membership
        response = send_with_token(
            "GET", url, source, headers={"Accept": MEMBERSHIP_MEDIA_TYPE}
        )
        body = json_body(response, "roster")
        page = body.get("members") if isinstance(body, dict) else None
        if not isinstance(page, list):
            raise ServiceError("roster: the answer has no members list")
        membership.members += [m for m in page if isinstance(m, dict)]
        if isinstance(body.get("context"), dict):
            membership.context = body["context"]

        links = response.links
        if "differences" in links:
            try:
                membership.differences_url = same_origin_link(
                    first_url, links["differences"]["url"]
                )
            except ForeignHostError:
                logger.warning("ignoring a roster differences link to another host")
        next_link = links.get("next", {}).get("url")
        url = same_origin_link(first_url, next_link) if next_link else None
    raise ServiceError(f"roster: more than {MAX_PAGES} pages")
