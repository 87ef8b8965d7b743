"""The setup page, the health check, and the tool's public key set."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.keys import get_tool_keys

PRIVATE_FIELDS = {"d", "p", "q", "dp", "dq", "qi"}


def test_setup_page_lists_the_portal_urls(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)

    assert "http://127.0.0.1:5000/lti/login" in page
    assert "http://127.0.0.1:5000/lti/launch" in page
    assert "http://127.0.0.1:5000/.well-known/jwks.json" in page
    assert "test-client-0001" in page and "test-deployment-0001" in page


def test_healthz_reports_the_cache(client: FlaskClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200 and response.json is not None
    assert response.json["status"] == "ok" and response.json["cache"] is True


def test_healthz_is_503_when_the_cache_is_down(tmp_path: object) -> None:
    from app import create_app

    app = create_app(
        {
            "APP_ENV": "testing",
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": "redis://127.0.0.1:1/0",
            "LTI_PLATFORMS_FILE": f"{tmp_path}/none.json",
            "TOOL_KEYS_DIR": f"{tmp_path}/keys",
        }
    )
    response = app.test_client().get("/healthz")

    assert response.status_code == 503 and response.json is not None
    assert response.json["cache"] is False


def test_jwks_publishes_public_keys_only(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        first = get_tool_keys().generate()
        second = get_tool_keys().generate()

    keys = client.get("/.well-known/jwks.json").json["keys"]  # type: ignore[index]

    assert {k["kid"] for k in keys} == {first, second}
    for key in keys:
        assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
        assert not PRIVATE_FIELDS & set(key)


def test_unknown_page_is_a_404_page(client: FlaskClient) -> None:
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert "http.404" in response.get_data(as_text=True)
