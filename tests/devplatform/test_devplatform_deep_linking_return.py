"""Deep linking, the response: what the return URL accepts, places and shows."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.devplatform.dlside import (
    CONTENT_ITEMS,
    DATA,
    DL,
    DL_SETTINGS,
    LTI,
    TOOL_URL,
    quiz_item,
    web_item,
)

RETURN_URL = "/deep-linking/return"
LINEITEMS = "http://localhost:5001/learn/api/v1/lti/courses/_122_1/lineItems"
SEEDED = ["_18938_1", "_18939_1"]


@pytest.fixture
def new_data(launch_claims: Any) -> Callable[[], str]:
    """Return a function that makes a deep-linking request and returns its data."""

    def make(user: str = "instructor") -> str:
        data: str = launch_claims(user=user, deep_link=True)[DL_SETTINGS]["data"]
        return data

    return make


@pytest.fixture
def post(client: Any) -> Callable[[str], Any]:
    """Return a function that posts a response JWT to the return URL."""

    def send(token: str) -> Any:
        return client.post(RETURN_URL, data={"JWT": token})

    return send


def _link_ids(client: Any) -> list[str]:
    """Return the ids of the course's tool links."""
    return [link["id"] for link in client.get("/admin/content").json["links"]]


def _added(page: str) -> int:
    """Return the ``data-added`` count of a result page."""
    match = re.search(r'id="deep-link-result" data-added="(\d+)"', page)
    assert match, page
    return int(match.group(1))


# --- accepted responses ---------------------------------------------------


