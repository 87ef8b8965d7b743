"""The AGS and NRPS clients against a programmable platform over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app import errors
from app.keys import get_tool_keys
from app.lti.claims import AGS_ENDPOINT, NRPS_SERVICE, Launch
from app.services import ags
from app.services.ags import AgsClient, LineItem, Score, service_url
from app.services.nrps import fetch_members
from tests.fakeserver import FakeServer, Reply
from tests.platform import write_platforms

TOKEN = "/token"
ITEMS = "/lti/courses/_122_1/lineItems"
MEMBERS = "/lti/namesandroles/_122_1"
ALL_AGS = sorted(
    ags.SCOPE + s for s in ("lineitem", "lineitem.readonly", "result.readonly", "score")
)
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


@pytest.fixture
def lms() -> Iterator[FakeServer]:
    fake = FakeServer()
    fake.set(
        TOKEN,
        Reply(
            body={
                "access_token": "tok",
                "expires_in": 3600,
                "scope": " ".join([*ALL_AGS, NRPS_SCOPE]),
            }
        ),
    )
    yield fake
    fake.stop()


@pytest.fixture
def ctx(app: Flask, lms: FakeServer) -> Iterator[Flask]:
    write_platforms(
        Path(app.config["LTI_PLATFORMS_FILE"]),
        lms.url + "/jwks",
        auth_token_url=lms.url + TOKEN,
    )
    with app.test_request_context():
        get_tool_keys().generate()
        yield app


def launch_with(
    lms: FakeServer, scopes: list[str] | None = None, lineitem: str | None = None
) -> Launch:
    claim = {
        "scope": ALL_AGS if scopes is None else scopes,
        "lineitems": lms.url + ITEMS,
    }
    if lineitem:
        claim["lineitem"] = lineitem
    return Launch(
        "l1",
        "https://blackboard.com",
        "test-client-0001",
        "test-deployment-0001",
        {
            "sub": "user-1",
            AGS_ENDPOINT: claim,
            NRPS_SERVICE: {
                "context_memberships_url": lms.url + MEMBERS + "?placement_id=_553_1",
                "service_versions": ["2.0"],
            },
        },
    )


def item(n: int, **extra: object) -> dict[str, object]:
    return {"id": f"http://x/{n}", "label": f"Item {n}", "scoreMaximum": 10, **extra}


def test_service_url_keeps_the_query_string() -> None:
    assert service_url("https://lms/items/7?placement=_5_1", "scores") == (
        "https://lms/items/7/scores?placement=_5_1"
    )
    assert (
        service_url("https://lms/items/7/", "results") == "https://lms/items/7/results"
    )


def test_line_items_follow_three_pages_with_filters(
    ctx: Flask, lms: FakeServer
) -> None:
    page2, page3 = lms.url + ITEMS + "?p=2", lms.url + ITEMS + "?p=3"
    lms.queue(
        ITEMS,
        Reply(body=[item(1), item(2)], headers={"Link": f'<{page2}>; rel="next"'}),
        Reply(body=[item(3)], headers={"Link": f'<{page3}>; rel="next"'}),
        Reply(body=[item(4, gradesReleased=True)]),
    )

    items = AgsClient(launch_with(lms)).line_items(
        resource_link_id="_18938_1", tag="quiz", limit=2
    )

    assert [i.label for i in items] == ["Item 1", "Item 2", "Item 3", "Item 4"]
    assert items[3].grades_released is True
    first = lms.hits(ITEMS)[0]
    assert first.query == {"resource_link_id": "_18938_1", "tag": "quiz", "limit": "2"}
    assert (
        first.headers["Accept"] == "application/vnd.ims.lis.v2.lineitemcontainer+json"
    )
    assert first.headers["Authorization"] == "Bearer tok"


def test_paging_link_to_a_foreign_host_is_refused(ctx: Flask, lms: FakeServer) -> None:
    lms.set(
        ITEMS,
        Reply(body=[item(1)], headers={"Link": '<https://evil.example/x>; rel="next"'}),
    )

    with pytest.raises(errors.ForeignHostError):
        AgsClient(launch_with(lms)).line_items()
    assert all(r.path == ITEMS or r.path == TOKEN for r in lms.requests)


def test_create_update_delete(ctx: Flask, lms: FakeServer) -> None:
    created_url = lms.url + ITEMS + "/_9_1"
    lms.set(ITEMS, Reply(201, item(9, id=created_url, label="Essay")))
    lms.set(ITEMS + "/_9_1", Reply(200, item(9, id=created_url, label="Essay 2")))
    client = AgsClient(launch_with(lms))

    created = client.create_line_item(
        LineItem(label="Essay", score_maximum=10, resource_id="essay", tag="t")
    )
    created.label = "Essay 2"
    updated = client.update_line_item(created)
    client.delete_line_item(created_url)

    post, put, delete = [r for r in lms.requests if r.path != TOKEN]
    assert post.method == "POST"
    assert post.json == {
        "label": "Essay",
        "scoreMaximum": 10,
        "resourceId": "essay",
        "tag": "t",
    }
    assert post.headers["Content-Type"] == "application/vnd.ims.lis.v2.lineitem+json"
    assert put.method == "PUT" and put.headers["Content-Type"].endswith("lineitem+json")
    assert delete.method == "DELETE"
    assert updated.label == "Essay 2"


def test_update_sends_the_full_item(ctx: Flask, lms: FakeServer) -> None:
    url = lms.url + ITEMS + "/_9_1"
    full = item(
        9,
        id=url,
        resourceId="essay",
        tag="t",
        startDateTime="2026-01-01T00:00:00Z",
        vendorField="kept",
    )
    lms.set(ITEMS + "/_9_1", Reply(200, full))
    client = AgsClient(launch_with(lms))

    got = client.get_line_item(url)
    got.label = "Renamed"
    client.update_line_item(got)

    sent_put = next(r for r in lms.requests if r.method == "PUT")
    assert sent_put.path == ITEMS + "/_9_1"
    assert sent_put.json == {**full, "label": "Renamed"}


def test_a_score_carries_every_field(ctx: Flask, lms: FakeServer) -> None:
    line_item = lms.url + ITEMS + "/_7455_1?placement=_553_1"
    lms.set(ITEMS + "/_7455_1/scores", Reply(204, ""))

    AgsClient(launch_with(lms)).post_score(
        line_item,
        Score(
            user_id="user-1",
            score_given=7,
            score_maximum=10,
            activity_progress="Completed",
            grading_progress="FullyGraded",
        ),
    )

    (request,) = lms.hits(ITEMS + "/_7455_1/scores")
    assert request.query == {"placement": "_553_1"}
    assert request.json["userId"] == "user-1" and request.json["scoreGiven"] == 7
    assert request.json["scoreMaximum"] == 10 and request.json["comment"] == ""
    assert request.json["activityProgress"] == "Completed"
    assert request.json["gradingProgress"] == "FullyGraded"
    assert request.headers["Content-Type"] == "application/vnd.ims.lis.v1.score+json"


def test_score_body_has_a_millisecond_timestamp_and_a_comment() -> None:
    body = Score(
        user_id="u", activity_progress="Submitted", grading_progress="Pending"
    ).to_json()

    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", body["timestamp"]
    )
    assert body["comment"] == ""
    assert "scoreGiven" not in body


def test_score_rules() -> None:
    with pytest.raises(ValueError):
        Score(
            user_id="u", activity_progress="Done", grading_progress="FullyGraded"
        ).to_json()
    with pytest.raises(ValueError):
        Score(
            user_id="u",
            activity_progress="Completed",
            grading_progress="FullyGraded",
            score_given=3,
        ).to_json()


def test_results_are_read_whole_and_filtered_here(ctx: Flask, lms: FakeServer) -> None:
    url = lms.url + ITEMS + "/_7454_1"
    nxt = url + "/results?page=2"
    lms.queue(
        ITEMS + "/_7454_1/results",
        Reply(
            body=[
                {"userId": "a", "resultScore": 1, "resultMaximum": 3, "comment": "ok"}
            ],
            headers={"Link": f'<{nxt}>; rel="next"'},
        ),
        Reply(
            body=[
                {
                    "userId": "user-1",
                    "resultScore": 3,
                    "resultMaximum": 3,
                    "comment": "great",
                }
            ]
        ),
    )

    mine = AgsClient(launch_with(lms)).results(url, user_id="user-1")

    assert [(r.user_id, r.comment) for r in mine] == [("user-1", "great")]
    assert "user_id" not in lms.hits(ITEMS + "/_7454_1/results")[0].query


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(400, "User could not be found: u"), errors.UnknownUserError),
        (
            Reply(
                422,
                {"message": "The maximum number of allowed attempts has been reached"},
            ),
            errors.AttemptLimitError,
        ),
        (Reply(403, {"error": "scope"}), errors.ScopeNotGrantedError),
        (Reply(404, {"error": "gone"}), errors.ServiceNotFoundError),
        (Reply(500, {"error": "boom"}), errors.ServiceError),
    ],
)
def test_platform_answers_become_clear_errors(
    ctx: Flask, lms: FakeServer, reply: Reply, error: type[Exception]
) -> None:
    url = lms.url + ITEMS + "/_1_1"
    lms.set(ITEMS + "/_1_1/scores", reply)

    with pytest.raises(error):
        AgsClient(launch_with(lms)).post_score(
            url,
            Score(
                user_id="u",
                score_given=1,
                score_maximum=1,
                activity_progress="Completed",
                grading_progress="FullyGraded",
            ),
        )


def test_scopes_not_offered_are_not_used(ctx: Flask, lms: FakeServer) -> None:
    client = AgsClient(launch_with(lms, scopes=[ags.SCOPE_SCORE]))

    with pytest.raises(errors.ServiceNotOfferedError):
        client.create_line_item(LineItem(label="x", score_maximum=1))
    assert lms.hits(TOKEN) == []

    lms.set(ITEMS + "/_1_1/scores", Reply(200, ""))
    client.post_score(
        lms.url + ITEMS + "/_1_1",
        Score(user_id="u", activity_progress="Started", grading_progress="NotReady"),
    )
    assert lms.hits(TOKEN)[0].form["scope"] == ags.SCOPE_SCORE + " " + NRPS_SCOPE


def test_launch_without_grades_claim(ctx: Flask) -> None:
    bare = Launch("l", "https://blackboard.com", "test-client-0001", "d", {})
    with pytest.raises(errors.ServiceNotOfferedError, match="grade service"):
        AgsClient(bare)
    with pytest.raises(errors.ServiceNotOfferedError, match="roster"):
        fetch_members(bare)


def test_line_item_urls_on_another_host_are_refused(
    ctx: Flask, lms: FakeServer
) -> None:
    with pytest.raises(errors.ForeignHostError):
        AgsClient(launch_with(lms)).delete_line_item("https://evil.example/items/1")


def test_members_across_pages_with_merged_query(ctx: Flask, lms: FakeServer) -> None:
    base = lms.url + MEMBERS
    lms.queue(
        MEMBERS,
        Reply(
            body={"context": {"id": "c"}, "members": [{"user_id": "1"}]},
            headers={
                "Link": f'<{base}?placement_id=_553_1&p=2>; rel="next", '
                f'<{base}?placement_id=_553_1&since=9>; rel="differences"'
            },
        ),
        Reply(
            body={"members": [{"user_id": "2"}]},
            headers={"Link": f'<{base}?placement_id=_553_1&p=3>; rel="next"'},
        ),
        Reply(body={"members": [{"user_id": "3"}]}),
    )

    membership = fetch_members(
        launch_with(lms), role="Learner", resource_link_id="_1_1"
    )

    assert [m["user_id"] for m in membership.members] == ["1", "2", "3"]
    assert membership.context == {"id": "c"}
    assert membership.differences_url == f"{base}?placement_id=_553_1&since=9"
    first = lms.hits(MEMBERS)[0]
    assert first.query == {"placement_id": "_553_1", "role": "Learner", "rlid": "_1_1"}
    assert first.headers["Accept"] == (
        "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
    )
