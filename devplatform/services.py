"""LTI Advantage service scopes and the service URLs advertised in launches."""

from __future__ import annotations

import logging

from .course import COURSE, PLACEMENT_ID

logger = logging.getLogger(__name__)

AGS_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/"
LINEITEM_SCOPE = AGS_SCOPE + "lineitem"
LINEITEM_READONLY_SCOPE = AGS_SCOPE + "lineitem.readonly"
RESULT_READONLY_SCOPE = AGS_SCOPE + "result.readonly"
SCORE_SCOPE = AGS_SCOPE + "score"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"

AGS_SCOPES = (
    LINEITEM_SCOPE,
    LINEITEM_READONLY_SCOPE,
    RESULT_READONLY_SCOPE,
    SCORE_SCOPE,
)
ALL_SCOPES = (*AGS_SCOPES, NRPS_SCOPE)

NRPS_PATH = "/learn/api/v1/lti/external/namesandroles/"
AGS_PATH = "/learn/api/v1/lti/courses/"


def memberships_url(platform_url: str) -> str:
    """Return the NRPS context memberships URL; it already has a query string."""
    return f"{platform_url}{NRPS_PATH}{COURSE.pk}?placement_id={PLACEMENT_ID}"


def lineitems_url(platform_url: str) -> str:
    """Return the AGS line items container URL of the course."""
    return f"{platform_url}{AGS_PATH}{COURSE.pk}/lineItems"


def lineitem_url(platform_url: str, line_item: str) -> str:
    """Return the AGS URL of one line item."""
    return f"{lineitems_url(platform_url)}/{line_item}"
