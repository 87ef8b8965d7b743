"""The third-party login initiation (PROTOCOL.md B1-B2)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from app.lti.state import state_cookie_name
from tests.flow import login
from tests.platform import CLIENT_ID, ISSUER, TOOL_URL


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_login_redirects_with_the_authentication_request(
    client: FlaskClient, method: str
) -> None:
    result = login(client, method=method)

    assert result.location.startswith("http://127.0.0.1:5001/api/v1/gateway/oidcauth?")
    assert result.params["scope"] == "openid"
    assert result.params["response_type"] == "id_token"
    assert result.params["response_mode"] == "form_post"
    assert result.params["prompt"] == "none"
    assert result.params["client_id"] == CLIENT_ID
    assert result.params["redirect_uri"] == f"{TOOL_URL}/lti/launch"
    assert result.params["login_hint"] == "user-1"
    assert result.params["lti_message_hint"] == "hint-1"
    assert len(result.state) >= 40 and len(result.nonce) >= 40
    assert result.state != result.nonce


def test_state_cookie_is_bound_for_iframes(client: FlaskClient) -> None:
    result = login(client)

    cookie = client.get_cookie(state_cookie_name(result.state), path="/lti/")
    assert cookie is not None and cookie.value == result.state
    assert cookie.secure and cookie.http_only and cookie.same_site == "None"
    header = next(
        h
        for h in client.post("/lti/login", data=_params()).headers.getlist("Set-Cookie")
    )
    assert "; Partitioned" in header


def _params() -> dict[str, str]:
    return {
        "iss": ISSUER,
        "login_hint": "u",
        "target_link_uri": f"{TOOL_URL}/lti/launch",
        "client_id": CLIENT_ID,
    }


def test_each_login_gets_its_own_state_and_nonce(client: FlaskClient) -> None:
    first, second = login(client), login(client)

    assert first.state != second.state and first.nonce != second.nonce
    assert client.get_cookie(state_cookie_name(first.state), path="/lti/")
    assert client.get_cookie(state_cookie_name(second.state), path="/lti/")


def test_login_without_client_id_uses_the_issuers_only_registration(
    client: FlaskClient,
) -> None:
    result = login(client, client_id="")

    assert result.params["client_id"] == CLIENT_ID


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"iss": ""}, "login.parameter_missing"),
        ({"login_hint": ""}, "login.parameter_missing"),
        ({"target_link_uri": ""}, "login.parameter_missing"),
        ({"iss": "https://other.example"}, "login.platform_unknown"),
        ({"client_id": "someone-else"}, "login.platform_unknown"),
        ({"lti_deployment_id": "unknown-school"}, "login.deployment_unknown"),
    ],
)
def test_bad_login_gets_400_before_any_redirect(
    client: FlaskClient, params: dict[str, str], code: str
) -> None:
    data = {
        "iss": ISSUER,
        "login_hint": "u",
        "target_link_uri": f"{TOOL_URL}/lti/launch",
        "client_id": CLIENT_ID,
        "lti_deployment_id": "test-deployment-0001",
        **params,
    }

    page = client.post("/lti/login", data=data)
    as_json = client.post(
        "/lti/login", data=data, headers={"Accept": "application/json"}
    )

    assert page.status_code == 400 and "Location" not in page.headers
    assert code in page.get_data(as_text=True)
    assert as_json.status_code == 400 and as_json.json is not None
    assert as_json.json["error"] == code


def test_login_over_plain_http_off_loopback_sets_no_secure_cookie(
    client: FlaskClient,
) -> None:
    response = client.post(
        "/lti/login",
        base_url="http://tool.example.edu",
        data={
            "iss": ISSUER,
            "login_hint": "u",
            "target_link_uri": f"{TOOL_URL}/lti/launch",
            "client_id": CLIENT_ID,
        },
    )

    assert response.status_code == 302
    cookie_header = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie_header and "Secure" not in cookie_header
    assert urlsplit(response.headers["Location"]).path.endswith("/oidcauth")
