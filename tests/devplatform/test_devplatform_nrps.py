"""The NRPS memberships endpoint: bearer checks, scope, filters, paging, differences."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.devplatform.agsside import (
    DROPPED,
    LEARNER,
    PLATFORM,
    PREVIEW,
    links,
    path_of,
)
from tests.devplatform.toolside import AGS, NRPS_SCOPE, bearer

PATH = "/learn/api/v1/lti/external/namesandroles/_122_1"
URL = PATH + "?placement_id=_553_1"
MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "f9f17be4844f460ebfde9e407c4d1e01"
TA = "4b55b4803f3f4c4f97009d489756eeea"
MAX_PAGES = 10


def _all_pages(client: Any, token: str, url: str) -> list[Any]:
    """Follow ``rel="next"`` links from ``url`` and return every page."""
    pages = [client.get(url, headers=bearer(token))]
    while "next" in links(pages[-1]):
        assert len(pages) < MAX_PAGES
        assert pages[-1].status_code == 200
        pages.append(
            client.get(path_of(links(pages[-1])["next"]), headers=bearer(token))
        )
    return pages


def _members(client: Any, token: str, url: str) -> list[dict[str, Any]]:
    """Return the members on the one page at ``url``."""
    response = client.get(url, headers=bearer(token))
    assert response.status_code == 200, response.json
    members: list[dict[str, Any]] = response.get_json(force=True)["members"]
    return members


def test_members_with_a_valid_token(client: Any, lti_token: Any):
    response = client.get(URL, headers=bearer(lti_token()))

    body = response.get_json(force=True)
    assert response.status_code == 200
    assert response.mimetype == MEDIA_TYPE
    assert body["id"] == PLATFORM + URL
    assert body["context"] == {
        "id": "13ef9bbcee6e44539b9eb24bed52e50d",
        "label": "DEV-101",
        "title": "Introduction to LTI",
    }
    assert [m["user_id"] for m in body["members"]] == [INSTRUCTOR, LEARNER]


def test_every_member_across_pages(client: Any, lti_token: Any):
    pages = _all_pages(client, lti_token(), URL)

    assert [len(page.get_json(force=True)["members"]) for page in pages] == [2, 2, 1]
    members = [m for page in pages for m in page.get_json(force=True)["members"]]
    assert [m["user_id"] for m in members] == [
        INSTRUCTOR,
        LEARNER,
        TA,
        PREVIEW,
        DROPPED,
    ]
    assert [m["status"] for m in members] == ["Active"] * 4 + ["Inactive"]


def test_member_fields(client: Any, lti_token: Any):
    members = _members(client, lti_token(), URL + "&limit=10")

    assert members[3] == {
        "user_id": PREVIEW,
        "roles": [
            "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
            "http://purl.imsglobal.org/vocab/lti/system/person#TestUser",
        ],
        "status": "Active",
        "name": "Student Preview",
        "given_name": "Student",
        "family_name": "Preview",
        "email": "ingrid.instructor_previewuser@dev101.example.edu",
    }
    assert members[4] == {
        "user_id": DROPPED,
        "roles": [
            "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
            "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student",
            "http://purl.imsglobal.org/vocab/lis/v2/system/person#User",
        ],
        "status": "Inactive",
        "name": "Dana Dropped",
        "given_name": "Dana",
        "family_name": "Dropped",
        "email": "dana.dropped@dev101.example.edu",
    }


def test_next_links_keep_the_placement_and_filters(client: Any, lti_token: Any):
    first = client.get(URL + "&role=Learner", headers=bearer(lti_token()))

    next_url = links(first)["next"]
    assert next_url.startswith(PLATFORM + PATH + "?")
    assert parse_qs(urlsplit(next_url).query) == {
        "placement_id": ["_553_1"],
        "role": ["Learner"],
        "offset": ["2"],
    }
    assert next_url.count("?") == 1


def test_last_page_has_no_next_link(client: Any, lti_token: Any):
    pages = _all_pages(client, lti_token(), URL)

    assert "next" not in links(pages[-1])
    assert all("next" in links(page) for page in pages[:-1])


def test_limit_sets_the_page_size(client: Any, lti_token: Any):
    token = lti_token()

    three = client.get(URL + "&limit=3", headers=bearer(token))
    everyone = client.get(URL + "&limit=50", headers=bearer(token))

    assert len(three.get_json(force=True)["members"]) == 3
    assert parse_qs(urlsplit(links(three)["next"]).query)["limit"] == ["3"]
    assert len(everyone.get_json(force=True)["members"]) == 5
    assert set(links(everyone)) == {"differences"}


@pytest.mark.parametrize("query", ["limit=0", "limit=all", "offset=-2", "since=x"])
def test_bad_parameters_are_400(client: Any, lti_token: Any, query: str):
    response = client.get(f"{URL}&{query}", headers=bearer(lti_token()))

    assert response.status_code == 400
    assert response.json["status"] == 400


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Learner", [LEARNER, PREVIEW, DROPPED]),
        (MEMBERSHIP + "Learner", [LEARNER, PREVIEW, DROPPED]),
        ("Instructor", [INSTRUCTOR, TA]),
        (MEMBERSHIP + "Instructor", [INSTRUCTOR, TA]),
        ("TeachingAssistant", [TA]),
        (
            "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor"
            "#TeachingAssistant",
            [TA],
        ),
        ("Student", []),
        ("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student", []),
        ("Mentor", []),
    ],
)
def test_role_filter_matches_course_roles(
    client: Any, lti_token: Any, role: str, expected: list[str]
):
    url = f"{URL}&{urlencode({'role': role, 'limit': 10})}"

    members = _members(client, lti_token(), url)

    assert [m["user_id"] for m in members] == expected


def test_role_filter_is_paged(client: Any, lti_token: Any):
    pages = _all_pages(client, lti_token(), URL + "&role=Learner")

    members = [m for page in pages for m in page.get_json(force=True)["members"]]
    assert len(pages) == 2
    assert [m["user_id"] for m in members] == [LEARNER, PREVIEW, DROPPED]


def test_rlid_adds_the_links_launch_claims(client: Any, lti_token: Any):
    members = _members(client, lti_token(), URL + "&rlid=_18939_1&limit=10")

    assert len(members) == 5
    for member in members:
        (message,) = member["message"]
        assert message[LTI + "message_type"] == "LtiResourceLinkRequest"
        assert message[LTI + "custom"] == {"activity": "reading-1", "chapter": "2"}
        assert message[LTI + "resource_link"]["id"] == "_18939_1"


def test_rlid_with_role_and_paging(client: Any, lti_token: Any):
    pages = _all_pages(client, lti_token(), URL + "&rlid=_18938_1&role=Learner")

    members = [m for page in pages for m in page.get_json(force=True)["members"]]
    assert [m["user_id"] for m in members] == [LEARNER, PREVIEW, DROPPED]
    assert all(
        m["message"][0][LTI + "custom"] == {"activity": "quiz-1"} for m in members
    )
    assert "rlid=_18938_1" in links(pages[0])["next"]


def test_without_rlid_there_is_no_message(client: Any, lti_token: Any):
    members = _members(client, lti_token(), URL)

    assert all("message" not in member for member in members)


def test_unknown_rlid_is_404(client: Any, lti_token: Any):
    response = client.get(URL + "&rlid=_1_1", headers=bearer(lti_token()))

    assert response.status_code == 404


def test_every_page_links_to_its_differences(client: Any, lti_token: Any, clock: Any):
    pages = _all_pages(client, lti_token(), URL + "&role=Learner")

    for page in pages:
        differences = links(page)["differences"]
        assert differences.startswith(PLATFORM + PATH + "?")
        assert parse_qs(urlsplit(differences).query) == {
            "placement_id": ["_553_1"],
            "role": ["Learner"],
            "since": [str(clock.now)],
        }


def test_differences_since_a_snapshot_are_empty(
    client: Any, lti_token: Any, clock: Any
):
    token = lti_token()
    first = client.get(URL, headers=bearer(token))
    clock.advance(30)

    differences = client.get(
        path_of(links(first)["differences"]), headers=bearer(token)
    )

    body = differences.get_json(force=True)
    assert differences.status_code == 200
    assert differences.mimetype == MEDIA_TYPE
    assert body["members"] == []
    assert body["context"]["id"] == "13ef9bbcee6e44539b9eb24bed52e50d"
    later = parse_qs(urlsplit(links(differences)["differences"]).query)["since"]
    assert later == [str(clock.now)]


def test_differences_since_long_ago_list_every_member(client: Any, lti_token: Any):
    pages = _all_pages(client, lti_token(), URL + "&since=0")

    members = [m for page in pages for m in page.get_json(force=True)["members"]]
    assert len(members) == 5
    assert "since=0" in links(pages[0])["next"]


def test_requests_are_counted(client: Any, lti_token: Any):
    token = lti_token()
    client.get(URL, headers=bearer(token))
    client.get(URL)

    assert client.get("/admin/stats").json["nrps_requests"] == 2


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic abc"},
    ],
)
def test_missing_or_unknown_token_is_401(client: Any, headers: dict[str, str]):
    response = client.get(URL, headers=headers)

    assert response.status_code == 401
    assert response.json == {"status": 401, "message": "Bearer token is invalid"}


def test_lower_case_bearer_is_401(client: Any, lti_token: Any):
    response = client.get(URL, headers={"Authorization": f"bearer {lti_token()}"})

    assert response.status_code == 401


def test_expired_token_is_401(client: Any, lti_token: Any, clock: Any):
    token = lti_token()
    clock.advance(3600)

    assert client.get(URL, headers=bearer(token)).status_code == 401


def test_revoked_token_is_401(client: Any, lti_token: Any):
    token = lti_token()

    revoked = client.post("/admin/revoke-tokens")

    assert revoked.json == {"revoked": 1}
    assert client.get(URL, headers=bearer(token)).status_code == 401


def test_learn_rest_token_is_not_an_lti_token(client: Any, learn_token: Any):
    assert client.get(URL, headers=bearer(learn_token())).status_code == 401


def test_token_without_nrps_scope_is_403(client: Any, lti_token: Any):
    token = lti_token((AGS + "score",))

    response = client.get(URL, headers=bearer(token))

    assert response.status_code == 403
    assert NRPS_SCOPE in response.json["message"]
    assert len(response.json["extraInfo"]) == 32


def test_other_course_or_placement_is_404(client: Any, lti_token: Any):
    token = lti_token()
    base = "/learn/api/v1/lti/external/namesandroles/"

    other_course = client.get(
        base + "_999_1?placement_id=_553_1", headers=bearer(token)
    )
    other_placement = client.get(
        base + "_122_1?placement_id=_1_1", headers=bearer(token)
    )

    assert other_course.status_code == 404
    assert other_placement.status_code == 404
    assert other_course.json["status"] == 404
