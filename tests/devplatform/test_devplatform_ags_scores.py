"""AGS scores and results: the score rules, Learn's quirks, and results paging."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.devplatform.agsside import (
    DROPPED,
    LEARNER,
    LINEITEM,
    LINEITEMS,
    PARTICIPATION,
    PLACEMENT,
    PLATFORM,
    PREVIEW,
    QUIZ,
    RESULT_READONLY,
    RESULTS_TYPE,
    SCORE,
    SCORE_TYPE,
    headers,
    links,
    path_of,
    score,
)

INSTRUCTOR = "f9f17be4844f460ebfde9e407c4d1e01"


@pytest.fixture
def post(client: Any, lti_token: Any) -> Any:
    """Return a function that posts a score with a token holding every scope."""
    token = lti_token()

    def send(body: Any, url: str = QUIZ + "/scores", **more: str) -> Any:
        sent = headers(token, Content_Type=SCORE_TYPE)
        sent.update(more)
        return client.post(url, data=json.dumps(body), headers=sent)

    return send


@pytest.fixture
def results(client: Any, lti_token: Any) -> Any:
    """Return a function that reads a results URL (path and query)."""
    token = lti_token()

    def read(url: str = QUIZ + "/results") -> Any:
        return client.get(url, headers=headers(token, Accept=RESULTS_TYPE))

    return read


def _stored(client: Any) -> list[dict[str, Any]]:
    """Return the scores the platform holds."""
    scores: list[dict[str, Any]] = client.get("/admin/gradebook").json["scores"]
    return scores


def test_score_is_stored_and_answered_with_an_empty_200(client: Any, post: Any):
    response = post(score(given=24, comment="Well done"))

    assert response.status_code == 200
    assert response.data == b""
    assert _stored(client) == [
        {
            "line_item": "_7454_1",
            "line_item_url": PLATFORM + QUIZ,
            "user_id": LEARNER,
            "user": "learner",
            "score_given": 24,
            "score_maximum": 30,
            "comment": "Well done",
            "activity_progress": "Completed",
            "grading_progress": "FullyGraded",
            "timestamp": "2025-03-01T12:00:00.000Z",
            "result_score": 24,
        }
    ]


def test_scores_need_the_score_scope(client: Any, lti_token: Any):
    token = lti_token((LINEITEM, RESULT_READONLY))

    response = client.post(
        QUIZ + "/scores",
        data=json.dumps(score()),
        headers=headers(token, Content_Type=SCORE_TYPE),
    )

    assert response.status_code == 403
    assert SCORE in response.json["message"]
    assert _stored(client) == []


def test_score_without_a_token_is_401(client: Any):
    response = client.post(
        QUIZ + "/scores",
        data=json.dumps(score()),
        headers={"Content-Type": SCORE_TYPE},
    )

    assert response.status_code == 401


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/vnd.ims.lis.v2.score+json",
        "application/vnd.ims.lis.v2.lineitem+json",
    ],
)
def test_score_needs_the_v1_score_media_type(post: Any, content_type: str):
    response = post(score(), **{"Content-Type": content_type})

    assert response.status_code == 415
    assert SCORE_TYPE in response.json["message"]


def test_score_for_an_unknown_line_item_is_404(post: Any):
    assert post(score(), url=LINEITEMS + "/_1_1/scores").status_code == 404


@pytest.mark.parametrize(
    "changes",
    [
        {"userId": None},
        {"userId": ""},
        {"timestamp": None},
        {"activityProgress": None},
        {"activityProgress": "Done"},
        {"gradingProgress": None},
        {"gradingProgress": "Graded"},
        {"scoreMaximum": None},
        {"scoreGiven": -1},
        {"scoreGiven": "20"},
        {"scoreMaximum": 0},
        {"scoreMaximum": True},
        {"comment": 42},
    ],
)
def test_score_members_are_checked(client: Any, post: Any, changes: dict[str, Any]):
    body = {**score(), **changes}

    response = post({k: v for k, v in body.items() if v is not None})

    assert response.status_code == 400
    assert response.json["status"] == 400
    assert _stored(client) == []


@pytest.mark.parametrize(
    "timestamp",
    [
        "2025-03-01T12:00:00Z",
        "2025-03-01T12:00:00+00:00",
        "2025-03-01T12:00:00.123",
        "2025-03-01 12:00:00.123Z",
        "2025-03-01T12:00:00.Z",
        "2025-02-30T12:00:00.123Z",
        "1740830400123",
        1740830400,
    ],
)
def test_timestamp_needs_fraction_and_offset(post: Any, timestamp: Any):
    response = post(score(timestamp=timestamp))

    assert response.status_code == 400
    assert "timestamp" in response.json["message"]


@pytest.mark.parametrize(
    "timestamp",
    [
        "2025-03-01T12:00:00.1Z",
        "2025-03-01T12:00:00.123456789Z",
        "2025-03-01T13:00:00.000+01:00",
        "2025-03-01T06:30:00.250-05:30",
    ],
)
def test_timestamp_forms_that_are_accepted(client: Any, post: Any, timestamp: str):
    assert post(score(timestamp=timestamp)).status_code == 200
    assert _stored(client)[0]["timestamp"] == timestamp


def test_progress_without_a_score(client: Any, post: Any, results: Any):
    response = post(
        score(given=None, activityProgress="Started", gradingProgress="NotReady")
    )

    (stored,) = _stored(client)
    (result,) = results().get_json(force=True)
    assert response.status_code == 200
    assert stored["score_given"] is None and stored["result_score"] is None
    assert stored["activity_progress"] == "Started"
    assert "resultScore" not in result
    assert result["resultMaximum"] == 30


def test_score_may_exceed_the_maximum(client: Any, post: Any):
    assert post(score(given=33)).status_code == 200
    assert _stored(client)[0]["result_score"] == 33


def test_a_later_timestamp_replaces_the_score(client: Any, post: Any):
    post(score(at=0, given=10, comment="first"))
    post(score(at=1, given=25, comment="second"))

    (stored,) = _stored(client)
    assert (stored["score_given"], stored["comment"]) == (25, "second")


@pytest.mark.parametrize("later_by", [0, -1, -60_000])
def test_an_equal_or_older_timestamp_is_ignored(client: Any, post: Any, later_by: int):
    post(score(at=0, given=10, comment="kept"))

    response = post(score(at=later_by, given=30, comment="ignored"))

    (stored,) = _stored(client)
    assert response.status_code == 200
    assert (stored["score_given"], stored["comment"]) == (10, "kept")


def test_timestamps_compare_as_instants_across_offsets(client: Any, post: Any):
    post(score(timestamp="2025-03-01T12:00:00.500Z", given=10))

    earlier = post(score(timestamp="2025-03-01T13:00:00.400+01:00", given=20))
    later = post(score(timestamp="2025-03-01T13:00:00.600+01:00", given=30))

    assert earlier.status_code == later.status_code == 200
    assert _stored(client)[0]["score_given"] == 30


def test_nanoseconds_order_scores(client: Any, post: Any):
    post(score(timestamp="2025-03-01T12:00:00.123456789Z", given=10))
    post(score(timestamp="2025-03-01T12:00:00.123456788Z", given=99))
    post(score(timestamp="2025-03-01T12:00:00.12345679Z", given=20))

    assert _stored(client)[0]["score_given"] == 20


def test_timestamps_are_kept_per_item_and_user(client: Any, post: Any):
    post(score(at=10, given=10))

    other_user = post(score(user_id=PREVIEW, at=0, given=5))
    other_item = post(score(at=0, given=7), url=PARTICIPATION + "/scores" + PLACEMENT)

    assert other_user.status_code == other_item.status_code == 200
    assert len(_stored(client)) == 3


def test_a_score_without_comment_clears_the_comment(
    client: Any, post: Any, results: Any
):
    post(score(at=0, comment="Good start"))
    post(score(at=1, given=22))

    (stored,) = _stored(client)
    (result,) = results().get_json(force=True)
    assert stored["comment"] is None
    assert "comment" not in result


def test_unknown_user_gives_learns_400(client: Any, post: Any):
    response = post(score(user_id="0000000000000000000000000000dead"))

    assert response.status_code == 400
    assert "User could not be found: 0000000000000000000000000000dead" in (
        response.text
    )
    assert _stored(client) == []


def test_every_member_can_be_scored(client: Any, post: Any):
    for number, user in enumerate((INSTRUCTOR, LEARNER, PREVIEW, DROPPED)):
        assert post(score(user_id=user, at=number)).status_code == 200

    assert len(_stored(client)) == 4


def test_attempt_limit_switch_gives_422(client: Any, post: Any):
    changed = client.post("/admin/settings", json={"attempt_limit_items": ["_7454_1"]})

    limited = post(score())
    other = post(score(), url=PARTICIPATION + "/scores" + PLACEMENT)

    assert changed.json["attempt_limit_items"] == ["_7454_1"]
    assert limited.status_code == 422
    assert limited.json == {
        "status": 422,
        "message": "The maximum number of allowed attempts has been reached",
    }
    assert other.status_code == 200
    assert [s["line_item"] for s in _stored(client)] == ["_7455_1"]


def test_attempt_limit_switch_can_be_lifted(client: Any, post: Any):
    client.post("/admin/settings", json={"attempt_limit_items": ["_7454_1"]})
    client.post("/admin/settings", json={"attempt_limit_items": []})

    assert post(score()).status_code == 200


@pytest.mark.parametrize("value", ["_7454_1", [7454], ["7454"], ["_7454_1", None]])
def test_bad_attempt_limit_settings_are_refused(client: Any, value: Any):
    response = client.post("/admin/settings", json={"attempt_limit_items": value})

    assert response.status_code == 400
    assert client.get("/admin/settings").json["attempt_limit_items"] == []


def test_query_string_item_takes_scores_with_its_query(client: Any, post: Any):
    without = post(score(), url=PARTICIPATION + "/scores")
    kept = post(score(given=8), url=PARTICIPATION + "/scores" + PLACEMENT)

    assert without.status_code == 404
    assert kept.status_code == 200
    assert _stored(client)[0]["line_item"] == "_7455_1"


def test_results_of_an_item(post: Any, results: Any):
    post(score(given=24, comment="Well done"))
    post(score(user_id=PREVIEW, given=15, scoreMaximum=15))

    response = results()

    assert response.status_code == 200
    assert response.mimetype == RESULTS_TYPE
    assert response.get_json(force=True) == [
        {
            "id": PLATFORM + QUIZ + "/results/" + LEARNER,
            "scoreOf": PLATFORM + QUIZ,
            "userId": LEARNER,
            "resultScore": 24,
            "resultMaximum": 30,
            "comment": "Well done",
        },
        {
            "id": PLATFORM + QUIZ + "/results/" + PREVIEW,
            "scoreOf": PLATFORM + QUIZ,
            "userId": PREVIEW,
            "resultScore": 30,
            "resultMaximum": 30,
        },
    ]


def test_results_are_on_the_items_scale(post: Any, results: Any):
    post(score(given=2, scoreMaximum=3))

    (result,) = results().get_json(force=True)

    assert (result["resultScore"], result["resultMaximum"]) == (20, 30)


def test_user_id_filter_leaves_the_comment_out(post: Any, results: Any):
    post(score(given=24, comment="Well done"))
    post(score(user_id=PREVIEW, given=12, comment="Try again"))

    (result,) = results(f"{QUIZ}/results?user_id={LEARNER}").get_json(force=True)
    unfiltered = results().get_json(force=True)

    assert result["userId"] == LEARNER
    assert result["resultScore"] == 24
    assert "comment" not in result
    assert [r["comment"] for r in unfiltered] == ["Well done", "Try again"]


def test_user_id_filter_for_someone_without_a_result(post: Any, results: Any):
    post(score())

    response = results(f"{QUIZ}/results?user_id={PREVIEW}")

    assert response.status_code == 200
    assert response.get_json(force=True) == []


def test_results_are_paged(post: Any, results: Any):
    for number, user in enumerate((INSTRUCTOR, LEARNER, PREVIEW)):
        post(score(user_id=user, at=number))

    first = results()
    second = results(path_of(links(first)["next"]))

    assert [r["userId"] for r in first.get_json(force=True)] == [INSTRUCTOR, LEARNER]
    assert [r["userId"] for r in second.get_json(force=True)] == [PREVIEW]
    assert "Link" not in second.headers


def test_results_limit_and_next_link_keep_the_query(post: Any, results: Any):
    for number, user in enumerate((LEARNER, PREVIEW)):
        post(score(user_id=user, at=number), url=PARTICIPATION + "/scores" + PLACEMENT)

    first = results(PARTICIPATION + "/results" + PLACEMENT + "&limit=1")
    next_url = links(first)["next"]
    second = results(path_of(next_url))

    assert len(first.get_json(force=True)) == 1
    assert urlsplit(next_url).path == PARTICIPATION + "/results"
    assert parse_qs(urlsplit(next_url).query) == {
        "placement": ["_553_1"],
        "limit": ["1"],
        "offset": ["1"],
    }
    assert [r["userId"] for r in second.get_json(force=True)] == [PREVIEW]
    assert second.get_json(force=True)[0]["scoreOf"] == (
        PLATFORM + PARTICIPATION + PLACEMENT
    )


def test_results_need_the_result_scope(client: Any, lti_token: Any):
    token = lti_token((LINEITEM, SCORE))

    response = client.get(QUIZ + "/results", headers=headers(token))

    assert response.status_code == 403
    assert RESULT_READONLY in response.json["message"]


def test_results_check_accept(results: Any, client: Any, lti_token: Any):
    token = lti_token()

    wrong = client.get(
        QUIZ + "/results", headers=headers(token, Accept="application/json")
    )

    assert wrong.status_code == 406
    assert results().status_code == 200


def test_query_string_item_results_need_the_query(results: Any):
    assert results(PARTICIPATION + "/results").status_code == 404
    assert results(PARTICIPATION + "/results" + PLACEMENT).status_code == 200


def test_deleting_an_item_removes_its_results(
    client: Any, lti_token: Any, post: Any, results: Any
):
    post(score())
    post(score(), url=PARTICIPATION + "/scores" + PLACEMENT)

    client.delete(QUIZ, headers=headers(lti_token()))

    assert [s["line_item"] for s in _stored(client)] == ["_7455_1"]
    assert results().status_code == 404
