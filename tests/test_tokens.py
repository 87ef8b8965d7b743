"""The token service: LTI client-credentials tokens, caching, retries, 401s."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from flask import Flask

from app.errors import (
    ScopeNotGrantedError,
    ServiceError,
    ServiceUnavailableError,
    TokenRequestError,
)
from app.extensions import cache
from app.keys import get_tool_keys
from app.registry import Registration
from app.services.calls import send_with_token
from app.services.lti_token import ASSERTION_TYPE, LtiTokenSource
from app.services.responses import json_body
from tests.fakeserver import FakeServer, Reply

TOKEN_PATH = "/token"
SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = FakeServer()
    yield fake
    fake.stop()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    app.config["SERVICE_MAX_BACKOFF"] = 0.05
    with app.test_request_context():
        get_tool_keys().generate()
        yield app


def registration(server: FakeServer, audience: str | None = None) -> Registration:
    return Registration(
        issuer="https://blackboard.com",
        client_id="client-1",
        auth_login_url=server.url + "/auth",
        auth_token_url=server.url + TOKEN_PATH,
        key_set_url=server.url + "/jwks",
        deployment_ids=("d",),
        auth_audience=audience,
    )


def token_reply(token: str = "tok-1", expires_in: int = 3600, **extra: Any) -> Reply:
    body = {"access_token": token, "token_type": "bearer", "expires_in": expires_in}
    return Reply(body={**body, **extra})


def test_client_assertion_field_by_field(ctx: Flask, server: FakeServer) -> None:
    server.set(TOKEN_PATH, token_reply(scope=f"{NRPS} {SCORE}"))

    LtiTokenSource(registration(server), frozenset({SCORE, NRPS})).get()

    form = server.hits(TOKEN_PATH)[0].form
    assert form["grant_type"] == "client_credentials"
    assert form["client_assertion_type"] == ASSERTION_TYPE
    assert form["scope"] == f"{SCORE} {NRPS}"  # sorted, only what was asked

    assertion = form["client_assertion"]
    header = jwt.get_unverified_header(assertion)
    key = get_tool_keys().current()
    assert header == {"alg": "RS256", "typ": "JWT", "kid": key.kid}
    claims = jwt.decode(
        assertion,
        key.private_key.public_key(),
        algorithms=["RS256"],
        audience=server.url + TOKEN_PATH,
    )
    assert claims["iss"] == claims["sub"] == "client-1"
    assert claims["aud"] == server.url + TOKEN_PATH
    assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int)
    assert 0 < claims["exp"] - claims["iat"] <= 300
    assert abs(claims["iat"] - time.time()) < 5
    assert len(claims["jti"]) >= 16


def test_assertion_audience_from_the_registration(
    ctx: Flask, server: FakeServer
) -> None:
    server.set(TOKEN_PATH, token_reply())

    source = LtiTokenSource(
        registration(server, audience="https://aud.example"), frozenset({SCORE})
    )
    source.get()

    assertion = server.hits(TOKEN_PATH)[0].form["client_assertion"]
    assert jwt.decode(assertion, options={"verify_signature": False})["aud"] == (
        "https://aud.example"
    )


def test_every_assertion_has_a_new_jti(ctx: Flask, server: FakeServer) -> None:
    server.set(TOKEN_PATH, token_reply())
    for scopes in ({SCORE}, {NRPS}):
        LtiTokenSource(registration(server), frozenset(scopes)).get()

    jtis = {
        jwt.decode(r.form["client_assertion"], options={"verify_signature": False})[
            "jti"
        ]
        for r in server.hits(TOKEN_PATH)
    }
    assert len(jtis) == 2


def test_token_is_cached_and_sealed(ctx: Flask, server: FakeServer) -> None:
    server.set(TOKEN_PATH, token_reply("secret-token-value"))
    source = LtiTokenSource(registration(server), frozenset({SCORE}))

    first, second = source.get(), source.get()

    assert first.access_token == second.access_token == "secret-token-value"
    assert len(server.hits(TOKEN_PATH)) == 1
    raw = cache.get(source.key)
    assert isinstance(raw, bytes) and b"secret-token-value" not in raw
    assert "client-1" not in source.key and SCORE not in source.key


def test_token_lifetime_comes_from_expires_in(ctx: Flask, server: FakeServer) -> None:
    server.set(TOKEN_PATH, token_reply(expires_in=2))
    source = LtiTokenSource(registration(server), frozenset({SCORE}))

    source.get()
    time.sleep(2.1)
    source.get()

    assert len(server.hits(TOKEN_PATH)) == 2


def test_expiry_margin_is_taken_off_long_lifetimes(
    ctx: Flask, server: FakeServer
) -> None:
    server.set(TOKEN_PATH, token_reply(expires_in=3444))

    token = LtiTokenSource(registration(server), frozenset({SCORE})).get()

    assert 3444 - 60 - 2 < token.expires_at - time.time() <= 3444 - 60


def test_server_errors_are_retried(ctx: Flask, server: FakeServer) -> None:
    server.queue(TOKEN_PATH, Reply(500, "oops"), Reply(500, "oops"))
    server.set(TOKEN_PATH, token_reply())

    token = LtiTokenSource(registration(server), frozenset({SCORE})).get()

    assert token.access_token == "tok-1"
    assert len(server.hits(TOKEN_PATH)) == 3


def test_retry_after_is_honoured(ctx: Flask, server: FakeServer) -> None:
    ctx.config["SERVICE_MAX_BACKOFF"] = 5
    server.queue(TOKEN_PATH, Reply(429, {"error": "slow down"}, {"Retry-After": "1"}))
    server.set(TOKEN_PATH, token_reply())

    started = time.monotonic()
    LtiTokenSource(registration(server), frozenset({SCORE})).get()

    assert 0.9 < time.monotonic() - started < 4


def test_a_token_endpoint_that_always_fails(ctx: Flask, server: FakeServer) -> None:
    server.set(TOKEN_PATH, Reply(500, {"error": "server_error"}))

    with pytest.raises(TokenRequestError) as caught:
        LtiTokenSource(registration(server), frozenset({SCORE})).get()

    assert caught.value.upstream_status == 500
    assert len(server.hits(TOKEN_PATH)) == 3  # bounded


def test_a_refusal_is_not_retried(ctx: Flask, server: FakeServer) -> None:
    server.set(
        TOKEN_PATH,
        Reply(400, {"error": "invalid_grant", "error_description": "No grant type"}),
    )

    with pytest.raises(TokenRequestError, match="invalid_grant: No grant type"):
        LtiTokenSource(registration(server), frozenset({SCORE})).get()
    assert len(server.hits(TOKEN_PATH)) == 1


def test_unreachable_token_endpoint(ctx: Flask) -> None:
    dead = Registration(
        "https://x",
        "c",
        "http://127.0.0.1:9/a",
        "http://127.0.0.1:9/token",
        "http://127.0.0.1:9/k",
    )

    with pytest.raises(TokenRequestError, match="unreachable"):
        LtiTokenSource(dead, frozenset({SCORE})).get()


def test_granted_scopes_are_checked_before_use(ctx: Flask, server: FakeServer) -> None:
    server.set(TOKEN_PATH, token_reply(scope=SCORE))
    source = LtiTokenSource(registration(server), frozenset({SCORE, NRPS}))

    assert source.require(SCORE).access_token == "tok-1"
    with pytest.raises(ScopeNotGrantedError):
        source.require(NRPS)


def test_a_401_renews_the_token_and_retries_once(
    ctx: Flask, server: FakeServer
) -> None:
    server.queue(TOKEN_PATH, token_reply("old"), token_reply("new"))
    server.queue("/service", Reply(401, {"error": "expired"}))
    server.set("/service", Reply(200, {"ok": True}))
    source = LtiTokenSource(registration(server), frozenset({SCORE}))

    response = send_with_token("GET", server.url + "/service", source)

    assert response.status_code == 200
    calls = server.hits("/service")
    assert [c.headers["Authorization"] for c in calls] == ["Bearer old", "Bearer new"]
    assert source.get().access_token == "new"


def test_a_second_401_is_not_retried(ctx: Flask, server: FakeServer) -> None:
    server.set(TOKEN_PATH, token_reply())
    server.set("/service", Reply(401, {"error": "no"}))
    source = LtiTokenSource(registration(server), frozenset({SCORE}))

    response = send_with_token("GET", server.url + "/service", source)

    assert response.status_code == 401 and len(server.hits("/service")) == 2
    with pytest.raises(ServiceError):
        json_body(response, "test")


def test_bearer_is_capitalised_whatever_token_type_says(
    ctx: Flask, server: FakeServer
) -> None:
    server.set(TOKEN_PATH, token_reply(token_type="BEARER-ish"))
    server.set("/service", Reply(200, {}))

    send_with_token(
        "GET",
        server.url + "/service",
        LtiTokenSource(registration(server), frozenset({SCORE})),
    )

    assert server.hits("/service")[0].headers["Authorization"] == "Bearer tok-1"


def test_429_and_503_are_retried_with_a_bound(ctx: Flask, server: FakeServer) -> None:
    server.set(TOKEN_PATH, token_reply())
    server.queue("/service", Reply(503, {}, {"Retry-After": "0"}), Reply(429, {}))
    server.set("/service", Reply(200, {"ok": True}))
    source = LtiTokenSource(registration(server), frozenset({SCORE}))

    assert send_with_token("GET", server.url + "/service", source).status_code == 200

    server.queues.clear()
    server.set("/service", Reply(503, {}))
    with pytest.raises(ServiceUnavailableError):
        send_with_token("GET", server.url + "/service", source)
