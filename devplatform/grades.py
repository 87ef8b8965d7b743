"""The gradebook as people and tests see it: an HTML page and admin JSON."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, jsonify, render_template

from .course import COURSE, MEMBERSHIP, USERS, User, find_user_by_uuid
from .lineitems import LineItem, line_item_json
from .results import scaled_score
from .scores import Score
from .state import Platform, get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("grades", __name__)

REFRESH_SECONDS = 5


@dataclass(frozen=True)
class Cell:
    """What the gradebook shows for one user in one line item."""

    item_pk: str
    score: str = ""
    comment: str = ""
    progress: str = ""


@dataclass(frozen=True)
class Row:
    """One gradebook row: a course member and a cell per line item."""

    user: User
    cells: list[Cell]


@bp.get("/gradebook")
def gradebook() -> str:
    """Show the line items and each learner's current score and comment."""
    platform = get_platform()
    items = platform.gradebook.items()
    scores = {(pk, score.user_id): score for pk, score in platform.gradebook.scores()}
    scored_users = {user_id for _, user_id in scores}
    rows = [
        Row(user, [_cell(item, scores.get((item.pk, user.uuid))) for item in items])
        for user in USERS.values()
        if _is_learner(user) or user.uuid in scored_users
    ]
    return render_template(
        "gradebook.html",
        course=COURSE,
        items=items,
        links={link.id: link for link in platform.content.links()},
        rows=rows,
        refresh=REFRESH_SECONDS,
    )


@bp.get("/admin/gradebook")
def gradebook_json() -> Response:
    """Return the line items and every stored score, for tests."""
    return jsonify(_gradebook_document(get_platform()))


@bp.post("/admin/reset-gradebook")
def reset_gradebook() -> Response:
    """Go back to the two seeded line items and no scores."""
    platform = get_platform()
    platform.gradebook.reset()
    logger.info("gradebook reset")
    return jsonify(_gradebook_document(platform))


def _gradebook_document(platform: Platform) -> dict[str, Any]:
    """Return the line items (with ``pk``) and the stored scores as JSON."""
    url = platform.settings.url
    items = {item.pk: item for item in platform.gradebook.items()}
    return {
        "line_items": [
            {**line_item_json(item, url), "pk": item.pk} for item in items.values()
        ],
        "scores": [
            _score_json(items[pk], score, url)
            for pk, score in platform.gradebook.scores()
            if pk in items
        ],
    }


def _score_json(item: LineItem, score: Score, url: str) -> dict[str, Any]:
    """Return one stored score as the tool posted it, with where it went."""
    user = find_user_by_uuid(score.user_id)
    return {
        "line_item": item.pk,
        "line_item_url": item.url(url),
        "user_id": score.user_id,
        "user": user.key if user else None,
        "score_given": score.score_given,
        "score_maximum": score.score_maximum,
        "comment": score.comment,
        "activity_progress": score.activity_progress,
        "grading_progress": score.grading_progress,
        "timestamp": score.timestamp,
        "result_score": scaled_score(item, score),
    }


def _cell(item: LineItem, score: Score | None) -> Cell:
    """Return the gradebook cell of ``score`` (None: nothing posted yet)."""
    if score is None:
        return Cell(item.pk)
    scaled = scaled_score(item, score)
    return Cell(
        item.pk,
        score="" if scaled is None else str(scaled),
        comment=score.comment or "",
        progress=f"{score.activity_progress}, {score.grading_progress}",
    )


def _is_learner(user: User) -> bool:
    """Return whether ``user`` has the Learner course role."""
    return MEMBERSHIP + "Learner" in user.roles
