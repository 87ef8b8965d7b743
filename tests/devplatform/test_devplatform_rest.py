"""Learn REST resources: ids, Learn-shaped errors, paging and rate-limit headers."""

from __future__ import annotations

from typing import Any

import pytest

from devplatform import DEFAULT_LEARN_APP_KEY, DEFAULT_LEARN_APP_SECRET, create_app
from tests.devplatform.toolside import basic_auth, bearer

COURSE_UUID = "13ef9bbcee6e44539b9eb24bed52e50d"
LEARNER = "8379c4ba57cc492fb621f01c0064cee7"
V1 = "/learn/api/public/v1"
CALLBACK = "https://tool.example/cb"


@pytest.mark.parametrize(
    "course_id",
    ["_122_1", f"uuid:{COURSE_UUID}", "courseId:DEV-101", "externalId:DEV-101-2025"],
)
def test_course_by_any_id(client: Any, learn_token: Any, course_id: str):
    response = client.get(
        f"/learn/api/public/v3/courses/{course_id}", headers=bearer(learn_token())
    )

    body = response.json
    assert response.status_code == 200
    assert body["id"] == "_122_1"
    assert body["uuid"] == COURSE_UUID
    assert body["courseId"] == "DEV-101"
    assert body["externalId"] == "DEV-101-2025"
    assert body["name"] == "Introduction to LTI"
    assert body["organization"] is False
    assert body["ultraStatus"] == "Ultra"
    assert body["availability"] == {
        "available": "Yes",
        "duration": {"type": "Continuous"},
    }
    assert body["enrollment"] == {"type": "InstructorLed"}
    assert body["created"].endswith("Z")


def test_user_by_uuid(client: Any, learn_token: Any):
    response = client.get(f"{V1}/users/uuid:{LEARNER}", headers=bearer(learn_token()))

    body = response.json
    assert response.status_code == 200
    assert body["id"] == "_58_1"
    assert body["uuid"] == LEARNER
    assert body["userName"] == "lars.learner"
    assert body["name"] == {"given": "Lars", "family": "Learner"}
    assert body["contact"] == {"email": "lars.learner@dev101.example.edu"}
    assert body["availability"] == {"available": "Yes"}


def test_user_by_pk(client: Any, learn_token: Any):
    response = client.get(f"{V1}/users/_57_1", headers=bearer(learn_token()))

    assert response.json["userName"] == "ingrid.instructor"


def test_not_found_is_learn_shaped(client: Any, learn_token: Any):
    response = client.get(
        "/learn/api/public/v3/courses/externalId:NOPE", headers=bearer(learn_token())
    )

    assert response.status_code == 404
    assert response.json["status"] == 404
    assert response.json["message"] == "Could not find object with ID: externalId:NOPE"
    assert len(response.json["extraInfo"]) == 32
    int(response.json["extraInfo"], 16)


def test_unknown_path_is_learn_shaped(client: Any):
    response = client.get(f"{V1}/nothing-here")

    assert response.status_code == 404
    assert response.json["status"] == 404


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": "token abc"}],
)
def test_bad_bearer_is_401(client: Any, headers: dict[str, str]):
    response = client.get(f"{V1}/users/_57_1", headers=headers)

    assert response.status_code == 401
    assert response.json == {"status": 401, "message": "Bearer token is invalid"}


def test_expired_and_revoked_learn_tokens(client: Any, learn_token: Any, clock: Any):
    expired = learn_token()
    clock.advance(3600)
    revoked = learn_token()
    client.post("/admin/revoke-tokens")

    assert client.get(f"{V1}/users/_57_1", headers=bearer(expired)).status_code == 401
    assert client.get(f"{V1}/users/_57_1", headers=bearer(revoked)).status_code == 401


def test_lti_token_is_not_a_learn_token(client: Any, lti_token: Any):
    response = client.get(f"{V1}/users/_57_1", headers=bearer(lti_token()))

    assert response.status_code == 401


def test_course_users_are_paged(client: Any, learn_token: Any):
    auth = bearer(learn_token())

    first = client.get(f"{V1}/courses/_122_1/users", headers=auth).json
    second = client.get(first["paging"]["nextPage"], headers=auth).json
    third = client.get(second["paging"]["nextPage"], headers=auth).json

    assert [m["userId"] for m in first["results"]] == ["_57_1", "_58_1"]
    assert first["paging"] == {
        "nextPage": "/learn/api/public/v1/courses/_122_1/users?offset=2&limit=2"
    }
    assert [m["userId"] for m in second["results"]] == ["_59_1", "_60_1"]
    assert [m["userId"] for m in third["results"]] == ["_61_1"]
    assert "paging" not in third
    assert third["results"][0]["availability"] == {"available": "No"}
    assert first["results"][0] == {
        "userId": "_57_1",
        "courseId": "_122_1",
        "dataSourceId": "_2_1",
        "created": "2025-01-06T08:05:00.000Z",
        "availability": {"available": "Yes"},
        "courseRoleId": "Instructor",
    }


