"""Launches without the state cookie: platform storage and the new window."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from app.lti.session import load_launch
from tests.flow import login
from tests.platform import (
    CLIENT_ID,
    DEPLOYMENT_ID,
    ISSUER,
    FakePlatform,
    write_platforms,
)

PLATFORM_ORIGIN = "http://localhost:5001"


def with_origin(app: Flask, platform: FakePlatform) -> FlaskClient:
    write_platforms(
        Path(app.config["LTI_PLATFORMS_FILE"]),
        platform.key_server.url,
        platform_origins=[PLATFORM_ORIGIN],
    )
    return app.test_client()


def data_attributes(page: str, element_id: str) -> dict[str, str]:
    tag = re.search(rf'<[^>]*id="{element_id}"[^>]*>', page, re.S)
    assert tag, page
    return {
        k: html.unescape(v) for k, v in re.findall(r'data-([\w-]+)="([^"]*)"', tag[0])
    }


def storage_login(client: FlaskClient) -> tuple[str, dict[str, str]]:
    response = client.post(
        "/lti/login",
        data={
            "iss": ISSUER,
            "login_hint": "u",
            "target_link_uri": "http://127.0.0.1:5000/x",
            "client_id": CLIENT_ID,
            "lti_deployment_id": DEPLOYMENT_ID,
            "lti_storage_target": "_parent",
        },
    )
    assert response.status_code == 200, response.text
    return response.text, data_attributes(response.text, "storage-login")


def test_login_offers_storage_to_trusted_origins(
    app: Flask, platform: FakePlatform
) -> None:
    client = with_origin(app, platform)

    page, data = storage_login(client)

    assert json.loads(data["origins"]) == [PLATFORM_ORIGIN]
    assert data["target"] == "_parent"
    assert data["auth-url"].startswith("http://127.0.0.1:5001/api/v1/gateway/oidcauth?")
    assert f"state={data['state']}" in data["auth-url"]
    assert "lti-storage.js" in page
    assert client.get_cookie("lti_state_" + "x", path="/lti/") is None  # named by hash
    assert any(c.key.startswith("lti_state_") for c in client._cookies.values())


def test_without_a_trusted_origin_the_login_redirects(client: FlaskClient) -> None:
    response = client.post(
        "/lti/login",
        data={
            "iss": ISSUER,
            "login_hint": "u",
            "target_link_uri": "t",
            "client_id": CLIENT_ID,
            "lti_storage_target": "_parent",
        },
    )

    assert response.status_code == 302


def test_learn_host_of_a_verified_launch_becomes_trusted(
    client: FlaskClient, platform: FakePlatform
) -> None:
    started = login(client)
    token = platform.sign(
        platform.claims(
            started.nonce,
            **{
                "https://purl.imsglobal.org/spec/lti/claim/tool_platform": {
                    "url": "https://school.blackboard.com/",
                    "product_family_code": "BlackboardLearn",
                }
            },
        )
    )
    assert (
        client.post(
            "/lti/launch", data={"id_token": token, "state": started.state}
        ).status_code
        == 200
    )

    _, data = storage_login(client)

    assert json.loads(data["origins"]) == ["https://school.blackboard.com"]


def launch_without_cookie(
    client: FlaskClient, platform: FakePlatform, storage: bool = True
) -> tuple[str, str, str]:
    _, data = storage_login(client)
    state = data["state"]
    nonce = data["nonce"]
    client._cookies.clear()  # the browser blocked the cookie
    token = platform.sign(platform.claims(nonce))
    form = {"id_token": token, "state": state}
    if storage:
        form["lti_storage_target"] = "_parent"
    response = client.post("/lti/launch", data=form)
    return (
        response.text if response.status_code == 200 else str(response.status_code),
        token,
        state,
    )


def test_launch_without_cookie_answers_with_the_storage_page(
    app: Flask, platform: FakePlatform
) -> None:
    client = with_origin(app, platform)

    page, token, state = launch_without_cookie(client, platform)

    data = data_attributes(page, "storage-launch")
    assert data["id-token"] == token and data["state"] == state
    assert json.loads(data["origins"]) == [PLATFORM_ORIGIN]
    assert data["relaunch-url"].startswith("/lti/login?")


def test_storage_completion_and_show(app: Flask, platform: FakePlatform) -> None:
    client = with_origin(app, platform)
    _, token, state = launch_without_cookie(client, platform)

    response = client.post(
        "/lti/launch/complete",
        json={"id_token": token, "state": state},
        headers={"X-LTI-Storage": "verified"},
    )

    assert response.status_code == 200 and response.json is not None
    launch_token = response.json["launch_token"]
    with app.test_request_context():
        assert load_launch(launch_token).binding == "platform-storage"
    shown = client.post("/lti/launch/show", data={"launch_token": launch_token})
    assert shown.status_code == 200 and "Hello, Ingrid Instructor" in shown.text
    assert "platform-storage" in shown.text  # the launch details say which path

    replay = client.post(
        "/lti/launch/complete",
        json={"id_token": token, "state": state},
        headers={"X-LTI-Storage": "verified"},
    )
    assert replay.status_code == 400 and replay.json is not None
    assert replay.json["error"] == "launch.nonce_replayed"


def test_completion_needs_the_storage_header(
    app: Flask, platform: FakePlatform
) -> None:
    client = with_origin(app, platform)
    _, token, state = launch_without_cookie(client, platform)

    as_form = client.post(
        "/lti/launch/complete", data={"id_token": token, "state": state}
    )
    no_header = client.post(
        "/lti/launch/complete", json={"id_token": token, "state": state}
    )

    assert as_form.status_code == 400 and no_header.status_code == 400
    assert no_header.json is not None
    assert no_header.json["error"] == "launch.state_missing"


def test_completion_with_another_state_is_refused(
    app: Flask, platform: FakePlatform
) -> None:
    client = with_origin(app, platform)
    _, token, _ = launch_without_cookie(client, platform)

    response = client.post(
        "/lti/launch/complete",
        json={"id_token": token, "state": "forged"},
        headers={"X-LTI-Storage": "verified"},
    )

    assert response.status_code == 400 and response.json is not None
    assert response.json["error"] == "launch.nonce_mismatch"


def test_neither_cookie_nor_storage_offers_a_new_window(
    client: FlaskClient, platform: FakePlatform
) -> None:
    started = login(client)
    client._cookies.clear()  # the browser blocked the cookie
    state = started.state
    token = platform.sign(platform.claims(started.nonce))
    status = str(
        client.post("/lti/launch", data={"id_token": token, "state": state}).status_code
    )
    response = client.post(
        "/lti/launch",
        data={"id_token": "x", "state": state},
        headers={"Accept": "application/json"},
    )

    assert status == "400"
    assert response.json is not None
    assert response.json["error"] == "launch.state_missing"
    relaunch = response.json["relaunch_url"]
    assert relaunch.startswith("/lti/login?") and "lti_storage_target" not in relaunch
    assert "login_hint=u" in relaunch
    page = client.post("/lti/launch", data={"id_token": "x", "state": state}).text
    assert 'id="relaunch"' in page and 'target="_blank"' in page


def test_cookie_still_wins_when_present(app: Flask, platform: FakePlatform) -> None:
    client = with_origin(app, platform)
    _, data = storage_login(client)
    token = platform.sign(platform.claims(data["nonce"]))

    response = client.post(
        "/lti/launch",
        data={
            "id_token": token,
            "state": data["state"],
            "lti_storage_target": "_parent",
        },
    )

    assert response.status_code == 200 and "Hello, Ingrid Instructor" in response.text


def test_storage_target_named_only_at_login_is_used_at_launch(
    app: Flask, platform: FakePlatform
) -> None:
    client = with_origin(app, platform)

    page, _, _ = launch_without_cookie(client, platform, storage=False)

    assert 'id="storage-launch"' in page
