"""The learner's side: take the activity, post the score, see the result."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from app.errors import ForbiddenError, LtiError
from app.lti import roles
from app.lti.claims import Launch
from app.lti.session import current_launch
from app.services.ags import AgsClient, Score
from app.tool.catalog import Activity, activity_for
from app.tool.grading import find_line_item, line_item_for_link

bp = Blueprint("tool_activity", __name__, url_prefix="/api/activity")


class UnknownActivityError(LtiError):
    """The link names an activity the tool does not have."""

    code = "activity.unknown"
    status = 404
    title = "This link opens an activity the tool does not have"
    hint = "Check the link's custom parameter 'activity' in Learn."


def _activity(launch: Launch) -> Activity:
    activity = activity_for(launch.custom)
    if activity is None:
        raise UnknownActivityError(
            f"unknown activity {launch.custom.get('activity')!r}"
        )
    return activity


class BadAnswersError(LtiError):
    """The answers sent are not a list of choices."""

    code = "activity.bad_answers"
    title = "The answers could not be read"


def _answers(body: Any, count: int) -> dict[int, int]:
    answers = body.get("answers") if isinstance(body, dict) else None
    if not isinstance(answers, list) or len(answers) != count:
        raise BadAnswersError(f"send {count} answers")
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in answers):
        raise BadAnswersError("each answer is the index of a choice")
    return dict(enumerate(answers))


@bp.post("/submit")
def submit() -> Response:
    """Grade the learner's answers and post the score to the gradebook."""
    launch = current_launch()
    if not roles.is_learner(launch.roles):
        raise ForbiddenError("only learners submit the activity")
    activity = _activity(launch)
    answers = _answers(request.get_json(silent=True), len(activity.questions))

    client = AgsClient(launch)
    line_item = line_item_for_link(client, launch, activity)
    points = activity.grade(answers)
    client.post_score(
        line_item,
        Score(
            user_id=launch.user_id,
            score_given=points,
            score_maximum=activity.score_maximum,
            activity_progress="Completed",
            grading_progress="FullyGraded",
            comment=f"{points // activity.points_per_question} of "
            f"{len(activity.questions)} right, graded by the tool",
        ),
    )
    return jsonify(
        {"score": points, "maximum": activity.score_maximum, "line_item": line_item}
    )


@bp.get("/result")
def result() -> Response:
    """The learner's current result on the link's line item."""
    launch = current_launch()
    _activity(launch)
    client = AgsClient(launch)
    line_item = find_line_item(client, launch)
    mine = client.results(line_item, user_id=launch.user_id) if line_item else []
    if not mine:
        return jsonify({"result": None})
    return jsonify(
        {
            "result": {
                "score": mine[0].result_score,
                "maximum": mine[0].result_maximum,
                "comment": mine[0].comment,
            }
        }
    )
