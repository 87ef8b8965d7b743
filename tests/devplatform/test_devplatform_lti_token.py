"""The LTI service token endpoint: client assertion checks, scopes, lifetime."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from devplatform import DEFAULT_CLIENT_ID
from tests.devplatform.toolside import (
    AGS,
    ALL_SCOPES,
    NRPS_SCOPE,
    TOKEN_URL,
    token_form,
)

ENDPOINT = "/api/v1/gateway/oauth2/jwttoken"


@pytest.fixture
def ask(client: Any):
    """Return a function that posts a token request and returns the response."""

    def post(assertion: str, scopes: Any = ALL_SCOPES) -> Any:
        return client.post(ENDPOINT, data=token_form(assertion, scopes))

    return post


def test_good_assertion_gets_a_token(ask: Any, assertions: Any, client: Any):
    response = ask(assertions.build())

    body = response.json
    assert response.status_code == 200
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["scope"].split() == list(ALL_SCOPES)
    assert len(body["access_token"]) >= 32
    assert response.headers["Cache-Control"] == "no-store"
    stats = client.get("/admin/stats").json
    assert stats["lti_token_requests"] == 1
    assert stats["lti_tokens_issued"] == 1


def test_each_request_gets_a_new_token(ask: Any, assertions: Any):
    first = ask(assertions.build()).json["access_token"]
    second = ask(assertions.build()).json["access_token"]

    assert first != second


def test_aud_may_be_a_list_holding_the_token_url(ask: Any, assertions: Any):
    response = ask(assertions.build(aud=[TOKEN_URL, "https://other.example"]))

    assert response.status_code == 200


@pytest.mark.parametrize("alg", ["RS384", "RS512"])
def test_other_rsa_algorithms(
    ask: Any, assertions: Any, tool_jwks: Any, tool_keys: Any, alg: str
):
    tool_jwks.publish(tool_keys[:1], alg=None)

    response = ask(assertions.build(alg=alg))

    assert response.status_code == 200


def test_iat_a_little_in_the_future_is_tolerated(ask: Any, assertions: Any, clock):
    response = ask(assertions.build(iat=clock.now + 30))

    assert response.status_code == 200


def _expect(response: Any, error: str, description: str) -> None:
    """Assert a 400 with OAuth ``error`` and a description containing text."""
    assert response.status_code == 400, response.json
    assert response.json["error"] == error
    assert description in response.json["error_description"]


@pytest.mark.parametrize(
    ("overrides", "description"),
    [
        ({"iss": "someone-else"}, "iss must be the client_id"),
        ({"sub": "someone-else"}, "sub must be the client_id"),
        ({"aud": "https://developer.anthology.com/x"}, "aud must be or contain"),
        ({"aud": ["https://other.example"]}, "aud must be or contain"),
        ({"aud": TOKEN_URL + "/"}, "aud must be or contain"),
        ({"drop": ["iat"]}, "iat is missing"),
        ({"drop": ["exp"]}, "exp is missing"),
        ({"drop": ["jti"]}, "jti is missing"),
        ({"iat": "now"}, "iat must be an integer"),
        ({"exp": True}, "exp must be an integer"),
    ],
)
def test_bad_claims_are_rejected(
    ask: Any, assertions: Any, overrides: dict[str, Any], description: str
):
    _expect(ask(assertions.build(**overrides)), "invalid_client", description)


def test_float_iat_is_rejected(ask: Any, assertions: Any, clock: Any):
    response = ask(assertions.build(iat=clock.now + 0.5))

    _expect(response, "invalid_client", "iat must be an integer")


def test_float_exp_is_rejected(ask: Any, assertions: Any, clock: Any):
    response = ask(assertions.build(exp=float(clock.now + 300)))

    _expect(response, "invalid_client", "exp must be an integer")


def test_expired_assertion_is_rejected(ask: Any, assertions: Any, clock: Any):
    token = assertions.build()
    clock.advance(301)

    _expect(ask(token), "invalid_client", "has expired")


def test_iat_far_in_the_future_is_rejected(ask: Any, assertions: Any, clock: Any):
    response = ask(assertions.build(iat=clock.now + 120, exp=clock.now + 300))

    _expect(response, "invalid_client", "iat is in the future")


def test_lifetime_over_an_hour_is_rejected(ask: Any, assertions: Any, clock: Any):
    response = ask(assertions.build(exp=clock.now + 3601))

    _expect(response, "invalid_client", "exp - iat must be at most 3600")


def test_bad_signature_is_rejected(ask: Any, assertions: Any, tool_keys: Any):
    # Signed by a key the JWKS does not hold, under a kid it does hold.
    token = assertions.build(key=tool_keys[2], headers={"kid": tool_keys[0].kid})

    _expect(ask(token), "invalid_client", "signature is invalid")


def test_tampered_payload_is_rejected(ask: Any, assertions: Any):
    header, _, signature = assertions.build().split(".")
    _, payload, _ = assertions.build(sub="x").split(".")

    _expect(ask(f"{header}.{payload}.{signature}"), "invalid_client", "signature")


def test_unknown_kid_is_rejected_after_one_refetch(
    ask: Any, assertions: Any, tool_keys: Any, tool_jwks: Any, client: Any
):
    ask(assertions.build())  # caches the JWKS
    token = assertions.build(key=tool_keys[2])

    response = ask(token)

    _expect(response, "invalid_client", "Failed to get key with kid [rogue]")
    assert "invalid_jwt_token" in response.json["error_description"]
    assert tool_jwks.hits == 2
    assert client.get("/admin/stats").json["tool_jwks_fetches"] == 2


def test_new_tool_key_is_found_by_refetching(
    ask: Any, assertions: Any, tool_keys: Any, tool_jwks: Any
):
    assert ask(assertions.build()).status_code == 200
    tool_jwks.publish(tool_keys[:2])

    response = ask(assertions.build(key=tool_keys[1]))
    again = ask(assertions.build(key=tool_keys[1]))

    assert response.status_code == 200
    assert again.status_code == 200
    assert tool_jwks.hits == 1  # one refetch, then served from the cache


def test_unreachable_tool_jwks(ask: Any, assertions: Any, tool_jwks: Any):
    tool_jwks.status = 500

    response = ask(assertions.build())

    _expect(response, "invalid_client", "Failed to get key with kid [tool-1]")


def test_missing_kid_is_rejected(ask: Any, assertions: Any):
    key = assertions.key.private_key
    token = jwt.encode(assertions.claims(), key, algorithm="RS256")

    _expect(ask(token), "invalid_client", "no kid")


def test_non_rsa_algorithm_is_rejected(ask: Any):
    token = jwt.encode({"iss": DEFAULT_CLIENT_ID}, "s" * 32, headers={"kid": "tool-1"})

    _expect(ask(token), "invalid_client", "alg must be one of RS256")


def test_alg_must_match_the_key(ask: Any, assertions: Any):
    # The published key says RS256.
    _expect(ask(assertions.build(alg="RS512")), "invalid_client", "is not the alg")


def test_reused_jti_is_rejected(ask: Any, assertions: Any, client: Any):
    token = assertions.build()
    assert ask(token).status_code == 200

    response = ask(token)

    _expect(response, "invalid_client", "has already been used")
    assert client.get("/admin/stats").json["jtis_rejected"] == 1


def test_failed_assertion_does_not_spend_its_jti(ask: Any, assertions: Any):
    claims = assertions.claims()
    bad = assertions.build(**{**claims, "sub": "x"})
    good = assertions.build(**claims)

    assert ask(bad).status_code == 400
    assert ask(good).status_code == 200


def test_missing_grant_type(client: Any, assertions: Any):
    form = token_form(assertions.build())
    del form["grant_type"]

    response = client.post(ENDPOINT, data=form)

    assert response.status_code == 400
    assert response.json == {
        "error": "invalid_grant",
        "error_description": "No grant type",
    }


def test_json_body_has_no_grant_type(client: Any, assertions: Any):
    response = client.post(ENDPOINT, json=token_form(assertions.build()))

    assert response.status_code == 400
    assert response.json == {
        "error": "invalid_grant",
        "error_description": "No grant type",
    }


def test_other_grant_type(client: Any, assertions: Any):
    form = {**token_form(assertions.build()), "grant_type": "password"}

    _expect(client.post(ENDPOINT, data=form), "unsupported_grant_type", "password")


def test_wrong_assertion_type(client: Any, assertions: Any):
    form = {**token_form(assertions.build()), "client_assertion_type": "jwt"}

    _expect(client.post(ENDPOINT, data=form), "invalid_request", "must be urn:")


def test_missing_and_malformed_assertion(client: Any, assertions: Any):
    form = token_form("")
    missing = client.post(ENDPOINT, data=form)
    malformed = client.post(ENDPOINT, data={**form, "client_assertion": "a.b"})

    _expect(missing, "invalid_request", "client_assertion is missing")
    _expect(malformed, "invalid_request", "not a valid JWT")


def test_only_enabled_scopes_are_granted(ask: Any, assertions: Any, client: Any):
    client.post("/admin/settings", json={"lti_scopes": [NRPS_SCOPE, AGS + "score"]})
    asked = [AGS + "score", AGS + "lineitem", NRPS_SCOPE, "https://x.example/other"]

    response = ask(assertions.build(), asked)

    assert response.status_code == 200
    assert response.json["scope"] == f"{AGS}score {NRPS_SCOPE}"


def test_no_grantable_scope_is_invalid_scope(ask: Any, assertions: Any):
    response = ask(assertions.build(), ["https://x.example/other"])

    _expect(response, "invalid_scope", "none of the requested scopes")


def test_missing_scope_is_invalid_scope(ask: Any, assertions: Any):
    _expect(ask(assertions.build(), []), "invalid_scope", "none")


def test_lifetime_follows_the_runtime_setting(ask: Any, assertions: Any, client: Any):
    client.post("/admin/settings", json={"token_lifetime": 120})

    assert ask(assertions.build()).json["expires_in"] == 120


def test_lifetime_from_configuration(data_dir: Any, tool_jwks: Any, tool_keys: Any):
    from devplatform import create_app
    from tests.devplatform.toolside import Assertions

    app = create_app(
        {
            "DEVPLATFORM_DATA_DIR": str(data_dir),
            "DEVPLATFORM_TOKEN_LIFETIME": 900,
            "DEVPLATFORM_TOOL_JWKS_URL": tool_jwks.url,
        }
    )
    token = Assertions(tool_keys[0], app.extensions["devplatform"].clock).build()

    response = app.test_client().post(ENDPOINT, data=token_form(token))

    assert response.json["expires_in"] == 900


def test_last_client_assertion_is_kept_for_inspection(
    ask: Any, assertions: Any, client: Any, clock: Any
):
    ask(assertions.build(jti="jti-1", iat=clock.now + 0.25))

    last = client.get("/admin/stats").json["last_client_assertion"]

    assert last["header"] == {"alg": "RS256", "typ": "JWT", "kid": "tool-1"}
    assert last["claims"]["jti"] == "jti-1"
    assert last["claims"]["iat"] == clock.now + 0.25
    assert last["claims"]["aud"] == TOKEN_URL
    assert last["claims"]["iss"] == last["claims"]["sub"] == DEFAULT_CLIENT_ID
