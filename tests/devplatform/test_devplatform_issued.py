"""The issued-secrets helper: every token, code and session token handed out."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt

from devplatform import DEFAULT_LEARN_APP_KEY

AUTHORIZE = "/learn/api/public/v1/oauth2/authorizationcode"
TOKEN = "/learn/api/public/v1/oauth2/token"
REDIRECT_URI = "https://tool.example/learn/callback"
OTS_CLAIM = "https://blackboard.com/lti/claim/one_time_session_token"
KINDS = {
    "access_token",
    "refresh_token",
    "authorization_code",
    "one_time_session_token",
    "all",
}


def test_nothing_issued_at_start(client: Any):
    issued = client.get("/admin/issued-secrets").json

    assert set(issued) == KINDS
    assert all(values == [] for values in issued.values())


def test_every_kind_of_secret_is_listed(
    client: Any,
    lti_token: Any,
    learn_token: Any,
    app_auth: Any,
    auth_params: Any,
    authenticate: Any,
):
    client.post("/admin/settings", json={"skip_consent": True})
    lti = lti_token()
    two_legged = learn_token()

    _, form = authenticate(auth_params(user="learner"))
    claims = jwt.decode(form.fields["id_token"], options={"verify_signature": False})
    session_token = claims[OTS_CLAIM].split(",")[0]

    redirect = client.get(
        AUTHORIZE,
        query_string={
            "response_type": "code",
            "client_id": DEFAULT_LEARN_APP_KEY,
            "redirect_uri": REDIRECT_URI,
            "scope": "read offline",
            "one_time_session_token": claims[OTS_CLAIM],
        },
    )
    code = parse_qs(urlsplit(redirect.headers["Location"]).query)["code"][0]
    user = client.post(
        TOKEN,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
        },
        headers=app_auth,
    ).json
    refreshed = client.post(
        TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": user["refresh_token"]},
        headers=app_auth,
    ).json

    issued = client.get("/admin/issued-secrets").json

    assert issued["access_token"] == [
        lti,
        two_legged,
        user["access_token"],
        refreshed["access_token"],
    ]
    assert issued["refresh_token"] == [
        user["refresh_token"],
        refreshed["refresh_token"],
    ]
    assert issued["authorization_code"] == [code]
    assert issued["one_time_session_token"] == [session_token]
    assert sorted(issued["all"]) == sorted(
        issued["access_token"]
        + issued["refresh_token"]
        + issued["authorization_code"]
        + issued["one_time_session_token"]
    )


def test_a_reused_two_legged_token_is_listed_once(client: Any, learn_token: Any):
    token = learn_token()
    learn_token()

    assert client.get("/admin/issued-secrets").json["access_token"] == [token]


def test_revoked_and_expired_tokens_stay_listed(
    client: Any, lti_token: Any, clock: Any
):
    first = lti_token()
    client.post("/admin/revoke-tokens")
    clock.advance(7200)
    second = lti_token()

    assert client.get("/admin/issued-secrets").json["access_token"] == [
        first,
        second,
    ]
