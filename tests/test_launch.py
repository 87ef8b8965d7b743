"""The launch endpoint end to end inside one process: login, launch, tool page."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.lti.state import state_cookie_name
from tests.flow import login
from tests.htmlforms import launch_token_in
from tests.platform import LTI, FakePlatform

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTITUTION_FACULTY = (
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty"
)
SYSTEM_ADMIN = "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator"
TEST_USER = "http://purl.imsglobal.org/vocab/lti/system/person#TestUser"


def launch(
    client: FlaskClient, platform: FakePlatform, method: str = "POST", **claims: object
) -> tuple[int, str]:
    started = login(client, method=method)
    token = platform.sign(platform.claims(started.nonce, **claims))
    response = client.post(
        "/lti/launch", data={"id_token": token, "state": started.state}
    )
    return response.status_code, response.get_data(as_text=True)


def launch_token(page: str) -> str:
    return launch_token_in(page)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_instructor_launch_shows_the_instructor_view(
    client: FlaskClient, platform: FakePlatform, method: str
) -> None:
    status, page = launch(client, platform, method=method)

    assert status == 200
    assert "Hello, Ingrid Instructor" in page
    assert 'id="instructor-view"' in page
    assert "Week 1 quiz" in page and "Intro" in page
    assert 'id="launch-details"' in page


def test_learner_launch_shows_the_learner_view(
    client: FlaskClient, platform: FakePlatform
) -> None:
    status, page = launch(
        client, platform, name="Lars Learner", **{LTI + "roles": [LEARNER]}
    )

    assert status == 200
    assert "Hello, Lars Learner" in page
    assert 'id="learner-view"' in page and 'id="instructor-view"' not in page


def test_institution_and_system_roles_grant_no_course_rights(
    client: FlaskClient, platform: FakePlatform
) -> None:
    roles = [LEARNER, INSTITUTION_FACULTY, SYSTEM_ADMIN]
    status, page = launch(client, platform, **{LTI + "roles": roles})

    assert status == 200
    assert 'id="learner-view"' in page and 'id="instructor-view"' not in page


def test_student_preview_is_marked(client: FlaskClient, platform: FakePlatform) -> None:
    status, page = launch(client, platform, **{LTI + "roles": [LEARNER, TEST_USER]})

    assert status == 200 and "Student Preview" in page


def test_state_cookie_is_cleared_after_the_launch(
    client: FlaskClient, platform: FakePlatform
) -> None:
    started = login(client)
    token = platform.sign(platform.claims(started.nonce))
    client.post("/lti/launch", data={"id_token": token, "state": started.state})

    assert client.get_cookie(state_cookie_name(started.state), path="/lti/") is None


def test_replayed_launch_is_refused_with_a_page_naming_the_reason(
    client: FlaskClient, platform: FakePlatform
) -> None:
    started = login(client)
    token = platform.sign(platform.claims(started.nonce))
    form = {"id_token": token, "state": started.state}
    client.post("/lti/launch", data=form)
    # The attacker also has the state cookie.
    client.set_cookie(state_cookie_name(started.state), started.state, path="/lti/")

    response = client.post("/lti/launch", data=form)

    assert response.status_code == 400
    assert "launch.nonce_replayed" in response.get_data(as_text=True)


def test_rejected_launch_logs_one_warning_without_the_token(
    client: FlaskClient, platform: FakePlatform, caplog: pytest.LogCaptureFixture
) -> None:
    started = login(client)
    token = platform.sign(platform.claims(started.nonce, aud="another-tool"))

    client.post("/lti/launch", data={"id_token": token, "state": started.state})

    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    line = warnings[0].getMessage()
    assert "code=launch.platform_unknown" in line
    assert "issuer=https://blackboard.com" in line and "deployment_id=" in line
    assert token not in caplog.text and started.state not in caplog.text


def test_platform_error_answer_is_shown(client: FlaskClient) -> None:
    response = client.post(
        "/lti/launch",
        data={"error": "login_required", "error_description": "no session"},
    )

    assert response.status_code == 400
    assert "launch.platform_error" in response.get_data(as_text=True)


def test_head_answers_200_without_side_effects(client: FlaskClient) -> None:
    response = client.head("/lti/launch")

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_get_on_the_launch_url_is_a_clear_405(client: FlaskClient) -> None:
    response = client.get("/lti/launch")

    assert response.status_code == 405
    assert "http.405" in response.get_data(as_text=True)


def test_launch_token_opens_the_launch_without_cookies(
    client: FlaskClient, platform: FakePlatform
) -> None:
    _, page = launch(client, platform)
    token = launch_token(page)
    client._cookies.clear()  # nothing after the launch may need a cookie

    response = client.get("/api/launch", headers={"X-Launch-Token": token})

    assert response.status_code == 200 and response.json is not None
    assert response.json["user"]["name"] == "Ingrid Instructor"
    assert response.json["user"]["is_instructor"] is True
    assert response.json["resource_link"]["id"] == "_18938_1"


@pytest.mark.parametrize(
    ("token", "code"),
    [
        (None, "session.launch_token_missing"),
        ("forged.token.value", "session.launch_token_invalid"),
    ],
)
def test_api_without_a_valid_launch_token_is_401_json(
    client: FlaskClient, token: str | None, code: str
) -> None:
    headers = {"X-Launch-Token": token} if token else {}

    response = client.get("/api/launch", headers=headers)

    assert response.status_code == 401 and response.json is not None
    assert response.json["error"] == code


def test_expired_launch_token_is_refused(
    client: FlaskClient, platform: FakePlatform
) -> None:
    _, page = launch(client, platform)
    token = launch_token(page)
    client.application.config["LTI_LAUNCH_TTL"] = -1

    response = client.get("/api/launch", headers={"X-Launch-Token": token})

    assert response.status_code == 401 and response.json is not None
    assert response.json["error"] == "session.launch_expired"


def test_a_link_to_an_unknown_activity_says_so(
    client: FlaskClient, platform: FakePlatform
) -> None:
    status, page = launch(
        client,
        platform,
        **{LTI + "roles": [LEARNER], LTI + "custom": {"activity": "reading-1"}},
    )
    response = client.post(
        "/api/activity/submit",
        json={"answers": [0, 0, 0]},
        headers={"X-Launch-Token": launch_token(page)},
    )

    assert status == 200 and 'id="activity-unknown"' in page
    assert response.status_code == 404 and response.json is not None
    assert response.json["error"] == "activity.unknown"
