"""The Learn REST token endpoint: client authentication and the 2-legged grant."""

from __future__ import annotations

from typing import Any

import pytest

from devplatform import DEFAULT_LEARN_APP_KEY
from tests.devplatform.toolside import basic_auth

TOKEN = "/learn/api/public/v1/oauth2/token"
CLIENT_CREDENTIALS = {"grant_type": "client_credentials"}


def test_client_credentials_token(client: Any, app_auth: dict[str, str]):
    response = client.post(TOKEN, data=CLIENT_CREDENTIALS, headers=app_auth)

    assert response.status_code == 200
    assert set(response.json) == {"access_token", "token_type", "expires_in"}
    assert response.json["token_type"] == "bearer"
    assert response.json["expires_in"] == 3600


def test_same_token_until_it_expires(client: Any, app_auth: Any, clock: Any):
    first = client.post(TOKEN, data=CLIENT_CREDENTIALS, headers=app_auth).json
    clock.advance(156)
    second = client.post(TOKEN, data=CLIENT_CREDENTIALS, headers=app_auth).json
    clock.advance(3600 - 156)
    third = client.post(TOKEN, data=CLIENT_CREDENTIALS, headers=app_auth).json

    assert second["access_token"] == first["access_token"]
    assert second["expires_in"] == 3444
    assert isinstance(second["expires_in"], int)
    assert third["access_token"] != first["access_token"]
    assert third["expires_in"] == 3600


def test_revoked_app_token_is_replaced(client: Any, learn_token: Any):
    first = learn_token()
    client.post("/admin/revoke-tokens")

    assert learn_token() != first


def test_counters_by_grant(client: Any, learn_token: Any):
    learn_token()
    learn_token()

    stats = client.get("/admin/stats").json

    assert stats["learn_token_requests"] == 2
    assert stats["learn_tokens_issued"] == 2
    assert stats["learn_tokens_by_grant"] == {"client_credentials": 2}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic_auth(DEFAULT_LEARN_APP_KEY, "wrong-secret"),
        basic_auth("other-key", "devplatform-app-secret"),
        {"Authorization": "Bearer devplatform-app-secret"},
    ],
)
def test_bad_credentials_are_401(client: Any, headers: dict[str, str]):
    response = client.post(TOKEN, data=CLIENT_CREDENTIALS, headers=headers)

    assert response.status_code == 401
    assert response.json["error"] == "invalid_client"
    assert response.json["error_description"]
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_key_and_secret_come_from_configuration(data_dir: Any):
    from devplatform import create_app

    app = create_app(
        {
            "DEVPLATFORM_DATA_DIR": str(data_dir),
            "DEVPLATFORM_LEARN_APP_KEY": "key-2",
            "DEVPLATFORM_LEARN_APP_SECRET": "secret-2",
        }
    )
    http = app.test_client()

    good = http.post(
        TOKEN, data=CLIENT_CREDENTIALS, headers=basic_auth("key-2", "secret-2")
    )
    default = http.post(
        TOKEN,
        data=CLIENT_CREDENTIALS,
        headers=basic_auth(DEFAULT_LEARN_APP_KEY, "devplatform-app-secret"),
    )

    assert good.status_code == 200
    assert default.status_code == 401


def test_unregistered_application(client: Any, app_auth: Any):
    client.post("/admin/settings", json={"learn_app_registered": False})

    response = client.post(TOKEN, data=CLIENT_CREDENTIALS, headers=app_auth)

    assert response.status_code == 400
    assert response.json == {
        "error": "invalid_request",
        "error_description": (
            "Application devplatform-app-key not registered with site "
            "http://localhost:5001"
        ),
    }


def test_missing_and_unknown_grant_type(client: Any, app_auth: Any):
    missing = client.post(TOKEN, data={}, headers=app_auth)
    unknown = client.post(TOKEN, data={"grant_type": "password"}, headers=app_auth)

    assert (missing.status_code, missing.json["error"]) == (400, "invalid_request")
    assert (unknown.status_code, unknown.json["error"]) == (
        400,
        "unsupported_grant_type",
    )


def test_lifetime_follows_the_runtime_setting(client: Any, learn_token: Any):
    client.post("/admin/settings", json={"token_lifetime": 60})
    client.post("/admin/revoke-tokens")

    response = client.post(
        TOKEN,
        data=CLIENT_CREDENTIALS,
        headers=basic_auth(DEFAULT_LEARN_APP_KEY, "devplatform-app-secret"),
    )

    assert response.json["expires_in"] == 60


def test_get_is_405_in_learn_shape(client: Any):
    response = client.get(TOKEN)

    assert response.status_code == 405
    assert response.json["status"] == 405
    assert "extraInfo" in response.json
