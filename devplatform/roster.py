"""NRPS members: the role filter and each member's entry, with link messages."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from .claims import LTI
from .course import ResourceLink, User

logger = logging.getLogger(__name__)

# Context (course membership) roles, including sub-roles such as
# membership/Instructor#TeachingAssistant.
CONTEXT_ROLE_PREFIX = "http://purl.imsglobal.org/vocab/lis/v2/membership"

# When every enrollment last changed (the dropped learner's included): the
# roster stays as it is while the platform runs.
MEMBERS_CHANGED_AT = int(datetime(2025, 1, 6, 8, 5, tzinfo=UTC).timestamp())


def has_role(user: User, role: str) -> bool:
    """Return whether ``role`` is one of the member's course roles.

    ``role`` is a full URI, or a short name such as ``Learner`` that matches
    the part after ``#`` of a course role URI.
    """
    context_roles = [r for r in user.roles if r.startswith(CONTEXT_ROLE_PREFIX)]
    if role in context_roles:
        return True
    if ":" in role or "/" in role:
        return False
    return any(r.rpartition("#")[2] == role for r in context_roles)


def changed_since(user: User, since: int) -> bool:
    """Return whether the member's enrollment changed after Unix time ``since``."""
    return MEMBERS_CHANGED_AT > since


def member_json(user: User, link: ResourceLink | None = None) -> dict[str, Any]:
    """Return one member; with ``link``, the claims a launch of it would carry."""
    member: dict[str, Any] = {
        "user_id": user.uuid,
        "roles": list(user.roles),
        "status": user.status,
        "name": user.name,
        "given_name": user.given_name,
        "family_name": user.family_name,
        "email": user.email,
    }
    if link is not None:
        member["message"] = [_link_message(link)]
    return member


def _link_message(link: ResourceLink) -> dict[str, Any]:
    """Return the launch claims that NRPS shows for a resource link."""
    return {
        LTI + "message_type": "LtiResourceLinkRequest",
        LTI + "resource_link": {"id": link.id, "title": link.title},
        LTI + "custom": {name: str(value) for name, value in link.custom.items()},
    }
