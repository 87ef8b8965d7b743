"""The OIDC authentication endpoint: every check, in both HTTP methods."""

from __future__ import annotations

from typing import Any

import pytest

AUTH_URL = "/api/v1/gateway/oidcauth"
REDIRECT_URI = "http://127.0.0.1:5000/lti/launch"


def test_valid_request_posts_id_token_and_state(auth_params: Any, authenticate: Any):
    response, form = authenticate(auth_params())

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert form.attrs["id"] == "lti-launch-form"
    assert form.method == "POST"
    assert form.attrs["enctype"] == "application/x-www-form-urlencoded"
    assert form.action == REDIRECT_URI
    # Platform storage is on unless the launch turned it off.
    assert set(form.fields) == {"id_token", "state", "lti_storage_target"}
    assert form.fields["lti_storage_target"] == "_parent"
    assert form.fields["state"] == "state-abc123"
    assert form.fields["id_token"].count(".") == 2
    assert "<noscript>" in response.text
    assert 'getElementById("lti-launch-form").submit()' in response.text


def test_get_request_is_accepted(client: Any, auth_params: Any, forms_of: Any):
    response = client.get(AUTH_URL, query_string=auth_params())

    (form,) = forms_of(response.text)
    assert response.status_code == 200
    assert "id_token" in form.fields


def test_post_reads_the_form_not_the_query(client: Any, auth_params: Any):
    response = client.post(AUTH_URL, query_string=auth_params(), data={})

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("scope", "open_id"),
        ("scope", "openid profile"),
        ("response_type", "code"),
        ("response_mode", "query"),
        ("prompt", "login"),
        ("scope", None),
        ("response_type", None),
        ("response_mode", None),
        ("prompt", None),
        ("nonce", None),
        ("nonce", ""),
        ("login_hint", None),
        ("lti_message_hint", None),
        ("lti_message_hint", "not-a-signed-value"),
    ],
)
def test_bad_parameter_posts_invalid_request(
    auth_params: Any, authenticate: Any, name: str, value: str | None
):
    params = auth_params()
    if value is None:
        del params[name]
    else:
        params[name] = value

    response, form = authenticate(params)

    assert response.status_code == 200
    assert form.attrs["id"] == "lti-launch-form"
    assert form.action == REDIRECT_URI
    assert form.fields["error"] == "invalid_request"
    assert name in form.fields["error_description"]
    assert form.fields["state"] == "state-abc123"
    assert "id_token" not in form.fields


def test_missing_state_posts_error_without_state(auth_params: Any, authenticate: Any):
    params = auth_params()
    del params["state"]

    _, form = authenticate(params)

    assert form.fields["error"] == "invalid_request"
    assert form.fields["error_description"] == "state is missing"
    assert "state" not in form.fields


def test_unknown_login_hint_posts_login_required(auth_params: Any, authenticate: Any):
    params = auth_params()
    params["login_hint"] = "mallory"

    _, form = authenticate(params)

    assert form.fields["error"] == "login_required"
    assert "mallory" in form.fields["error_description"]


def test_message_hint_for_another_user_is_rejected(auth_params: Any, authenticate: Any):
    params = auth_params(user="learner")
    params["login_hint"] = "instructor"

    _, form = authenticate(params)

    assert form.fields["error"] == "invalid_request"
    assert "another login_hint" in form.fields["error_description"]


def test_tampered_message_hint_is_rejected(auth_params: Any, authenticate: Any):
    params = auth_params()
    payload, signature = params["lti_message_hint"].rsplit(".", 1)
    params["lti_message_hint"] = payload + "x." + signature

    _, form = authenticate(params)

    assert form.fields["error"] == "invalid_request"
    assert "bad signature" in form.fields["error_description"]


def test_expired_message_hint_is_rejected(
    auth_params: Any, authenticate: Any, clock: Any
):
    params = auth_params()
    clock.advance(301)

    _, form = authenticate(params)

    assert form.fields["error"] == "invalid_request"
    assert "expired" in form.fields["error_description"]


def test_message_hint_just_inside_its_lifetime_works(
    auth_params: Any, authenticate: Any, clock: Any
):
    params = auth_params()
    clock.advance(300)

    _, form = authenticate(params)

    assert "id_token" in form.fields


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/lti/launch",
        REDIRECT_URI + "/",
        REDIRECT_URI + "?x=1",
        "http://127.0.0.1:5000/lti/LAUNCH",
        "",
        None,
    ],
)
def test_unregistered_redirect_uri_gets_400_page(
    auth_params: Any, authenticate: Any, redirect_uri: str | None
):
    params = auth_params()
    if redirect_uri is None:
        del params["redirect_uri"]
    else:
        params["redirect_uri"] = redirect_uri

    response, form = authenticate(params)

    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "redirect_uri" in response.text
    assert "registered" in response.text
    assert form.attrs == {}
    assert "evil.example" not in response.headers.get("Location", "")


@pytest.mark.parametrize("client_id", ["someone-else", "", None])
def test_unknown_client_id_gets_400_page(
    auth_params: Any, authenticate: Any, client_id: str | None
):
    params = auth_params()
    if client_id is None:
        del params["client_id"]
    else:
        params["client_id"] = client_id

    response, form = authenticate(params)

    assert response.status_code == 400
    assert "client_id" in response.text
    assert form.attrs == {}


def test_every_request_is_counted(client: Any, auth_params: Any, authenticate: Any):
    params = auth_params()
    authenticate(params)
    authenticate({**params, "prompt": "login"})

    stats = client.get("/admin/stats").json
    assert stats["auth_requests"] == 2
    assert stats["auth_errors"] == 1
    assert stats["id_tokens_issued"] == 1


def test_unsupported_method_gets_405_page(client: Any):
    response = client.put(AUTH_URL)

    assert response.status_code == 405
    assert response.mimetype == "text/html"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
