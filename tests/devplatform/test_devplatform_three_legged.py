"""Learn 3-legged OAuth: authorize, login, consent, code exchange and refresh."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from devplatform import DEFAULT_CLIENT_ID, DEFAULT_LEARN_APP_KEY
from tests.devplatform.toolside import bearer, pkce_pair

AUTHORIZE = "/learn/api/public/v1/oauth2/authorizationcode"
TOKEN = "/learn/api/public/v1/oauth2/token"
REDIRECT_URI = "https://tool.example/learn/callback"
OTS_CLAIM = "https://blackboard.com/lti/claim/one_time_session_token"
LEARNER = "8379c4ba57cc492fb621f01c0064cee7"
INSTRUCTOR = "f9f17be4844f460ebfde9e407c4d1e01"


@pytest.fixture
def session_token(auth_params: Any, authenticate: Any):
    """Return a function that launches as a user and returns the OTS claim."""

    def launch(user: str = "learner") -> str:
        _, form = authenticate(auth_params(user=user))
        claims = jwt.decode(
            form.fields["id_token"], options={"verify_signature": False}
        )
        value: str = claims[OTS_CLAIM]
        return value

    return launch


def _params(**overrides: str) -> dict[str, str]:
    """Return a valid authorization code request."""
    params = {
        "response_type": "code",
        "client_id": DEFAULT_LEARN_APP_KEY,
        "redirect_uri": REDIRECT_URI,
        "scope": "read",
        "state": "state-3lo",
    }
    params.update(overrides)
    return {name: value for name, value in params.items() if value is not None}


def _query(response: Any) -> dict[str, str]:
    """Return the query of a redirect's Location, one value per name."""
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _decide(client: Any, forms_of: Any, page: Any, decision: str) -> Any:
    """Press Allow or Deny on a consent page."""
    assert page.status_code == 200, page.text
    (form,) = forms_of(page.text)
    return client.post(form.action, data={**form.fields, "decision": decision})


@pytest.fixture
def code_for(client: Any, forms_of: Any, session_token: Any):
    """Return a function that runs authorize and consent and returns the code."""

    def run(user: str = "learner", **overrides: str) -> str:
        params = _params(one_time_session_token=session_token(user), **overrides)
        page = client.get(AUTHORIZE, query_string=params)
        return _query(_decide(client, forms_of, page, "allow"))["code"]

    return run


def _exchange(client: Any, app_auth: Any, **params: str) -> Any:
    """Post an authorization_code grant with code and redirect_uri in the query."""
    body = {"grant_type": "authorization_code"}
    if "code_verifier" in params:
        body["code_verifier"] = params.pop("code_verifier")
    return client.post(TOKEN, query_string=params, data=body, headers=app_auth)


def test_session_token_flow_to_a_user_token(
    client: Any, forms_of: Any, session_token: Any, app_auth: Any
):
    page = client.get(
        AUTHORIZE, query_string=_params(one_time_session_token=session_token())
    )

    assert "Allow DEV-101 LTI Tool to access Blackboard Learn as Lars Learner?" in (
        page.text
    )
    assert 'id="consent-allow"' in page.text and 'id="consent-deny"' in page.text
    query = _query(_decide(client, forms_of, page, "allow"))
    assert query["state"] == "state-3lo"

    response = _exchange(
        client, app_auth, code=query["code"], redirect_uri=REDIRECT_URI
    )

    assert response.status_code == 200, response.json
    assert response.json["token_type"] == "bearer"
    assert response.json["expires_in"] == 3600
    assert response.json["scope"] == "read"
    assert response.json["user_id"] == LEARNER
    assert "refresh_token" not in response.json
    user = client.get(
        f"/learn/api/public/v1/users/uuid:{LEARNER}",
        headers=bearer(response.json["access_token"]),
    )
    assert user.json["userName"] == "lars.learner"


def test_code_and_redirect_uri_in_the_form_body(
    client: Any, code_for: Any, app_auth: Any
):
    body = {
        "grant_type": "authorization_code",
        "code": code_for(),
        "redirect_uri": REDIRECT_URI,
    }

    response = client.post(TOKEN, data=body, headers=app_auth)

    assert response.status_code == 200


def test_pkce(client: Any, code_for: Any, app_auth: Any):
    verifier, challenge = pkce_pair()
    code = code_for(code_challenge=challenge, code_challenge_method="S256")

    response = _exchange(
        client, app_auth, code=code, redirect_uri=REDIRECT_URI, code_verifier=verifier
    )

    assert response.status_code == 200, response.json