def test_good_response_places_links_and_a_line_item(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    token = dl_responses.build(
        new_data(),
        [quiz_item(), web_item()],
        changes={DL + "msg": "Added 2 item(s)."},
    )

    response = post(token)

    assert response.status_code == 200
    assert _added(response.text) == 2
    assert 'id="deep-link-msg">Added 2 item(s).' in response.text
    assert re.search(
        r'<a id="back-to-course" href="/\?user=instructor" target="_top">',
        response.text,
    )
    content = client.get("/admin/content").json
    assert [link["id"] for link in content["links"]] == [*SEEDED, "_19001_1"]
    assert content["links"][2] == {
        "id": "_19001_1",
        "title": "Quiz 2: Deep linking",
        "text": "Five questions on content items.",
        "url": TOOL_URL + "/lti/launch",
        "custom": {"activity": "quiz-2", "difficulty": "standard"},
        "presentation": {"documentTarget": "iframe", "width": 900, "height": 700},
        "available": {
            "startDateTime": "2025-03-01T08:00:00+00:00",
            "endDateTime": "2025-03-08T08:00:00+00:00",
        },
        "line_item": "_7456_1",
        "line_item_url": LINEITEMS + "/_7456_1",
        "placed": True,
    }
    assert content["web_links"] == [
        {
            "id": "_19002_1",
            "title": "The LTI specification",
            "text": "Background reading.",
            "url": "https://www.imsglobal.org/spec/lti/v1p3",
        }
    ]


def test_line_item_is_created_for_the_new_link(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    post(dl_responses.build(new_data(), [quiz_item()]))

    items = client.get("/admin/gradebook").json["line_items"]
    assert items[-1] == {
        "id": LINEITEMS + "/_7456_1",
        "pk": "_7456_1",
        "label": "Quiz 2: Deep linking",
        "scoreMaximum": 20,
        "resourceId": "quiz-2",
        "tag": "quiz",
        "resourceLinkId": "_19001_1",
    }


def test_line_item_label_defaults_to_the_title(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    item = quiz_item(lineItem={"scoreMaximum": 5}, title="Reflection")
    post(dl_responses.build(new_data(), [item]))

    line_item = client.get("/admin/gradebook").json["line_items"][-1]
    assert line_item["label"] == "Reflection"
    assert line_item["scoreMaximum"] == 5


def test_ungraded_link_gets_no_line_item(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    item = quiz_item(lineItem=None, url=None, iframe=None, available=None)
    post(dl_responses.build(new_data(), [item]))

    link = client.get("/admin/content").json["links"][-1]
    assert link["line_item"] is None
    assert link["url"] is None
    assert link["presentation"] == {}
    assert len(client.get("/admin/gradebook").json["line_items"]) == 2


def test_window_presentation_is_kept(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    item = quiz_item(iframe=None, window={"targetName": "_blank"})
    post(dl_responses.build(new_data(), [item]))

    link = client.get("/admin/content").json["links"][-1]
    assert link["presentation"] == {"documentTarget": "window", "targetName": "_blank"}


def test_aud_may_be_a_list_holding_the_issuer(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    token = dl_responses.build(
        new_data(), changes={"aud": ["https://blackboard.com", "other"]}
    )

    assert post(token).status_code == 200


def test_iat_a_little_ahead_is_accepted(
    new_data: Any, dl_responses: Any, post: Any, clock: Any
):
    token = dl_responses.build(new_data(), changes={"iat": clock.now + 30})

    assert post(token).status_code == 200


def test_empty_content_items_is_a_cancel(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    token = dl_responses.build(
        new_data(), [], changes={DL + "msg": "No content was added."}
    )

    response = post(token)

    assert response.status_code == 200
    assert _added(response.text) == 0
    assert "<h1>No content was added</h1>" in response.text
    assert 'id="deep-link-msg">No content was added.' in response.text
    assert _link_ids(client) == SEEDED


def test_missing_content_items_is_a_cancel(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    response = post(dl_responses.build(new_data(), drop=[CONTENT_ITEMS]))

    assert response.status_code == 200
    assert _added(response.text) == 0


def test_error_messages_are_shown(new_data: Any, dl_responses: Any, post: Any):
    token = dl_responses.build(
        new_data(),
        [],
        changes={
            DL + "errormsg": "This placement does not accept the tool's content.",
            DL + "errorlog": "accept_types lacks ltiResourceLink",
        },
    )

    response = post(token)

    assert response.status_code == 200
    assert 'id="deep-link-errormsg"' in response.text
    assert "does not accept the tool's content." in html.unescape(response.text)
    assert "accept_types lacks ltiResourceLink" in response.text


def test_one_item_is_fine_when_multiple_are_not_accepted(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    client.post("/admin/settings", json={"dl_accept_multiple": False})

    assert post(dl_responses.build(new_data(), [quiz_item()])).status_code == 200


def test_settings_of_the_request_apply_not_later_changes(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    data = new_data()
    client.post("/admin/settings", json={"dl_accept_lineitem": False})

    assert post(dl_responses.build(data, [quiz_item()])).status_code == 200


def test_placed_ids_keep_counting(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    post(dl_responses.build(new_data(), [quiz_item()]))
    post(dl_responses.build(new_data(), [quiz_item(), quiz_item(lineItem=None)]))

    assert _link_ids(client) == [*SEEDED, "_19001_1", "_19002_1", "_19003_1"]
    pks = [item["pk"] for item in client.get("/admin/gradebook").json["line_items"]]
    assert pks == ["_7454_1", "_7455_1", "_7456_1", "_7457_1"]


# --- refused responses ----------------------------------------------------


def _refused(response: Any, problem: str) -> None:
    """The answer is the 400 error page naming ``problem``."""
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert 'id="deep-link-error"' in response.text
    assert 'id="back-to-course"' in response.text
    assert problem in html.unescape(response.text), response.text


@pytest.mark.parametrize(
    ("changes", "drop", "problem"),
    [
        ({"iss": "someone-else"}, [], "iss must be the client_id"),
        ({"aud": "https://other.example"}, [], "aud must be or contain the issuer"),
        ({"aud": ["https://other.example"]}, [], "aud must be or contain"),
        ({}, ["iat"], "iat is missing"),
        ({}, ["exp"], "exp is missing"),
        ({"iat": 1700000000.5}, [], "iat must be an integer, got 1700000000.5"),
        ({"exp": 4102444800.0}, [], "exp must be an integer"),
        ({"exp": 1700000000}, [], "exp is in the past"),
        ({}, ["nonce"], "nonce is missing"),
        ({"nonce": ""}, [], "nonce is missing"),
        ({LTI + "deployment_id": "other"}, [], "deployment_id must be"),
        ({}, [LTI + "deployment_id"], "deployment_id must be"),
        ({LTI + "message_type": "LtiResourceLinkRequest"}, [], "message_type must"),
        ({LTI + "version": "1.1"}, [], "version must be '1.3.0'"),
        ({}, [DATA], "data is missing"),
        ({DATA: 42}, [], "data must be the string the request sent"),
        ({CONTENT_ITEMS: {"type": "link"}}, [], "content_items must be a list"),
        ({DL + "msg": 3}, [], "msg must be a string"),
    ],
)
def test_claim_defects_are_refused(
    client: Any,
    new_data: Any,
    dl_responses: Any,
    post: Any,
    changes: dict[str, Any],
    drop: list[str],
    problem: str,
):
    token = dl_responses.build(new_data(), changes=changes, drop=drop)

    _refused(post(token), problem)
    assert _link_ids(client) == SEEDED


def test_iat_in_the_future_is_refused(
    new_data: Any, dl_responses: Any, post: Any, clock: Any
):
    token = dl_responses.build(
        new_data(), changes={"iat": clock.now + 120, "exp": clock.now + 400}
    )

    _refused(post(token), "iat is in the future")


def test_no_jwt_field_is_refused(client: Any):
    _refused(client.post(RETURN_URL, data={"id_token": "x"}), "no JWT field")


def test_garbage_jwt_is_refused(post: Any):
    _refused(post("not-a-jwt"), "JWT is not a valid JWT")


def test_unknown_kid_is_refused(
    new_data: Any, dl_responses: Any, post: Any, tool_keys: Any
):
    token = dl_responses.build(new_data(), key=tool_keys[2])

    _refused(post(token), "kid 'rogue' not found")


def test_bad_signature_is_refused(
    new_data: Any, dl_responses: Any, post: Any, tool_keys: Any
):
    # Signed with another key, under the published key's kid.
    token = dl_responses.build(new_data(), key=tool_keys[2], headers={"kid": "tool-1"})

    _refused(post(token), "signature is invalid")


def test_other_algorithm_is_refused(new_data: Any, dl_responses: Any, post: Any):
    token = dl_responses.build(new_data(), alg="RS512")

    _refused(post(token), "alg must be RS256")


def test_replayed_nonce_is_refused(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    first = post(dl_responses.build(new_data(), changes={"nonce": "n-1"}))
    second = post(dl_responses.build(new_data(), changes={"nonce": "n-1"}))

    assert first.status_code == 200
    _refused(second, "nonce was already used")
    assert _link_ids(client) == [*SEEDED, "_19001_1"]


def test_changed_data_is_refused(new_data: Any, dl_responses: Any, post: Any):
    token = dl_responses.build(new_data() + " ")

    _refused(post(token), "data does not match the data of any open")


def test_data_never_sent_is_refused(dl_responses: Any, post: Any):
    token = dl_responses.build(
        "_18937_1::_122_1::-1::false::false::_553_1::00::false::false"
    )

    _refused(post(token), "data does not match")


def test_data_is_single_use(client: Any, new_data: Any, dl_responses: Any, post: Any):
    data = new_data()
    first = post(dl_responses.build(data))
    second = post(dl_responses.build(data))

    assert first.status_code == 200
    _refused(second, "data was already used")
    assert _link_ids(client) == [*SEEDED, "_19001_1"]


def test_data_expires_after_an_hour(
    new_data: Any, dl_responses: Any, post: Any, clock: Any
):
    data = new_data()
    clock.advance(3601)

    _refused(post(dl_responses.build(data)), "data does not match")


def test_refused_response_spends_neither_data_nor_nonce(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    data = new_data()
    bad = quiz_item(url=TOOL_URL + "/lti/launch?activity=quiz-2")
    _refused(post(dl_responses.build(data, [bad], changes={"nonce": "n-2"})), "query")

    fixed = post(dl_responses.build(data, [quiz_item()], changes={"nonce": "n-2"}))

    assert fixed.status_code == 200
    assert _link_ids(client) == [*SEEDED, "_19001_1"]


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        (
            quiz_item(url=TOOL_URL + "/lti/launch?activity=quiz-2"),
            "content item 1: url must not carry a query string (?activity=quiz-2)",
        ),
        (
            quiz_item(url="https://elsewhere.example/lti/launch"),
            "url 'https://elsewhere.example/lti/launch' is not on the tool's origin",
        ),
        (
            quiz_item(url="http://127.0.0.1:5999/lti/launch"),
            "is not on the tool's origin",
        ),
        (quiz_item(url="/lti/launch"), "url must be an absolute http(s) URL"),
        (quiz_item(custom={"attempts": 3}), "custom.attempts must be a string"),
        (quiz_item(custom=["a"]), "custom must be a JSON object"),
        (
            quiz_item(lineItem={"scoreMaximum": 0}),
            "lineItem.scoreMaximum must be a number > 0, got 0",
        ),
        (quiz_item(lineItem={"label": "x"}), "lineItem.scoreMaximum is required"),
        (quiz_item(lineItem={"scoreMaximum": "10"}), "lineItem.scoreMaximum must"),
        (quiz_item(type="file"), "type 'file' is not accepted"),
        (quiz_item(type=None), "type None is not accepted"),
        (quiz_item(title=7), "title must be a string"),
        (quiz_item(iframe={"width": -1}), "iframe.width must be a number > 0"),
        (
            quiz_item(available={"startDateTime": "next monday"}),
            "available.startDateTime must be an ISO 8601 date-time",
        ),
        (
            quiz_item(
                available={
                    "startDateTime": "2025-03-08T08:00:00Z",
                    "endDateTime": "2025-03-01T08:00:00Z",
                }
            ),
            "available.endDateTime must come after startDateTime",
        ),
        (web_item(url=None), "url must be an absolute http(s) URL"),
        (web_item(url="javascript:alert(1)"), "url must be an absolute http(s) URL"),
        ("a string", "content item 1: must be a JSON object"),
    ],
)
def test_content_item_defects_are_refused(
    client: Any, new_data: Any, dl_responses: Any, post: Any, item: Any, problem: str
):
    response = post(dl_responses.build(new_data(), [item]))

    _refused(response, problem)
    assert _link_ids(client) == SEEDED
    assert len(client.get("/admin/gradebook").json["line_items"]) == 2


def test_defect_in_a_later_item_places_nothing(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    items = [quiz_item(), web_item(), quiz_item(custom={"n": 1})]

    _refused(post(dl_responses.build(new_data(), items)), "content item 3:")
    assert _link_ids(client) == SEEDED
    assert client.get("/admin/content").json["web_links"] == []


def test_several_items_refused_when_multiple_are_not_accepted(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    client.post("/admin/settings", json={"dl_accept_multiple": False})
    token = dl_responses.build(new_data(), [quiz_item(), web_item()])

    _refused(post(token), "content_items has 2 items, but the request accepts one")


def test_line_item_refused_when_not_accepted(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    client.post("/admin/settings", json={"dl_accept_lineitem": False})
    token = dl_responses.build(new_data(), [quiz_item()])

    _refused(post(token), "lineItem is not accepted")


def test_type_refused_when_not_in_accept_types(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    client.post("/admin/settings", json={"dl_accept_types": ["ltiResourceLink"]})
    token = dl_responses.build(new_data(), [web_item()])

    _refused(post(token), "type 'link' is not accepted (ltiResourceLink)")


def test_refusals_are_counted(client: Any, new_data: Any, dl_responses: Any, post: Any):
    post("junk")
    post(dl_responses.build(new_data(), changes={"iss": "x"}))
    post(dl_responses.build(new_data()))

    stats = client.get("/admin/stats").json
    assert stats["deep_linking_responses"] == 3
    assert stats["deep_linking_errors"] == 2


def test_get_is_not_allowed(client: Any):
    assert client.get(RETURN_URL).status_code == 405


# --- admin: the last response ---------------------------------------------


def test_last_response_before_any(client: Any):
    assert client.get("/admin/deep-linking").json == {
        "header": None,
        "claims": None,
        "ok": None,
        "error": None,
        "added": [],
    }


def test_last_response_accepted(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    data = new_data()
    post(dl_responses.build(data, [quiz_item(), web_item()]))

    last = client.get("/admin/deep-linking").json
    assert last["ok"] is True
    assert last["error"] is None
    assert last["added"] == ["_19001_1", "_19002_1"]
    assert last["header"] == {"alg": "RS256", "kid": "tool-1", "typ": "JWT"}
    assert last["claims"][DATA] == data
    assert last["claims"][CONTENT_ITEMS][1]["type"] == "link"


def test_last_response_refused(
    client: Any, new_data: Any, dl_responses: Any, post: Any
):
    post(dl_responses.build(new_data(), changes={LTI + "version": "1.1"}))

    last = client.get("/admin/deep-linking").json
    assert last["ok"] is False
    assert last["error"] == "version must be '1.3.0', got '1.1'"
    assert last["claims"][LTI + "version"] == "1.1"
    assert last["added"] == []


def test_last_response_unparsable(client: Any, post: Any):
    post("junk")

    last = client.get("/admin/deep-linking").json
    assert last["ok"] is False
    assert last["header"] is None and last["claims"] is None
    assert last["error"].startswith("JWT is not a valid JWT")
