"""AGS line items: scopes, media types, filters, paging, create, replace, delete."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.devplatform.agsside import (
    CONTAINER_TYPE,
    LINEITEM,
    LINEITEM_READONLY,
    LINEITEM_TYPE,
    LINEITEMS,
    PARTICIPATION,
    PLACEMENT,
    PLATFORM,
    QUIZ,
    RESULT_READONLY,
    SCORE,
    headers,
    links,
    path_of,
)
from tests.devplatform.toolside import NRPS_SCOPE

QUIZ_DOCUMENT = {
    "id": PLATFORM + QUIZ,
    "label": "Quiz 1: How a launch works",
    "scoreMaximum": 30,
    "resourceLinkId": "_18938_1",
    "resourceId": "quiz-1",
    "tag": "quiz",
}
PARTICIPATION_DOCUMENT = {
    "id": PLATFORM + PARTICIPATION + PLACEMENT,
    "label": "Participation",
    "scoreMaximum": 10,
}
NEW_ITEM = {
    "label": "Quiz 2: Roles",
    "scoreMaximum": 20,
    "resourceLinkId": "_18939_1",
    "resourceId": "quiz-2",
    "tag": "quiz",
    "startDateTime": "2025-03-01T08:00:00.000Z",
    "endDateTime": "2025-03-08T23:59:59.000+01:00",
    "gradesReleased": True,
}


def _create(client: Any, token: str, document: dict[str, Any]) -> Any:
    """POST a line item the way a tool does."""
    return client.post(
        LINEITEMS,
        data=json.dumps(document),
        headers=headers(token, Content_Type=LINEITEM_TYPE, Accept=LINEITEM_TYPE),
    )


def _list(client: Any, token: str, url: str = LINEITEMS) -> Any:
    """GET a line item container page."""
    return client.get(url, headers=headers(token, Accept=CONTAINER_TYPE))


def test_seeded_line_items(client: Any, lti_token: Any):
    response = _list(client, lti_token())

    assert response.status_code == 200
    assert response.mimetype == CONTAINER_TYPE
    assert response.get_json(force=True) == [QUIZ_DOCUMENT, PARTICIPATION_DOCUMENT]
    assert "Link" not in response.headers


def test_quiz_item_is_the_launch_lineitem_claim(client: Any, lti_token: Any):
    body = client.get(QUIZ, headers=headers(lti_token(), Accept=LINEITEM_TYPE))

    assert body.status_code == 200
    assert body.mimetype == LINEITEM_TYPE
    assert body.get_json(force=True) == QUIZ_DOCUMENT


@pytest.mark.parametrize(
    "scopes", [(LINEITEM,), (LINEITEM_READONLY,)], ids=["lineitem", "readonly"]
)
def test_reading_needs_lineitem_or_readonly_scope(
    client: Any, lti_token: Any, scopes: tuple[str, ...]
):
    token = lti_token(scopes)

    assert _list(client, token).status_code == 200
    assert client.get(QUIZ, headers=headers(token)).status_code == 200


def test_reading_without_a_lineitem_scope_is_403(client: Any, lti_token: Any):
    token = lti_token((SCORE, RESULT_READONLY, NRPS_SCOPE))

    listed = _list(client, token)
    one = client.get(QUIZ, headers=headers(token))

    assert listed.status_code == 403
    assert one.status_code == 403
    assert LINEITEM in listed.json["message"]


def test_readonly_scope_may_not_write(client: Any, lti_token: Any):
    token = lti_token((LINEITEM_READONLY,))

    created = _create(client, token, NEW_ITEM)
    replaced = client.put(
        QUIZ,
        data=json.dumps(QUIZ_DOCUMENT),
        headers=headers(token, Content_Type=LINEITEM_TYPE),
    )
    deleted = client.delete(QUIZ, headers=headers(token))

    assert [created.status_code, replaced.status_code, deleted.status_code] == [
        403,
        403,
        403,
    ]


@pytest.mark.parametrize(
    "auth",
    [None, "Bearer", "Bearer not-a-token", "bearer {token}", "Basic abc"],
)
def test_missing_or_invalid_token_is_401(client: Any, lti_token: Any, auth: str | None):
    token = lti_token()
    sent = {} if auth is None else {"Authorization": auth.format(token=token)}

    response = client.get(LINEITEMS, headers=sent)

    assert response.status_code == 401
    assert response.json == {"status": 401, "message": "Bearer token is invalid"}


def test_expired_revoked_and_learn_tokens_are_401(
    client: Any, lti_token: Any, learn_token: Any, clock: Any
):
    expiring = lti_token()
    clock.advance(3600)
    revoked = lti_token()
    client.post("/admin/revoke-tokens")

    for token in (expiring, revoked, learn_token()):
        assert _list(client, token).status_code == 401


def test_another_course_is_404(client: Any, lti_token: Any):
    url = LINEITEMS.replace("_122_1", "_999_1")

    response = _list(client, lti_token(), url)

    assert response.status_code == 404
    assert response.json["status"] == 404


def test_unknown_line_item_is_404(client: Any, lti_token: Any):
    token = lti_token()
    url = LINEITEMS + "/_1_1"

    assert client.get(url, headers=headers(token)).status_code == 404
    assert client.delete(url, headers=headers(token)).status_code == 404
    put = client.put(
        url,
        data=json.dumps(NEW_ITEM),
        headers=headers(token, Content_Type=LINEITEM_TYPE),
    )
    assert put.status_code == 404
    assert put.json["message"] == "Could not find line item with ID: _1_1"


def test_wrong_accept_is_406_and_wildcards_pass(client: Any, lti_token: Any):
    token = lti_token()

    wrong = client.get(LINEITEMS, headers=headers(token, Accept=LINEITEM_TYPE))
    star = client.get(LINEITEMS, headers=headers(token, Accept="*/*"))
    none = client.get(LINEITEMS, headers=headers(token))

    assert wrong.status_code == 406
    assert CONTAINER_TYPE in wrong.json["message"]
    assert star.status_code == 200 and none.status_code == 200
    assert none.mimetype == CONTAINER_TYPE


@pytest.mark.parametrize(
    ("query", "labels"),
    [
        ("resource_link_id=_18938_1", ["Quiz 1: How a launch works"]),
        ("resource_id=quiz-1", ["Quiz 1: How a launch works"]),
        ("tag=quiz", ["Quiz 1: How a launch works", "Quiz 2: Roles"]),
        ("tag=quiz&resource_id=quiz-2", ["Quiz 2: Roles"]),
        ("resource_link_id=_18939_1", ["Quiz 2: Roles"]),
        ("tag=nothing", []),
    ],
)
def test_container_filters(client: Any, lti_token: Any, query: str, labels: list[str]):
    token = lti_token()
    _create(client, token, NEW_ITEM)

    response = _list(client, token, f"{LINEITEMS}?{query}")

    assert [item["label"] for item in response.get_json(force=True)] == labels


def test_paging_follows_next_links_and_keeps_filters(client: Any, lti_token: Any):
    token = lti_token()
    for number in range(3):
        _create(client, token, {**NEW_ITEM, "label": f"Quiz {number + 2}"})

    first = _list(client, token, LINEITEMS + "?tag=quiz")
    second = _list(client, token, path_of(links(first)["next"]))

    assert [i["label"] for i in first.get_json(force=True)] == [
        "Quiz 1: How a launch works",
        "Quiz 2",
    ]
    assert [i["label"] for i in second.get_json(force=True)] == ["Quiz 3", "Quiz 4"]
    next_query = parse_qs(urlsplit(links(first)["next"]).query)
    assert next_query == {"tag": ["quiz"], "offset": ["2"]}
    assert first.headers["Link"].endswith('; rel="next"')
    assert "Link" not in second.headers


def test_limit_sets_the_page_size(client: Any, lti_token: Any):
    token = lti_token()
    _create(client, token, NEW_ITEM)

    one = _list(client, token, LINEITEMS + "?limit=1")
    everything = _list(client, token, LINEITEMS + "?limit=10")

    assert len(one.get_json(force=True)) == 1
    assert parse_qs(urlsplit(links(one)["next"]).query)["limit"] == ["1"]
    assert len(everything.get_json(force=True)) == 3
    assert "Link" not in everything.headers


@pytest.mark.parametrize("query", ["limit=0", "limit=many", "offset=-1"])
def test_bad_paging_parameters_are_400(client: Any, lti_token: Any, query: str):
    response = _list(client, lti_token(), f"{LINEITEMS}?{query}")

    assert response.status_code == 400


def test_create_answers_201_with_the_stored_item(client: Any, lti_token: Any):
    token = lti_token()

    response = _create(client, token, NEW_ITEM)

    body = response.get_json(force=True)
    assert response.status_code == 201
    assert response.mimetype == LINEITEM_TYPE
    assert body == {**NEW_ITEM, "id": PLATFORM + LINEITEMS + "/_7456_1"}
    assert response.headers["Location"] == body["id"]
    fetched = client.get(path_of(body["id"]), headers=headers(token))
    assert fetched.get_json(force=True) == body


def test_created_items_get_new_ids_without_a_query(client: Any, lti_token: Any):
    token = lti_token()

    ids = [_create(client, token, NEW_ITEM).json["id"] for _ in range(2)]

    assert ids == [PLATFORM + LINEITEMS + f"/_{n}_1" for n in (7456, 7457)]


def test_create_keeps_only_the_members_sent(client: Any, lti_token: Any):
    response = _create(client, lti_token(), {"label": "Bonus", "scoreMaximum": 2.5})

    assert response.status_code == 201
    assert set(response.json) == {"id", "label", "scoreMaximum"}
    assert response.json["scoreMaximum"] == 2.5


@pytest.mark.parametrize(
    "document",
    [
        {"scoreMaximum": 10},
        {"label": "", "scoreMaximum": 10},
        {"label": "   ", "scoreMaximum": 10},
        {"label": 5, "scoreMaximum": 10},
        {"label": "No maximum"},
        {"label": "Zero", "scoreMaximum": 0},
        {"label": "Negative", "scoreMaximum": -1},
        {"label": "Text", "scoreMaximum": "10"},
        {"label": "Flag", "scoreMaximum": True},
        {"label": "Tag", "scoreMaximum": 10, "tag": 3},
        {"label": "Released", "scoreMaximum": 10, "gradesReleased": "yes"},
        {"label": "Date", "scoreMaximum": 10, "startDateTime": "tomorrow"},
        {"label": "Naive", "scoreMaximum": 10, "endDateTime": "2025-03-01T08:00:00"},
        ["not", "an", "object"],
    ],
)
def test_create_refuses_bad_documents(client: Any, lti_token: Any, document: Any):
    response = _create(client, lti_token(), document)

    assert response.status_code == 400
    assert response.json["status"] == 400


def test_create_refuses_a_body_that_is_not_json(client: Any, lti_token: Any):
    response = client.post(
        LINEITEMS,
        data="label=Quiz",
        headers=headers(lti_token(), Content_Type=LINEITEM_TYPE),
    )

    assert response.status_code == 400


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/x-www-form-urlencoded", None]
)
def test_create_needs_the_line_item_media_type(
    client: Any, lti_token: Any, content_type: str | None
):
    sent = headers(lti_token())
    if content_type is not None:
        sent["Content-Type"] = content_type

    response = client.post(LINEITEMS, data=json.dumps(NEW_ITEM), headers=sent)

    assert response.status_code == 415
    assert LINEITEM_TYPE in response.json["message"]


def test_create_accepts_a_charset_parameter(client: Any, lti_token: Any):
    response = client.post(
        LINEITEMS,
        data=json.dumps(NEW_ITEM),
        headers=headers(lti_token(), Content_Type=LINEITEM_TYPE + "; charset=utf-8"),
    )

    assert response.status_code == 201


def test_put_replaces_the_whole_item(client: Any, lti_token: Any):
    token = lti_token()
    replacement = {
        "id": PLATFORM + QUIZ,
        "label": "Quiz 1 (retake)",
        "scoreMaximum": 40,
    }

    response = client.put(
        QUIZ,
        data=json.dumps(replacement),
        headers=headers(token, Content_Type=LINEITEM_TYPE, Accept=LINEITEM_TYPE),
    )

    assert response.status_code == 200
    assert response.mimetype == LINEITEM_TYPE
    assert response.get_json(force=True) == replacement
    fetched = client.get(QUIZ, headers=headers(token)).get_json(force=True)
    assert fetched == replacement
    assert "tag" not in fetched


def test_put_without_id_is_fine(client: Any, lti_token: Any):
    response = client.put(
        QUIZ,
        data=json.dumps({"label": "Renamed", "scoreMaximum": 30}),
        headers=headers(lti_token(), Content_Type=LINEITEM_TYPE),
    )

    assert response.status_code == 200
    assert response.json["id"] == PLATFORM + QUIZ


def test_put_with_another_id_is_400(client: Any, lti_token: Any):
    response = client.put(
        QUIZ,
        data=json.dumps({**PARTICIPATION_DOCUMENT, "label": "Swap"}),
        headers=headers(lti_token(), Content_Type=LINEITEM_TYPE),
    )

    assert response.status_code == 400
    assert client.get("/admin/gradebook").json["line_items"][0]["label"] == (
        "Quiz 1: How a launch works"
    )


@pytest.mark.parametrize(
    ("document", "content_type", "status"),
    [
        ({"label": "", "scoreMaximum": 30}, LINEITEM_TYPE, 400),
        ({"label": "Quiz", "scoreMaximum": 0}, LINEITEM_TYPE, 400),
        ({"label": "Quiz", "scoreMaximum": 30}, "application/json", 415),
    ],
)
def test_put_is_checked_like_create(
    client: Any, lti_token: Any, document: Any, content_type: str, status: int
):
    response = client.put(
        QUIZ,
        data=json.dumps(document),
        headers=headers(lti_token(), Content_Type=content_type),
    )

    assert response.status_code == status


def test_delete_answers_204_and_removes_the_item(client: Any, lti_token: Any):
    token = lti_token()

    response = client.delete(QUIZ, headers=headers(token))

    assert response.status_code == 204
    assert response.data == b""
    assert client.get(QUIZ, headers=headers(token)).status_code == 404
    labels = [item["label"] for item in _list(client, token).get_json(force=True)]
    assert labels == ["Participation"]


def test_query_string_item_needs_its_query(client: Any, lti_token: Any):
    token = lti_token()
    sent = headers(token, Content_Type=LINEITEM_TYPE)
    document = json.dumps({**PARTICIPATION_DOCUMENT, "scoreMaximum": 12})

    without = client.get(PARTICIPATION, headers=headers(token))
    wrong = client.get(PARTICIPATION + "?placement=_1_1", headers=headers(token))
    put_without = client.put(PARTICIPATION, data=document, headers=sent)
    with_query = client.get(PARTICIPATION + PLACEMENT, headers=headers(token))
    put_with = client.put(PARTICIPATION + PLACEMENT, data=document, headers=sent)

    assert without.status_code == 404
    assert "keep the query string" in without.json["message"]
    assert wrong.status_code == 404
    assert put_without.status_code == 404
    assert with_query.status_code == 200
    assert with_query.get_json(force=True) == PARTICIPATION_DOCUMENT
    assert put_with.status_code == 200
    assert put_with.json["id"] == PLATFORM + PARTICIPATION + PLACEMENT


def test_query_string_item_is_deleted_with_its_query(client: Any, lti_token: Any):
    token = lti_token()

    assert client.delete(PARTICIPATION, headers=headers(token)).status_code == 404
    deleted = client.delete(PARTICIPATION + PLACEMENT, headers=headers(token))
    assert deleted.status_code == 204


def test_calls_are_counted(client: Any, lti_token: Any):
    token = lti_token()
    _list(client, token)
    client.get(LINEITEMS)

    assert client.get("/admin/stats").json["ags_requests"] == 2


def test_injected_faults_answer_first(client: Any, lti_token: Any):
    token = lti_token()
    client.post("/admin/faults", json={"ags": [503, 500]})

    first = _list(client, token)
    second = client.get(QUIZ)
    third = _list(client, token)

    assert first.status_code == 503 and first.headers["Retry-After"] == "1"
    assert first.json["status"] == 503
    assert second.status_code == 500
    assert third.status_code == 200