@pytest.mark.parametrize("verifier", [None, "wrong-verifier-" + "x" * 40])
def test_pkce_needs_the_right_verifier(
    client: Any, code_for: Any, app_auth: Any, verifier: str | None
):
    _, challenge = pkce_pair()
    code = code_for(code_challenge=challenge, code_challenge_method="S256")
    params = {"code": code, "redirect_uri": REDIRECT_URI}
    if verifier:
        params["code_verifier"] = verifier

    response = _exchange(client, app_auth, **params)

    assert response.status_code == 400
    assert response.json["error"] == "invalid_grant"
    assert "code_verifier" in response.json["error_description"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"code_challenge_method": "plain"}, "must be S256"),
        ({"code_challenge_method": None}, "must be S256"),
        ({"code_challenge": "short"}, "BASE64URL(SHA256"),
    ],
)
def test_bad_pkce_parameters_are_a_page(client: Any, params: Any, message: str):
    _, challenge = pkce_pair()
    pkce = {"code_challenge": challenge, "code_challenge_method": "S256", **params}
    query = _params(**pkce)

    response = client.get(AUTHORIZE, query_string=query)

    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert message in response.text
    assert "Location" not in response.headers


def test_offline_gives_a_refresh_token_that_rotates(
    client: Any, code_for: Any, app_auth: Any
):
    code = code_for(scope="read offline")
    first = _exchange(client, app_auth, code=code, redirect_uri=REDIRECT_URI).json
    refresh = {"refresh_token": first["refresh_token"], "redirect_uri": REDIRECT_URI}

    second = client.post(
        TOKEN,
        query_string=refresh,
        data={"grant_type": "refresh_token"},
        headers=app_auth,
    )
    replay = client.post(
        TOKEN,
        query_string=refresh,
        data={"grant_type": "refresh_token"},
        headers=app_auth,
    )

    assert first["scope"] == "read offline"
    assert second.status_code == 200
    assert second.json["access_token"] != first["access_token"]
    assert second.json["refresh_token"] != first["refresh_token"]
    assert second.json["user_id"] == LEARNER
    assert replay.status_code == 400
    assert replay.json == {"error": "invalid_grant"}
    stats = client.get("/admin/stats").json
    assert stats["learn_tokens_by_grant"] == {
        "authorization_code": 1,
        "refresh_token": 1,
    }


def test_star_scope_includes_offline(client: Any, code_for: Any, app_auth: Any):
    code = code_for(scope="*")

    body = _exchange(client, app_auth, code=code, redirect_uri=REDIRECT_URI).json

    assert body["scope"] == "read write delete offline"
    assert "refresh_token" in body


def test_refresh_tokens_survive_revocation(client: Any, code_for: Any, app_auth: Any):
    code = code_for(scope="read offline")
    first = _exchange(client, app_auth, code=code, redirect_uri=REDIRECT_URI).json
    client.post("/admin/revoke-tokens")

    refreshed = client.post(
        TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
        headers=app_auth,
    )
    old = client.get(
        f"/learn/api/public/v1/users/uuid:{LEARNER}",
        headers=bearer(first["access_token"]),
    )

    assert refreshed.status_code == 200
    assert old.status_code == 401


def test_unknown_refresh_token(client: Any, app_auth: Any):
    response = client.post(
        TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": "nope"},
        headers=app_auth,
    )

    assert response.status_code == 400
    assert response.json == {"error": "invalid_grant"}


def test_redirect_uri_mismatch(client: Any, code_for: Any, app_auth: Any):
    code = code_for()

    response = _exchange(client, app_auth, code=code, redirect_uri=REDIRECT_URI + "/")

    assert response.status_code == 400
    assert response.json["error"] == "invalid_grant"
    assert "redirect_uri" in response.json["error_description"]


def test_code_is_single_use(client: Any, code_for: Any, app_auth: Any):
    code = code_for()
    first = _exchange(client, app_auth, code=code, redirect_uri=REDIRECT_URI)

    second = _exchange(client, app_auth, code=code, redirect_uri=REDIRECT_URI)

    assert first.status_code == 200
    assert second.status_code == 400
    assert second.json["error"] == "invalid_grant"


def test_code_expires_after_ten_minutes(
    client: Any, code_for: Any, app_auth: Any, clock: Any
):
    code = code_for()
    clock.advance(600)

    response = _exchange(client, app_auth, code=code, redirect_uri=REDIRECT_URI)

    assert response.json["error"] == "invalid_grant"


def test_missing_code(client: Any, app_auth: Any):
    response = _exchange(client, app_auth, redirect_uri=REDIRECT_URI)

    assert response.json["error"] == "invalid_request"


