"""The gradebook page, its admin JSON and reset, and the course page link."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.devplatform.agsside import (
    LINEITEM_TYPE,
    LINEITEMS,
    PARTICIPATION,
    PLACEMENT,
    PLATFORM,
    PREVIEW,
    QUIZ,
    SCORE_TYPE,
    headers,
    score,
)

INSTRUCTOR = "f9f17be4844f460ebfde9e407c4d1e01"


class _Cells(HTMLParser):
    """Collect the ``#gradebook`` score cells: attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str], dict[str, str]] = {}
        self.tables: list[str] = []
        self._open: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "table":
            self.tables.append(values.get("id", ""))
        if tag == "td" and "data-user" in values and self.tables[-1] == "gradebook":
            self._open = {**values, "text": ""}
            self.cells[values["data-user"], values["data-item"]] = self._open

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._open is not None:
            self._open["text"] = self._open["text"].strip()
            self._open = None


def _cells(html: str) -> dict[tuple[str, str], dict[str, str]]:
    """Return the score cells of the gradebook page by (user key, item pk)."""
    parser = _Cells()
    parser.feed(html)
    return parser.cells


@pytest.fixture
def post(client: Any, lti_token: Any) -> Any:
    """Return a function that posts a score to the quiz (or another item)."""
    token = lti_token()

    def send(body: Any, url: str = QUIZ + "/scores") -> Any:
        response = client.post(
            url,
            data=json.dumps(body),
            headers=headers(token, Content_Type=SCORE_TYPE),
        )
        assert response.status_code == 200, response.json
        return response

    return send


def test_page_lists_the_line_items(client: Any):
    response = client.get("/gradebook")

    html = response.text
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert 'id="line-items"' in html
    assert "Quiz 1: How a launch works" in html and "Participation" in html
    assert '<tr data-line-item="_7454_1">' in html
    assert "<code>_18938_1</code>" in html
    assert "<code>?placement=_553_1</code>" in html


def test_page_has_an_empty_cell_per_learner_and_item(client: Any):
    cells = _cells(client.get("/gradebook").text)

    assert set(cells) == {
        (user, item)
        for user in ("learner", "preview", "dropped")
        for item in ("_7454_1", "_7455_1")
    }
    assert all(cell["text"] == "" for cell in cells.values())


def test_page_shows_scores_as_they_arrive(client: Any, post: Any):
    post(score(given=20, comment="Good <b>work</b>"))
    post(score(given=4, scoreMaximum=5), url=PARTICIPATION + "/scores" + PLACEMENT)

    cells = _cells(client.get("/gradebook").text)

    quiz = cells["learner", "_7454_1"]
    assert quiz["text"] == "20"
    assert quiz["title"] == quiz["data-comment"] == "Good <b>work</b>"
    assert quiz["data-progress"] == "Completed, FullyGraded"
    assert cells["learner", "_7455_1"]["text"] == "8"
    assert cells["learner", "_7455_1"]["title"] == ""
    assert cells["preview", "_7454_1"]["text"] == ""


def test_page_escapes_comments(client: Any, post: Any):
    post(score(comment='<script>alert("x")</script>'))

    html = client.get("/gradebook").text

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_page_adds_a_row_for_a_scored_instructor(client: Any, post: Any):
    post(score(user_id=INSTRUCTOR, given=30))

    cells = _cells(client.get("/gradebook").text)

    assert cells["instructor", "_7454_1"]["text"] == "30"
    assert ("ta", "_7454_1") not in cells


def test_page_shows_new_and_loses_deleted_items(client: Any, lti_token: Any, post: Any):
    token = lti_token()
    post(score())
    client.post(
        LINEITEMS,
        data=json.dumps({"label": "Essay", "scoreMaximum": 50}),
        headers=headers(token, Content_Type=LINEITEM_TYPE),
    )
    client.delete(QUIZ, headers=headers(token))

    cells = _cells(client.get("/gradebook").text)

    assert {item for _, item in cells} == {"_7455_1", "_7456_1"}
    assert "Essay" in client.get("/gradebook").text


def test_page_refreshes_itself(client: Any):
    assert '<meta http-equiv="refresh" content="5">' in client.get("/gradebook").text


def test_course_page_links_to_the_gradebook(client: Any):
    html = client.get("/").text

    assert '<a id="gradebook-link" href="/gradebook">' in html


def test_admin_gradebook_json(client: Any, post: Any):
    post(
        score(
            user_id=PREVIEW,
            given=None,
            activityProgress="Started",
            gradingProgress="NotReady",
        )
    )

    body = client.get("/admin/gradebook").json

    assert [item["pk"] for item in body["line_items"]] == ["_7454_1", "_7455_1"]
    assert body["line_items"][1]["id"] == PLATFORM + PARTICIPATION + PLACEMENT
    assert body["line_items"][0]["resourceLinkId"] == "_18938_1"
    (stored,) = body["scores"]
    assert stored == {
        "line_item": "_7454_1",
        "line_item_url": PLATFORM + QUIZ,
        "user_id": PREVIEW,
        "user": "preview",
        "score_given": None,
        "score_maximum": None,
        "comment": None,
        "activity_progress": "Started",
        "grading_progress": "NotReady",
        "timestamp": "2025-03-01T12:00:00.000Z",
        "result_score": None,
    }


def test_reset_gradebook_restores_the_seed(client: Any, lti_token: Any, post: Any):
    token = lti_token()
    post(score())
    client.put(
        QUIZ,
        data=json.dumps({"label": "Renamed", "scoreMaximum": 5}),
        headers=headers(token, Content_Type=LINEITEM_TYPE),
    )
    client.post(
        LINEITEMS,
        data=json.dumps({"label": "Essay", "scoreMaximum": 50}),
        headers=headers(token, Content_Type=LINEITEM_TYPE),
    )
    client.delete(PARTICIPATION + PLACEMENT, headers=headers(token))

    response = client.post("/admin/reset-gradebook")

    assert response.status_code == 200
    assert response.json == client.get("/admin/gradebook").json
    assert response.json["scores"] == []
    labels = [item["label"] for item in response.json["line_items"]]
    assert labels == ["Quiz 1: How a launch works", "Participation"]
    again = client.post(
        LINEITEMS,
        data=json.dumps({"label": "Essay", "scoreMaximum": 50}),
        headers=headers(token, Content_Type=LINEITEM_TYPE),
    )
    assert again.json["id"] == PLATFORM + LINEITEMS + "/_7456_1"
