"""Admin controls for the token services: counters, settings, faults, revocation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.devplatform.toolside import ALL_SCOPES, bearer, token_form

LTI_TOKEN = "/api/v1/gateway/oauth2/jwttoken"
LEARN_TOKEN = "/learn/api/public/v1/oauth2/token"
NRPS = "/learn/api/v1/lti/external/namesandroles/_122_1?placement_id=_553_1"
USER = "/learn/api/public/v1/users/_57_1"
NEW_COUNTERS = (
    "lti_token_requests",
    "lti_tokens_issued",
    "learn_token_requests",
    "learn_tokens_issued",
    "nrps_requests",
    "rest_requests",
    "jtis_rejected",
    "tool_jwks_fetches",
)


def test_new_counters_start_at_zero(client: Any):
    stats = client.get("/admin/stats").json

    assert all(stats[name] == 0 for name in NEW_COUNTERS)
    assert stats["learn_tokens_by_grant"] == {}
    assert stats["last_client_assertion"] is None


def test_reset_zeroes_every_counter(
    client: Any, lti_token: Any, learn_token: Any, assertions: Any
):
    token = assertions.build()
    client.post(LTI_TOKEN, data=token_form(token))
    client.post(LTI_TOKEN, data=token_form(token))
    client.get(NRPS, headers=bearer(lti_token()))
    client.get(USER, headers=bearer(learn_token()))
    before = client.get("/admin/stats").json

    client.post("/admin/reset-stats")

    after = client.get("/admin/stats").json
    assert all(before[name] >= 1 for name in NEW_COUNTERS)
    assert all(after[name] == 0 for name in NEW_COUNTERS)
    assert after["learn_tokens_by_grant"] == {}
    assert after["last_client_assertion"] is None


def test_settings_defaults(client: Any):
    assert client.get("/admin/settings").json == {
        "token_lifetime": 3600,
        "learn_app_registered": True,
        "skip_consent": False,
        "ots_without_uuid": False,
        "rate_limit": 10000,
        "lti_scopes": list(ALL_SCOPES),
        "attempt_limit_items": [],
        "dl_accept_multiple": True,
        "dl_accept_lineitem": True,
        "dl_accept_types": ["ltiResourceLink", "link"],
        "storage_tamper": "none",
    }


def test_settings_change_any_subset(client: Any):
    response = client.post(
        "/admin/settings", json={"skip_consent": True, "rate_limit": 7}
    )

    assert response.status_code == 200
    assert response.json["skip_consent"] is True
    assert response.json["rate_limit"] == 7
    assert response.json["token_lifetime"] == 3600
    assert client.get("/admin/settings").json == response.json


@pytest.mark.parametrize(
    "body",
    [
        {"token_lifetime": 0},
        {"token_lifetime": "60"},
        {"token_lifetime": True},
        {"rate_limit": -1},
        {"skip_consent": "yes"},
        {"lti_scopes": ["https://example.com/scope"]},
        {"dl_accept_multiple": "no"},
        {"dl_accept_types": []},
        {"dl_accept_types": ["file"]},
        {"dl_accept_types": "link"},
        {"storage_tamper": "lose"},
        {"storage_tamper": None},
        {"nonsense": 1},
        ["token_lifetime"],
        None,
    ],
)
def test_bad_settings_are_refused_whole(client: Any, body: Any):
    before = client.get("/admin/settings").json

    response = client.post("/admin/settings", json=body)

    assert response.status_code == 400
    assert response.json["error"]
    assert client.get("/admin/settings").json == before


def test_faults_answer_in_order_then_normal(client: Any, assertions: Any):
    client.post("/admin/faults", json={"lti_token": [500, 503]})

    answers = [
        client.post(LTI_TOKEN, data=token_form(assertions.build())) for _ in range(3)
    ]

    assert [r.status_code for r in answers] == [500, 503, 200]
    assert answers[0].json == {
        "error": "server_error",
        "error_description": "injected fault 500",
    }
    assert "Retry-After" not in answers[0].headers
    assert answers[1].headers["Retry-After"] == "1"
    assert answers[1].json["error"] == "temporarily_unavailable"
    assert client.get("/admin/stats").json["lti_token_requests"] == 3


def test_learn_token_fault(client: Any, app_auth: Any):
    client.post("/admin/faults", json={"learn_token": [503]})

    response = client.post(
        LEARN_TOKEN, data={"grant_type": "client_credentials"}, headers=app_auth
    )

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json["error"] == "temporarily_unavailable"


def test_nrps_fault(client: Any, lti_token: Any):
    token = lti_token()
    client.post("/admin/faults", json={"nrps": [429]})

    faulted = client.get(NRPS, headers=bearer(token))
    normal = client.get(NRPS, headers=bearer(token))

    assert faulted.status_code == 429
    assert faulted.headers["Retry-After"] == "1"
    assert faulted.json["status"] == 429
    assert "extraInfo" in faulted.json
    assert normal.status_code == 200


def test_rest_fault_keeps_rate_headers(client: Any, learn_token: Any):
    token = learn_token()
    client.post("/admin/faults", json={"rest": [401]})

    faulted = client.get(USER, headers=bearer(token))
    normal = client.get(USER, headers=bearer(token))

    assert faulted.status_code == 401
    assert faulted.json["status"] == 401
    assert "X-Rate-Limit-Remaining" in faulted.headers
    assert normal.status_code == 200


def test_faults_are_listed_and_cleared(client: Any):
    queued = client.post("/admin/faults", json={"rest": [500], "nrps": [429, 429]})
    client.post("/admin/faults", json={"rest": [503]})

    listed = client.get("/admin/faults").json
    cleared = client.delete("/admin/faults").json

    assert queued.json["nrps"] == [429, 429]
    assert listed["rest"] == [500, 503]
    assert cleared == {
        "lti_token": [],
        "learn_token": [],
        "nrps": [],
        "rest": [],
        "ags": [],
    }


@pytest.mark.parametrize(
    "body",
    [{"grades": [500]}, {"rest": 500}, {"rest": [200]}, {"rest": ["500"]}, [500]],
)
def test_bad_faults_are_refused(client: Any, body: Any):
    response = client.post("/admin/faults", json=body)

    assert response.status_code == 400
    assert client.get("/admin/faults").json["rest"] == []


def test_revoke_invalidates_every_access_token(
    client: Any, lti_token: Any, learn_token: Any
):
    lti, learn = lti_token(), learn_token()

    response = client.post("/admin/revoke-tokens")

    assert response.json == {"revoked": 2}
    assert client.get(NRPS, headers=bearer(lti)).status_code == 401
    assert client.get(USER, headers=bearer(learn)).status_code == 401


def test_fetch_tool_jwks_now(client: Any, tool_jwks: Any, lti_token: Any):
    response = client.post("/admin/fetch-tool-jwks")

    assert response.json == {"kids": ["tool-1"]}
    assert tool_jwks.hits == 1
    lti_token()
    assert tool_jwks.hits == 1


def test_fetch_tool_jwks_unreachable(client: Any, tool_jwks: Any):
    tool_jwks.status = 503

    response = client.post("/admin/fetch-tool-jwks")

    assert response.status_code == 502
    assert "cannot fetch" in response.json["error"]
