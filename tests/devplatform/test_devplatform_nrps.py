"""The NRPS memberships endpoint: bearer checks, scope, and the container."""

from __future__ import annotations

from typing import Any

import pytest

from tests.devplatform.toolside import AGS, NRPS_SCOPE, bearer

URL = "/learn/api/v1/lti/external/namesandroles/_122_1?placement_id=_553_1"
MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"


def test_members_with_a_valid_token(client: Any, lti_token: Any):
    response = client.get(URL, headers=bearer(lti_token()))

    body = response.get_json(force=True)
    assert response.status_code == 200
    assert response.mimetype == MEDIA_TYPE
    assert body["id"] == "http://localhost:5001" + URL
    assert body["context"] == {
        "id": "13ef9bbcee6e44539b9eb24bed52e50d",
        "label": "DEV-101",
        "title": "Introduction to LTI",
    }
    assert [m["user_id"] for m in body["members"]] == [
        "f9f17be4844f460ebfde9e407c4d1e01",
        "8379c4ba57cc492fb621f01c0064cee7",
        "4b55b4803f3f4c4f97009d489756eeea",
        "0bb2babfd0274c4aaaf15cd3f78eeec7",
        "c2a41e7d9b8f4f0da3c65e21b7d04f19",
    ]


def test_member_fields(client: Any, lti_token: Any):
    body = client.get(URL, headers=bearer(lti_token())).get_json(force=True)

    preview = body["members"][3]
    assert preview == {
        "user_id": "0bb2babfd0274c4aaaf15cd3f78eeec7",
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
