"""Learn REST shapes of the course, its users and memberships, and id lookup."""

from __future__ import annotations

import logging
from typing import Any

from .course import COURSE, USERS, Course, User

logger = logging.getLogger(__name__)

DATA_SOURCE_ID = "_2_1"
USER_CREATED = "2025-01-06T08:05:00.000Z"


def find_course(course_id: str) -> Course | None:
    """Resolve a Learn course id: pk, ``uuid:``, ``courseId:`` or ``externalId:``."""
    accepted = (
        COURSE.pk,
        f"uuid:{COURSE.uuid}",
        f"courseId:{COURSE.label}",
        f"externalId:{COURSE.sourcedid}",
    )
    return COURSE if course_id in accepted else None


def find_user(user_id: str) -> User | None:
    """Resolve a Learn user id: pk, ``uuid:``, ``userName:`` or ``externalId:``."""
    for user in USERS.values():
        accepted = (
            user.pk,
            f"uuid:{user.uuid}",
            f"userName:{user.user_name}",
            f"externalId:{user.sourcedid}",
        )
        if user_id in accepted:
            return user
    return None


def course_record(course: Course) -> dict[str, Any]:
    """Return the course as ``GET /learn/api/public/v3/courses/{id}`` does."""
    return {
        "id": course.pk,
        "uuid": course.uuid,
        "externalId": course.sourcedid,
        "dataSourceId": DATA_SOURCE_ID,
        "courseId": course.label,
        "name": course.title,
        "description": course.description,
        "created": course.created,
        "organization": False,
        "ultraStatus": "Ultra",
        "allowGuests": False,
        "readOnly": False,
        "availability": {"available": "Yes", "duration": {"type": "Continuous"}},
        "enrollment": {"type": "InstructorLed"},
        "locale": {"force": False},
    }


def user_record(user: User) -> dict[str, Any]:
    """Return the user as ``GET /learn/api/public/v1/users/{id}`` does."""
    return {
        "id": user.pk,
        "uuid": user.uuid,
        "externalId": user.sourcedid,
        "dataSourceId": DATA_SOURCE_ID,
        "userName": user.user_name,
        "created": USER_CREATED,
        "availability": {"available": "Yes"},
        "name": {"given": user.given_name, "family": user.family_name},
        "contact": {"email": user.email},
    }


def membership_record(
    course: Course, user: User, *, expand_user: bool = False
) -> dict[str, Any]:
    """Return one course membership as the course users list does."""
    record: dict[str, Any] = {
        "userId": user.pk,
        "courseId": course.pk,
        "dataSourceId": DATA_SOURCE_ID,
        "created": USER_CREATED,
        "availability": {"available": "Yes" if user.active else "No"},
        "courseRoleId": user.course_role_id,
    }
    if expand_user:
        record["user"] = user_record(user)
    return record
