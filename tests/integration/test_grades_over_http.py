"""Grades and rosters through the tool's API against the local platform's AGS
and NRPS (small pages, a line item URL with a query string, Learn's quirks)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.htmlforms import launch_token_in
from tests.stack import Stack, begin_launch, start_stack

pytestmark = pytest.mark.integration

LEARNER_SUB = "8379c4ba57cc492fb621f01c0064cee7"
RIGHT_ANSWERS = [1, 0, 2]


@pytest.fixture
def grades_stack(stack: Stack) -> Iterator[Stack]:
    stack.admin("reset-gradebook")
    stack.admin("settings", {"attempt_limit_items": []})
    yield stack
    stack.admin("settings", {"attempt_limit_items": []})


def token_for(stack: Stack, user: str) -> str:
    page = begin_launch(stack, user=user).send()
    assert page.status_code == 200, page.text
    return launch_token_in(page.text)


def api(stack: Stack, token: str, path: str, body: Any = None) -> requests.Response:
    headers = {"X-Launch-Token": token, "Accept": "application/json"}
    if body is None:
        return requests.get(stack.tool_url + path, headers=headers, timeout=30)
    return requests.post(stack.tool_url + path, json=body, headers=headers, timeout=30)


def gradebook(stack: Stack) -> dict[str, Any]:
    result: dict[str, Any] = requests.get(
        stack.platform_url + "/admin/gradebook", timeout=5
    ).json()
    return result


def test_line_items_created_listed_across_pages_renamed_deleted(
    grades_stack: Stack,
) -> None:
    token = token_for(grades_stack, "instructor")
    for label in ("Essay", "Lab 1", "Lab 2"):
        created = api(
            grades_stack, token, "/api/lineitems", {"label": label, "scoreMaximum": 20}
        )
        assert created.status_code == 201, created.text
    grades_stack.admin("reset-stats")

    items = api(grades_stack, token, "/api/lineitems").json()

    assert len(items) == 5  # two seeded, three new: three pages of two
    assert grades_stack.platform_stats()["ags_requests"] == 3
    essay = next(i for i in items if i["label"] == "Essay")
    renamed = api(
        grades_stack,
        token,
        "/api/lineitems/rename",
        {"id": essay["id"], "label": "Final essay"},
    )
    assert renamed.status_code == 200 and renamed.json()["label"] == "Final essay"
    assert renamed.json()["scoreMaximum"] == 20  # the whole item was sent back
    assert (
        api(
            grades_stack, token, "/api/lineitems/delete", {"id": essay["id"]}
        ).status_code
        == 200
    )
    labels = [i["label"] for i in gradebook(grades_stack)["line_items"]]
    assert "Final essay" not in labels and "Lab 2" in labels


def test_grading_a_line_item_whose_url_has_a_query_string(grades_stack: Stack) -> None:
    token = token_for(grades_stack, "instructor")
    items = api(grades_stack, token, "/api/lineitems").json()
    participation = next(i for i in items if i["label"] == "Participation")
    assert "?" in participation["id"]

    graded = api(
        grades_stack,
        token,
        "/api/lineitems/grade",
        {
            "id": participation["id"],
            "user_id": LEARNER_SUB,
            "score": 8,
            "maximum": 10,
            "comment": "Good participation",
        },
    )
    results = api(
        grades_stack,
        token,
        "/api/lineitems/results?id=" + requests.utils.quote(participation["id"]),
    )

    assert graded.status_code == 200, graded.text
    (score,) = [
        s for s in gradebook(grades_stack)["scores"] if s["line_item"] == "_7455_1"
    ]
    assert score["score_given"] == 8 and score["comment"] == "Good participation"
    assert results.json() == [
        {
            "user_id": LEARNER_SUB,
            "score": 8,
            "maximum": 10,
            "comment": "Good participation",
        }
    ]


def test_learner_activity_posts_the_score_and_reads_it_back(
    grades_stack: Stack,
) -> None:
    token = token_for(grades_stack, "learner")

    submitted = api(
        grades_stack, token, "/api/activity/submit", {"answers": RIGHT_ANSWERS}
    )
    result = api(grades_stack, token, "/api/activity/result").json()["result"]

    assert submitted.json() == {
        "score": 30,
        "maximum": 30,
        "line_item": submitted.json()["line_item"],
    }
    (score,) = gradebook(grades_stack)["scores"]
    assert score["user_id"] == LEARNER_SUB and score["line_item"] == "_7454_1"
    assert score["activity_progress"] == "Completed"
    assert score["grading_progress"] == "FullyGraded"
    # The comment survives: results were read whole and filtered by the tool.
    assert result == {"score": 30, "maximum": 30, "comment": score["comment"]}
    assert score["comment"]


def test_roster_has_every_member_with_status(grades_stack: Stack) -> None:
    token = token_for(grades_stack, "instructor")
    grades_stack.admin("reset-stats")

    roster = api(grades_stack, token, "/api/roster?limit=2").json()

    assert grades_stack.platform_stats()["nrps_requests"] == 3  # pages of two
    assert roster["count"] == 5
    statuses = {m["name"]: m["status"] for m in roster["members"]}
    assert statuses["Lars Learner"] == "Active" and "Inactive" in statuses.values()
    assert any(m["test_user"] for m in roster["members"])


@pytest.mark.parametrize(
    ("user", "path", "body", "status", "code"),
    [
        (
            "instructor",
            "/api/lineitems/grade",
            {"id": "LINE_ITEM", "user_id": "nobody", "score": 1, "maximum": 1},
            400,
            "service.user_not_found",
        ),
        (
            "instructor",
            "/api/lineitems/rename",
            {"id": "MISSING", "label": "x"},
            404,
            "service.not_found",
        ),
        (
            "instructor",
            "/api/lineitems",
            {"label": "", "scoreMaximum": 5},
            400,
            "gradebook.bad_request",
        ),
        (
            "learner",
            "/api/activity/submit",
            {"answers": [1]},
            400,
            "activity.bad_answers",
        ),
        ("learner", "/api/lineitems", None, 403, "session.forbidden"),
    ],
)
def test_platform_and_input_errors_are_clear_json(
    grades_stack: Stack, user: str, path: str, body: Any, status: int, code: str
) -> None:
    token = token_for(grades_stack, user)
    line_item = gradebook(grades_stack)["line_items"][0]["id"]
    if isinstance(body, dict) and body.get("id") == "LINE_ITEM":
        body = {**body, "id": line_item}
    if isinstance(body, dict) and body.get("id") == "MISSING":
        body = {**body, "id": line_item.rsplit("/", 1)[0] + "/_9999_1"}

    response = api(grades_stack, token, path, body)

    assert response.status_code == status, response.text
    assert response.json()["error"] == code and response.json()["message"]


def test_attempt_limit_is_a_clear_error(grades_stack: Stack) -> None:
    grades_stack.admin("settings", {"attempt_limit_items": ["_7454_1"]})
    token = token_for(grades_stack, "learner")

    response = api(
        grades_stack, token, "/api/activity/submit", {"answers": RIGHT_ANSWERS}
    )

    assert response.status_code == 409
    assert response.json()["error"] == "service.attempt_limit"


@pytest.fixture
def narrow_stack(tmp_path: Path) -> Iterator[Stack]:
    stack = start_stack(tmp_path, {"GUNICORN_WORKERS": "2"})
    yield stack
    stack.tool.stop()
    stack.platform.stop()


def test_scope_not_granted_is_a_clear_error(narrow_stack: Stack) -> None:
    narrow_stack.admin(
        "settings",
        {
            "lti_scopes": [
                "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
            ]
        },
    )
    token = token_for(narrow_stack, "learner")

    response = api(
        narrow_stack, token, "/api/activity/submit", {"answers": RIGHT_ANSWERS}
    )

    assert response.status_code == 403
    assert response.json()["error"] == "service.scope_not_granted"
