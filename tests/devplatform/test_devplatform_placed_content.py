"""Content placed by deep linking: the outline, later launches, grades, reset."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.devplatform.agsside import LEARNER, SCORE, headers, score
from tests.devplatform.dlside import DL_SETTINGS, LTI, TOOL_URL, quiz_item, web_item
from tests.devplatform.toolside import NRPS_SCOPE, bearer

AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
LINEITEMS = "http://localhost:5001/learn/api/v1/lti/courses/_122_1/lineItems"
NRPS = "/learn/api/v1/lti/external/namesandroles/_122_1?placement_id=_553_1"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


@pytest.fixture
def placed(client: Any, launch_claims: Any, dl_responses: Any) -> dict[str, Any]:
    """Place a graded quiz, an ungraded reading and a web link; return content."""
    data = launch_claims(user="instructor", deep_link=True)[DL_SETTINGS]["data"]
    reading = quiz_item(
        title="Reading 2",
        custom={"activity": "reading-2"},
        lineItem=None,
        url=None,
    )
    token = dl_responses.build(data, [quiz_item(), reading, web_item()])

    response = client.post("/deep-linking/return", data={"JWT": token})

    assert response.status_code == 200, response.text
    content: dict[str, Any] = client.get("/admin/content").json
    return content


def test_course_page_lists_placed_links(client: Any, placed: Any):
    html = client.get("/").text

    for link_id in ("_18938_1", "_18939_1", "_19001_1", "_19002_1"):
        assert f'data-launch="{link_id}"' in html
    assert "Quiz 2: Deep linking" in html
    assert "graded: <code>_7456_1</code>" in html
    assert "available from" in html
    assert 'data-web-link="_19003_1"' in html
    assert 'href="https://www.imsglobal.org/spec/lti/v1p3"' in html


def test_placed_link_launches_like_a_seeded_one(
    client: Any, placed: Any, launch_claims: Any
):
    page = client.get("/launch?user=learner&link=_19001_1")
    claims = launch_claims(user="learner", link="_19001_1")

    assert page.status_code == 200
    assert claims[LTI + "message_type"] == "LtiResourceLinkRequest"
    assert claims[LTI + "resource_link"] == {
        "id": "_19001_1",
        "title": "Quiz 2: Deep linking",
        "description": "Five questions on content items.",
    }
    assert claims[LTI + "custom"] == {"activity": "quiz-2", "difficulty": "standard"}
    assert claims[LTI + "target_link_uri"] == TOOL_URL + "/lti/launch"
    assert claims[AGS]["lineitem"] == LINEITEMS + "/_7456_1"
    assert claims[AGS]["lineitems"] == LINEITEMS


def test_ungraded_placed_link_has_no_lineitem_claim(placed: Any, launch_claims: Any):
    claims = launch_claims(user="learner", link="_19002_1")

    assert claims[LTI + "custom"] == {"activity": "reading-2"}
    assert claims[LTI + "target_link_uri"] == TOOL_URL + "/lti/launch"
    assert "lineitem" not in claims[AGS]


def test_web_link_cannot_be_launched(client: Any, placed: Any):
    response = client.get("/launch?user=learner&link=_19003_1")

    assert response.status_code == 400
    assert "unknown content item" in response.text


def test_gradebook_page_shows_the_new_line_item(client: Any, placed: Any):
    html = client.get("/gradebook").text

    assert 'data-line-item="_7456_1"' in html
    assert re.search(r"<code>_19001_1</code>\s*Quiz 2: Deep linking", html)


def test_new_line_item_takes_scores(client: Any, placed: Any, lti_token: Any):
    token = lti_token((SCORE,))
    response = client.post(
        "/learn/api/v1/lti/courses/_122_1/lineItems/_7456_1/scores",
        json=score(LEARNER, given=15),
        headers=headers(token, Content_Type=SCORE_TYPE),
    )

    assert response.status_code == 200
    (stored,) = client.get("/admin/gradebook").json["scores"]
    assert (stored["line_item"], stored["result_score"]) == ("_7456_1", 10)


def test_nrps_knows_the_placed_link(client: Any, placed: Any, lti_token: Any):
    response = client.get(
        NRPS + "&rlid=_19001_1", headers=bearer(lti_token((NRPS_SCOPE,)))
    )

    members = response.get_json(force=True)["members"]
    assert response.status_code == 200
    (message,) = members[0]["message"]
    assert message[LTI + "resource_link"]["id"] == "_19001_1"
    assert message[LTI + "custom"]["activity"] == "quiz-2"


def test_reset_content_goes_back_to_the_seeded_links(client: Any, placed: Any):
    response = client.post("/admin/reset-content")

    assert response.status_code == 200
    assert [link["id"] for link in response.json["links"]] == ["_18938_1", "_18939_1"]
    assert response.json["web_links"] == []
    assert response.json["removed_line_items"] == ["_7456_1"]
    pks = [item["pk"] for item in client.get("/admin/gradebook").json["line_items"]]
    assert pks == ["_7454_1", "_7455_1"]
    assert 'data-launch="_19001_1"' not in client.get("/").text


def test_ids_start_again_after_reset(
    client: Any, placed: Any, launch_claims: Any, dl_responses: Any
):
    client.post("/admin/reset-content")
    data = launch_claims(user="instructor", deep_link=True)[DL_SETTINGS]["data"]

    client.post(
        "/deep-linking/return",
        data={"JWT": dl_responses.build(data, [quiz_item(lineItem=None)])},
    )

    ids = [link["id"] for link in client.get("/admin/content").json["links"]]
    assert ids == ["_18938_1", "_18939_1", "_19001_1"]


def test_admin_content_lists_the_seeded_links(client: Any):
    links = client.get("/admin/content").json["links"]

    assert links[0] == {
        "id": "_18938_1",
        "title": "Quiz 1: How a launch works",
        "text": "Five questions on login initiation and the id_token.",
        "url": None,
        "custom": {"activity": "quiz-1"},
        "presentation": {},
        "available": {},
        "line_item": "_7454_1",
        "line_item_url": LINEITEMS + "/_7454_1",
        "placed": False,
    }
    assert links[1]["line_item"] is None
    assert links[1]["line_item_url"] is None
