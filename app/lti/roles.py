"""LTI role vocabularies, and course rights decided from context roles only.

An institution role (Faculty) or a system role (Administrator) says nothing
about the user's place in this course, so it never grants course rights.
"""

from __future__ import annotations

from collections.abc import Iterable

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
MEMBERSHIP_SUB = "http://purl.imsglobal.org/vocab/lis/v2/membership/"
TEST_USER = "http://purl.imsglobal.org/vocab/lti/system/person#TestUser"

INSTRUCTOR = MEMBERSHIP + "Instructor"
LEARNER = MEMBERSHIP + "Learner"
CONTENT_DEVELOPER = MEMBERSHIP + "ContentDeveloper"
ADMINISTRATOR = MEMBERSHIP + "Administrator"
MENTOR = MEMBERSHIP + "Mentor"
TEACHING_ASSISTANT = MEMBERSHIP_SUB + "Instructor#TeachingAssistant"


def context_roles(roles: Iterable[str]) -> set[str]:
    """The principal context roles, as full URIs; short names are accepted."""
    found = set()
    for role in roles:
        if role.startswith(MEMBERSHIP):
            found.add(role)
        elif role.startswith(MEMBERSHIP_SUB):
            # A sub-role such as .../membership/Instructor#TeachingAssistant
            principal = role[len(MEMBERSHIP_SUB) :].split("#", 1)[0]
            found.add(MEMBERSHIP + principal)
        elif role and ":" not in role and "/" not in role:
            # Deprecated short form, e.g. "Instructor".
            found.add(MEMBERSHIP + role)
    return found


def is_instructor(roles: Iterable[str]) -> bool:
    """Whether the user teaches this course (Instructor or course Administrator)."""
    return bool(context_roles(roles) & {INSTRUCTOR, ADMINISTRATOR})


def is_content_developer(roles: Iterable[str]) -> bool:
    """Whether the user may place content in this course."""
    return is_instructor(roles) or CONTENT_DEVELOPER in context_roles(roles)


def is_teaching_assistant(roles: Iterable[str]) -> bool:
    """Whether the user is a teaching assistant in this course."""
    return TEACHING_ASSISTANT in set(roles)


def is_learner(roles: Iterable[str]) -> bool:
    """Whether the user takes this course as a learner."""
    return LEARNER in context_roles(roles)


def is_test_user(roles: Iterable[str]) -> bool:
    """Whether this is Learn's Student Preview user."""
    return TEST_USER in set(roles)


def course_role_label(roles: Iterable[str]) -> str:
    """A short label for the user's course role, for people."""
    roles = list(roles)
    if is_teaching_assistant(roles):
        return "Teaching assistant"
    if is_instructor(roles):
        return "Instructor"
    if CONTENT_DEVELOPER in context_roles(roles):
        return "Content developer"
    if is_test_user(roles):
        return "Student Preview"
    if is_learner(roles):
        return "Learner"
    if MENTOR in context_roles(roles):
        return "Mentor"
    return "Guest"
