"""The one course this platform serves: its members, roles and content items."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
SYSTEM = "http://purl.imsglobal.org/vocab/lis/v2/system/person#"
TEACHING_ASSISTANT = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
)
TEST_USER = "http://purl.imsglobal.org/vocab/lti/system/person#TestUser"
COURSE_OFFERING = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"

ACTIVE = "Active"
INACTIVE = "Inactive"

# The placement (LTI tool placement pk) the NRPS URL names.
PLACEMENT_ID = "_553_1"


@dataclass(frozen=True)
class Course:
    """A Learn course as the launch describes it."""

    uuid: str
    pk: str
    label: str
    title: str
    sourcedid: str
    description: str
    created: str


@dataclass(frozen=True)
class User:
    """A course member who can launch the tool."""

    key: str
    uuid: str
    pk: str
    given_name: str
    family_name: str
    email: str
    sourcedid: str
    role_label: str
    course_role_id: str
    roles: tuple[str, ...]
    status: str = ACTIVE

    @property
    def name(self) -> str:
        """Return the full display name."""
        return f"{self.given_name} {self.family_name}"

    @property
    def user_name(self) -> str:
        """Return the Learn username (the same as the sourcedid here)."""
        return self.sourcedid

    @property
    def active(self) -> bool:
        """Return whether the membership is enabled (the user can open the course)."""
        return self.status == ACTIVE

    @property
    def can_add_content(self) -> bool:
        """Return whether the member teaches the course (instructors and TAs)."""
        return MEMBERSHIP + "Instructor" in self.roles


@dataclass(frozen=True)
class ResourceLink:
    """A content item in the course outline that launches the tool.

    Links placed by deep linking also keep the content item's ``url`` (the
    launch's target link URI), ``presentation`` (``documentTarget`` and any
    ``width``, ``height`` or ``targetName``) and ``available`` dates.
    """

    id: str
    title: str
    description: str
    custom: dict[str, str] = field(default_factory=dict)
    line_item: str | None = None
    url: str | None = None
    presentation: dict[str, Any] = field(default_factory=dict)
    available: dict[str, str] = field(default_factory=dict)
    placed: bool = False


@dataclass(frozen=True)
class WebLink:
    """A plain web link in the course outline, placed by deep linking."""

    id: str
    title: str
    text: str
    url: str


COURSE = Course(
    uuid="13ef9bbcee6e44539b9eb24bed52e50d",
    pk="_122_1",
    label="DEV-101",
    title="Introduction to LTI",
    sourcedid="DEV-101-2025",
    description="A course to launch the tool in, served by devplatform.",
    created="2025-01-06T08:00:00.000Z",
)

USERS: dict[str, User] = {
    user.key: user
    for user in (
        User(
            key="instructor",
            uuid="f9f17be4844f460ebfde9e407c4d1e01",
            pk="_57_1",
            given_name="Ingrid",
            family_name="Instructor",
            email="ingrid.instructor@dev101.example.edu",
            sourcedid="ingrid.instructor",
            role_label="Instructor",
            course_role_id="Instructor",
            roles=(
                MEMBERSHIP + "Instructor",
                INSTITUTION + "Faculty",
                SYSTEM + "User",
            ),
        ),
        User(
            key="learner",
            uuid="8379c4ba57cc492fb621f01c0064cee7",
            pk="_58_1",
            given_name="Lars",
            family_name="Learner",
            email="lars.learner@dev101.example.edu",
            sourcedid="lars.learner",
            role_label="Student",
            course_role_id="Student",
            roles=(
                MEMBERSHIP + "Learner",
                INSTITUTION + "Student",
                SYSTEM + "User",
            ),
        ),
        User(
            key="ta",
            uuid="4b55b4803f3f4c4f97009d489756eeea",
            pk="_59_1",
            given_name="Tara",
            family_name="Assistant",
            email="tara.assistant@dev101.example.edu",
            sourcedid="tara.assistant",
            role_label="Teaching Assistant",
            course_role_id="TeachingAssistant",
            roles=(
                MEMBERSHIP + "Instructor",
                TEACHING_ASSISTANT,
                INSTITUTION + "Staff",
            ),
        ),
        User(
            key="preview",
            uuid="0bb2babfd0274c4aaaf15cd3f78eeec7",
            pk="_60_1",
            given_name="Student",
            family_name="Preview",
            email="ingrid.instructor_previewuser@dev101.example.edu",
            sourcedid="ingrid.instructor_previewuser",
            role_label="Student Preview",
            course_role_id="Student",
            roles=(MEMBERSHIP + "Learner", TEST_USER),
        ),
        User(
            key="dropped",
            uuid="c2a41e7d9b8f4f0da3c65e21b7d04f19",
            pk="_61_1",
            given_name="Dana",
            family_name="Dropped",
            email="dana.dropped@dev101.example.edu",
            sourcedid="dana.dropped",
            role_label="Student",
            course_role_id="Student",
            roles=(
                MEMBERSHIP + "Learner",
                INSTITUTION + "Student",
                SYSTEM + "User",
            ),
            status=INACTIVE,
        ),
    )
}

LINKS: dict[str, ResourceLink] = {
    link.id: link
    for link in (
        ResourceLink(
            id="_18938_1",
            title="Quiz 1: How a launch works",
            description="Five questions on login initiation and the id_token.",
            custom={"activity": "quiz-1"},
            line_item="_7454_1",
        ),
        ResourceLink(
            id="_18939_1",
            title="Reading: Roles and contexts",
            description="Background reading before the second quiz.",
            custom={"activity": "reading-1", "chapter": "2"},
        ),
    )
}


def active_users() -> list[User]:
    """Return the members whose enrollment is enabled, who can launch the tool."""
    return [user for user in USERS.values() if user.active]


def find_user_by_uuid(uuid: str) -> User | None:
    """Return the course member whose Learn UUID (launch ``sub``) is ``uuid``."""
    for user in USERS.values():
        if user.uuid == uuid:
            return user
    return None
