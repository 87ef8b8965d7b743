"""The instructor's side: line items, a grade form, and results."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from app.errors import ForbiddenError, LtiError
from app.lti import roles
from app.lti.claims import Launch
from app.lti.session import current_launch
from app.services.ags import AgsClient, LineItem, Score

bp = Blueprint("tool_gradebook", __name__, url_prefix="/api/lineitems")


class BadGradeRequestError(LtiError):
    """A grade or line item request is missing a field or has a wrong one."""

    code = "gradebook.bad_request"
    title = "The request could not be read"


def _instructor_launch() -> Launch:
    launch = current_launch()
    if not roles.is_instructor(launch.roles):
        raise ForbiddenError("only the course's instructors manage grades")
    return launch


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadGradeRequestError("send a JSON object")
    return body


def _text(body: dict[str, Any], name: str, required: bool = True) -> str:
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadGradeRequestError(f"{name} must be a non-empty string")
    return value.strip()


def _number(body: dict[str, Any], name: str, positive: bool = False) -> float:
    value = body.get(name)
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            value = None
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise BadGradeRequestError(f"{name} must be a number of 0 or more")
    if positive and value <= 0:
        raise BadGradeRequestError(f"{name} must be greater than 0")
    return float(value)


def _item_json(item: LineItem) -> dict[str, Any]:
    return item.to_json()


@bp.get("")
def list_line_items() -> Response:
    """The course's line items."""
    client = AgsClient(_instructor_launch())
    return jsonify([_item_json(i) for i in client.line_items()])


@bp.post("")
def create_line_item() -> tuple[Response, int]:
    """Create a gradebook column."""
    body = _body()
    client = AgsClient(_instructor_launch())
    item = client.create_line_item(
        LineItem(
            label=_text(body, "label"),
            score_maximum=_number(body, "scoreMaximum", positive=True),
            tag=_text(body, "tag", required=False) or None,
        )
    )
    return jsonify(_item_json(item)), 201


@bp.post("/rename")
def rename_line_item() -> Response:
    """Change a line item's label (a PUT of the whole item)."""
    body = _body()
    client = AgsClient(_instructor_launch())
    item = client.get_line_item(_text(body, "id"))
    item.label = _text(body, "label")
    return jsonify(_item_json(client.update_line_item(item)))


@bp.post("/delete")
def delete_line_item() -> Response:
    """Delete a line item."""
    body = _body()
    AgsClient(_instructor_launch()).delete_line_item(_text(body, "id"))
    return jsonify({"deleted": body["id"]})


@bp.post("/grade")
def grade() -> Response:
    """Give a learner a score, with a comment, on a line item."""
    body = _body()
    launch = _instructor_launch()
    score = Score(
        user_id=_text(body, "user_id"),
        score_given=_number(body, "score"),
        score_maximum=_number(body, "maximum", positive=True),
        comment=_text(body, "comment", required=False),
        activity_progress="Completed",
        grading_progress="FullyGraded",
        scoring_user_id=launch.user_id,
    )
    AgsClient(launch).post_score(_text(body, "id"), score)
    return jsonify({"graded": score.user_id})


@bp.get("/results")
def results() -> Response:
    """Everyone's results on a line item."""
    line_item = request.args.get("id", "")
    if not line_item:
        raise BadGradeRequestError("id is required")
    client = AgsClient(_instructor_launch())
    return jsonify(
        [
            {
                "user_id": r.user_id,
                "score": r.result_score,
                "maximum": r.result_maximum,
                "comment": r.comment,
            }
            for r in client.results(line_item)
        ]
    )