def test_paging_with_limit_expand_and_uuid_course(client: Any, learn_token: Any):
    url = f"{V1}/courses/uuid:{COURSE_UUID}/users?limit=3&expand=user"

    body = client.get(url, headers=bearer(learn_token())).json

    assert len(body["results"]) == 3
    assert body["results"][2]["user"]["userName"] == "tara.assistant"
    assert body["paging"]["nextPage"] == (
        f"{V1}/courses/uuid:{COURSE_UUID}/users?offset=3&limit=3&expand=user"
    )


@pytest.mark.parametrize("query", ["limit=0", "offset=-1", "limit=two"])
def test_bad_paging_parameters(client: Any, learn_token: Any, query: str):
    response = client.get(
        f"{V1}/courses/_122_1/users?{query}", headers=bearer(learn_token())
    )

    assert response.status_code == 400
    assert response.json["status"] == 400


def test_rate_limit_headers_count_down(client: Any, learn_token: Any):
    auth = bearer(learn_token())

    first = client.get(f"{V1}/users/_57_1", headers=auth)
    second = client.get(f"{V1}/users/_57_1", headers=auth)
    failed = client.get(f"{V1}/users/_57_1")

    assert first.headers["X-Rate-Limit-Limit"] == "10000"
    assert first.headers["X-Rate-Limit-Remaining"] == "9999"
    assert second.headers["X-Rate-Limit-Remaining"] == "9998"
    assert failed.headers["X-Rate-Limit-Remaining"] == "9997"
    assert first.headers["X-Rate-Limit-Reset"] == "86400"
    assert client.get("/admin/stats").json["rest_requests"] == 3


def test_rate_limit_reset_counts_down_and_refills(
    client: Any, learn_token: Any, clock: Any
):
    auth = bearer(learn_token())
    client.get(f"{V1}/users/_57_1", headers=auth)
    clock.advance(100)

    later = client.get(f"{V1}/users/_57_1", headers=auth)
    clock.advance(86400)
    next_day = client.get(f"{V1}/users/_57_1", headers=bearer(learn_token()))

    assert later.headers["X-Rate-Limit-Reset"] == "86300"
    assert next_day.headers["X-Rate-Limit-Remaining"] == "9999"


def test_exhausted_budget_is_429(client: Any, learn_token: Any):
    client.post("/admin/settings", json={"rate_limit": 2})
    auth = bearer(learn_token())

    answers = [client.get(f"{V1}/users/_57_1", headers=auth) for _ in range(3)]

    assert [r.status_code for r in answers] == [200, 200, 429]
    assert answers[2].headers["X-Rate-Limit-Remaining"] == "0"
    assert answers[2].headers["X-Rate-Limit-Limit"] == "2"
    assert int(answers[2].headers["Retry-After"]) >= 1
    assert answers[2].json["status"] == 429


def test_rate_limit_from_configuration(data_dir: Any):
    app = create_app(
        {"DEVPLATFORM_DATA_DIR": str(data_dir), "DEVPLATFORM_RATE_LIMIT": "5"}
    )
    http = app.test_client()
    token = http.post(
        f"{V1}/oauth2/token",
        data={"grant_type": "client_credentials"},
        headers=basic_auth(DEFAULT_LEARN_APP_KEY, DEFAULT_LEARN_APP_SECRET),
    ).json["access_token"]

    response = http.get(f"{V1}/users/_57_1", headers=bearer(token))

    assert response.headers["X-Rate-Limit-Limit"] == "5"
    assert response.headers["X-Rate-Limit-Remaining"] == "4"


@pytest.fixture
def user_token(client: Any, app_auth: Any, forms_of: Any):
    """Return a function that gets a 3-legged token for a user and scope."""

    def get(user: str = "learner", scope: str = "read") -> str:
        client.post("/admin/settings", json={"skip_consent": True})
        page = client.get(
            f"{V1}/oauth2/authorizationcode",
            query_string={
                "response_type": "code",
                "client_id": DEFAULT_LEARN_APP_KEY,
                "redirect_uri": CALLBACK,
                "scope": scope,
            },
        )
        (form,) = forms_of(page.text)
        redirect = client.post(form.action, data={**form.fields, "user": user})
        code = redirect.headers["Location"].split("code=")[1]
        token = client.post(
            f"{V1}/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": CALLBACK,
            },
            headers=app_auth,
        )
        value: str = token.json["access_token"]
        return value

    return get


def test_user_token_reads_only_its_own_user(client: Any, user_token: Any):
    auth = bearer(user_token("learner"))

    own = client.get(f"{V1}/users/uuid:{LEARNER}", headers=auth)
    other = client.get(f"{V1}/users/_57_1", headers=auth)
    course = client.get("/learn/api/public/v3/courses/_122_1", headers=auth)

    assert own.status_code == 200
    assert other.status_code == 403
    assert other.json["status"] == 403
    assert course.status_code == 200


def test_user_token_without_read_scope_is_403(client: Any, user_token: Any):
    auth = bearer(user_token("learner", scope="write"))

    response = client.get(f"{V1}/users/uuid:{LEARNER}", headers=auth)

    assert response.status_code == 403
