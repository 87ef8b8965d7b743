"""AGS scores: the checks on a score a tool posts, and its timestamp's order."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .documents import DocumentError, is_number

logger = logging.getLogger(__name__)

ACTIVITY_PROGRESS = ("Initialized", "Started", "InProgress", "Submitted", "Completed")
GRADING_PROGRESS = ("FullyGraded", "Pending", "PendingManual", "Failed", "NotReady")

# ISO 8601 extended format with a fraction of a second and an offset or Z.
TIMESTAMP = re.compile(
    r"(?P<seconds>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})"
    r"\.(?P<fraction>\d{1,9})"
    r"(?P<offset>Z|[+-]\d{2}:\d{2})"
)

# Unix seconds and nanoseconds: timestamps compare by this, whatever the offset.
Instant = tuple[int, int]


@dataclass(frozen=True)
class Score:
    """One checked score; None means the member was absent or null."""

    user_id: str
    timestamp: str
    instant: Instant
    activity_progress: str
    grading_progress: str
    score_given: float | None = None
    score_maximum: float | None = None
    comment: str | None = None


def parse_score(body: Any) -> Score:
    """Check a score document and return the score.

    :raises DocumentError: naming the first member that is missing or wrong.
    """
    if not isinstance(body, Mapping):
        raise DocumentError("body", "must be a JSON object")

    user_id = _check_user_id(body.get("userId"))
    instant = parse_timestamp(body.get("timestamp"))
    timestamp = str(body["timestamp"])

    activity = _check_choice(
        "activityProgress", body.get("activityProgress"), ACTIVITY_PROGRESS
    )
    grading = _check_choice(
        "gradingProgress", body.get("gradingProgress"), GRADING_PROGRESS
    )

    given, maximum = _check_score(body.get("scoreGiven"), body.get("scoreMaximum"))
    comment = _check_comment(body.get("comment"))

    return Score(
        user_id=user_id,
        timestamp=timestamp,
        instant=instant,
        activity_progress=activity,
        grading_progress=grading,
        score_given=given,
        score_maximum=maximum,
        comment=comment,
    )


def parse_timestamp(value: Any) -> Instant:
    """Return when an ISO 8601 timestamp with sub-second precision happened.

    :raises DocumentError: for a missing timestamp, one without a fraction of
        a second or an offset, or an impossible date.
    """
    if value is None:
        raise DocumentError("timestamp", "is required")
    match = TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise DocumentError(
            "timestamp",
            "must be ISO 8601 with fractional seconds and an offset, "
            f"such as 2025-03-01T12:34:56.789Z; got {value!r}",
        )

    offset = match["offset"].replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(match["seconds"] + offset)
    except ValueError:
        raise DocumentError("timestamp", f"is not a real date: {value!r}") from None
    return int(moment.timestamp()), int(match["fraction"].ljust(9, "0"))


def _check_user_id(value: Any) -> str:
    """``userId`` is a non-empty string."""
    if not isinstance(value, str) or not value:
        raise DocumentError("userId", "is required")
    return value


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    """A progress member is one of its allowed values."""
    if value is None:
        raise DocumentError(name, "is required")
    if value not in choices:
        raise DocumentError(name, f"must be one of {', '.join(choices)}; got {value!r}")
    choice: str = value
    return choice


def _check_score(given: Any, maximum: Any) -> tuple[float | None, float | None]:
    """``scoreGiven`` is a number >= 0 and needs ``scoreMaximum``, a number > 0."""
    if given is not None and (not is_number(given) or given < 0):
        raise DocumentError("scoreGiven", f"must be a number >= 0, got {given!r}")
    if given is not None and maximum is None:
        raise DocumentError("scoreMaximum", "is required with scoreGiven")
    if maximum is not None and (not is_number(maximum) or maximum <= 0):
        raise DocumentError("scoreMaximum", f"must be a number > 0, got {maximum!r}")
    return given, maximum


def _check_comment(value: Any) -> str | None:
    """``comment`` is absent, null or a string."""
    if value is not None and not isinstance(value, str):
        raise DocumentError("comment", f"must be a string, got {value!r}")
    return value