def test_session_token_without_uuid_is_refused(client: Any, session_token: Any):
    client.post("/admin/settings", json={"ots_without_uuid": True})
    bare = session_token()

    response = client.get(AUTHORIZE, query_string=_params(one_time_session_token=bare))

    assert "," not in bare
    assert response.status_code == 400
    assert "the user part is missing" in response.text


def test_session_token_with_sub_appended_by_the_tool(
    client: Any, session_token: Any, auth_params: Any, forms_of: Any
):
    client.post("/admin/settings", json={"ots_without_uuid": True})
    fixed = session_token() + "," + LEARNER

    page = client.get(AUTHORIZE, query_string=_params(one_time_session_token=fixed))

    assert page.status_code == 200
    assert "as Lars Learner?" in page.text
    assert "code" in _query(_decide(client, forms_of, page, "allow"))


def test_session_token_is_single_use(client: Any, session_token: Any):
    value = session_token()
    first = client.get(AUTHORIZE, query_string=_params(one_time_session_token=value))

    second = client.get(AUTHORIZE, query_string=_params(one_time_session_token=value))

    assert first.status_code == 200
    assert second.status_code == 400
    assert "unknown, used or expired" in second.text


def test_session_token_for_another_user(client: Any, session_token: Any):
    token, _ = session_token().split(",")

    response = client.get(
        AUTHORIZE, query_string=_params(one_time_session_token=f"{token},{INSTRUCTOR}")
    )

    assert response.status_code == 400
    assert "names another user" in response.text


def test_forged_session_token(client: Any):
    response = client.get(
        AUTHORIZE, query_string=_params(one_time_session_token=f"forged,{LEARNER}")
    )

    assert response.status_code == 400


def test_login_page_without_session_token(client: Any, forms_of: Any, app_auth: Any):
    page = client.get(AUTHORIZE, query_string=_params())

    assert page.status_code == 200
    assert 'id="login-instructor"' in page.text
    (form,) = forms_of(page.text)
    consent = client.post(form.action, data={**form.fields, "user": "instructor"})
    assert "as Ingrid Instructor?" in consent.text
    code = _query(_decide(client, forms_of, consent, "allow"))["code"]
    token = _exchange(client, app_auth, code=code, redirect_uri=REDIRECT_URI).json
    assert token["user_id"] == INSTRUCTOR


def test_login_form_cannot_be_replayed(client: Any, forms_of: Any):
    page = client.get(AUTHORIZE, query_string=_params())
    (form,) = forms_of(page.text)
    client.post(form.action, data={**form.fields, "user": "instructor"})

    again = client.post(form.action, data={**form.fields, "user": "learner"})

    assert again.status_code == 400


def test_consent_deny(client: Any, forms_of: Any, session_token: Any):
    page = client.get(
        AUTHORIZE, query_string=_params(one_time_session_token=session_token())
    )

    query = _query(_decide(client, forms_of, page, "deny"))

    assert query == {"error": "access_denied", "state": "state-3lo"}


def test_skip_consent(client: Any, session_token: Any):
    client.post("/admin/settings", json={"skip_consent": True})

    response = client.get(
        AUTHORIZE, query_string=_params(one_time_session_token=session_token())
    )

    assert set(_query(response)) == {"code", "state"}


def test_redirect_keeps_an_existing_query(
    client: Any, forms_of: Any, session_token: Any
):
    params = _params(
        redirect_uri=REDIRECT_URI + "?tenant=7", one_time_session_token=session_token()
    )
    page = client.get(AUTHORIZE, query_string=params)

    location = _decide(client, forms_of, page, "allow").headers["Location"]

    assert location.startswith(REDIRECT_URI + "?tenant=7&code=")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"client_id": "unknown-key"}, "unknown client_id"),
        ({"client_id": DEFAULT_CLIENT_ID}, "not the LTI client id"),
        ({"response_type": "token"}, "response_type must be"),
        ({"redirect_uri": "/relative"}, "redirect_uri must be"),
        ({"redirect_uri": None}, "redirect_uri must be"),
        ({"scope": None}, "scope is missing"),
        ({"scope": "read admin"}, "unknown scope"),
    ],
)
def test_bad_requests_are_a_page_not_a_redirect(
    client: Any, overrides: dict[str, Any], message: str
):
    response = client.get(AUTHORIZE, query_string=_params(**overrides))

    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert message in response.text


def test_unregistered_application_page(client: Any):
    client.post("/admin/settings", json={"learn_app_registered": False})

    response = client.get(AUTHORIZE, query_string=_params())

    assert response.status_code == 400
    assert "Application devplatform-app-key not registered with site" in response.text
