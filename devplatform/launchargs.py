"""The query parameters that start a launch: user, link or deep link, method."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from .content import CourseContent
from .course import USERS, ResourceLink, User

logger = logging.getLogger(__name__)

METHODS = ("POST", "GET")
DEFAULT_METHOD = "POST"
STORAGE_CHOICES = ("on", "off")
DEFAULT_STORAGE = "on"
# With storage on, the frame the tool talks to: the course page, its parent.
STORAGE_TARGET = "_parent"
TRUE_VALUES = ("1", "true")
FALSE_VALUES = ("", "0", "false")


class LaunchArgsError(ValueError):
    """The query string does not describe a launch this platform can make."""


@dataclass(frozen=True)
class LaunchArgs:
    """A launch to start: ``link`` is None for a deep-linking request."""

    user: User
    link: ResourceLink | None
    method: str
    storage: bool

    @property
    def deep_link(self) -> bool:
        """Return whether this launch is a deep-linking request."""
        return self.link is None

    def query(self) -> dict[str, str]:
        """Return the query string that asks for this launch again."""
        target = {"deep_link": "1"} if self.link is None else {"link": self.link.id}
        return {
            "user": self.user.key,
            **target,
            "method": self.method,
            "storage": "on" if self.storage else "off",
        }


def read_launch_args(args: Mapping[str, str], content: CourseContent) -> LaunchArgs:
    """Read user, link or deep_link, method and storage from ``args``.

    :raises LaunchArgsError: naming the parameter that is missing or wrong.
    """
    user = _read_user(args.get("user", ""))
    link = None if _read_deep_link(args) else _read_link(args.get("link"), content)
    method = args.get("method", DEFAULT_METHOD).upper()
    if method not in METHODS:
        raise LaunchArgsError(f"method must be GET or POST, got {method!r}")
    return LaunchArgs(user, link, method, read_storage(args))


def read_storage(args: Mapping[str, str]) -> bool:
    """Return whether platform storage is on (the default) or off.

    :raises LaunchArgsError: if ``storage`` is neither ``on`` nor ``off``.
    """
    value = args.get("storage", DEFAULT_STORAGE)
    if value not in STORAGE_CHOICES:
        raise LaunchArgsError(f"storage must be on or off, got {value!r}")
    return value == "on"


def _read_user(key: str) -> User:
    """The user is a known, active course member."""
    user = USERS.get(key)
    if user is None:
        raise LaunchArgsError(f"unknown user {key!r}")
    if not user.active:
        raise LaunchArgsError(f"{user.name} is no longer active in the course")
    return user


def _read_deep_link(args: Mapping[str, str]) -> bool:
    """``deep_link=1`` asks for deep linking, and then names no link."""
    value = args.get("deep_link", "").lower()
    if value not in TRUE_VALUES + FALSE_VALUES:
        raise LaunchArgsError(f"deep_link must be 1 or 0, got {value!r}")
    if value in TRUE_VALUES and args.get("link"):
        raise LaunchArgsError("choose either link or deep_link, not both")
    return value in TRUE_VALUES


def _read_link(link_id: str | None, content: CourseContent) -> ResourceLink:
    """The link is a tool link of the course outline."""
    link = content.find(link_id or "")
    if link is None:
        raise LaunchArgsError(f"unknown content item {link_id or ''!r}")
    return link
