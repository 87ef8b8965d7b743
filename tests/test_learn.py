"""Learn REST: application and user tokens, the 3-legged flow, the client."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import errors
from app.extensions import cache
from app.lti.claims import ONE_TIME_SESSION_TOKEN, TOOL_PLATFORM, Launch
from app.lti.session import issue_launch_token
from app.services.learn_auth import (
    LearnAppTokenSource,
    learn_host,
    one_time_session_token,
)
from app.services.learn_oauth import user_token_source
from app.services.learn_rest import LearnClient
from app.services.tokens import AccessToken
from tests.fakeserver import FakeServer, Reply

TOKEN_PATH = "/learn/api/public/v1/oauth2/token"
USER = "f9f17be4844f460ebfde9e407c4d1e01"


@pytest.fixture
def learn() -> Iterator[FakeServer]:
    fake = FakeServer()
    yield fake
    fake.stop()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    app.config.update(
        LEARN_APP_KEY="app-key", LEARN_APP_SECRET="app-secret", SERVICE_MAX_BACKOFF=0.05
    )
    with app.test_request_context():
        yield app


def make_launch(learn_url: str, **claims: object) -> Launch:
    return Launch(
        launch_id="launch-1",
        issuer="https://blackboard.com",
        client_id="test-client-0001",
        deployment_id="test-deployment-0001",
        claims={
            "sub": USER,
            TOOL_PLATFORM: {
                "url": learn_url + "/",
                "product_family_code": "BlackboardLearn",
            },
            "https://purl.imsglobal.org/spec/lti/claim/context": {"id": "c0ffee"},
            **claims,
        },
    )


def test_learn_host_comes_from_tool_platform(ctx: Flask) -> None:
    assert learn_host(make_launch("http://127.0.0.1:8123")) == "http://127.0.0.1:8123"


@pytest.mark.parametrize(
    "tool_platform",
    [
        {"url": "https://school.example/", "product_family_code": "moodle"},
        {"url": "http://school.example/", "product_family_code": "BlackboardLearn"},
        {"product_family_code": "BlackboardLearn"},
    ],
)
def test_learn_host_refuses_what_would_leak_the_secret(
    ctx: Flask, tool_platform: dict[str, str]
) -> None:
    launch = make_launch("http://x", **{TOOL_PLATFORM: tool_platform})
    with pytest.raises(errors.ServiceNotOfferedError):
        learn_host(launch)


def test_one_time_session_token_is_mended_when_learn_left_out_the_user(
    ctx: Flask,
) -> None:
    whole = make_launch("http://x", **{ONE_TIME_SESSION_TOKEN: f"abc,{USER}"})
    bare = make_launch("http://x", **{ONE_TIME_SESSION_TOKEN: "abc"})

    assert one_time_session_token(whole) == f"abc,{USER}"
    assert one_time_session_token(bare) == f"abc,{USER}"
    assert one_time_session_token(make_launch("http://x")) is None


def test_application_token_uses_basic_auth_and_is_cached(
    ctx: Flask, learn: FakeServer
) -> None:
    learn.set(
        TOKEN_PATH,
        Reply(body={"access_token": "t2", "token_type": "bearer", "expires_in": 3444}),
    )
    source = LearnAppTokenSource(learn.url)

    assert source.get().access_token == source.get().access_token == "t2"

    (request,) = learn.hits(TOKEN_PATH)
    expected = base64.b64encode(b"app-key:app-secret").decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert request.form["grant_type"] == "client_credentials"


def test_application_not_registered_with_the_site(
    ctx: Flask, learn: FakeServer
) -> None:
    learn.set(
        TOKEN_PATH,
        Reply(
            400,
            {
                "error": "invalid_request",
                "error_description": "Application app-key not registered with site x",
            },
        ),
    )

    with pytest.raises(errors.LearnNotRegisteredError):
        LearnAppTokenSource(learn.url).get()


def test_learn_not_configured(app: Flask) -> None:
    with app.test_request_context(), pytest.raises(errors.LearnNotConfiguredError):
        LearnAppTokenSource("http://127.0.0.1:1")


def test_client_follows_paging_and_watches_the_rate_limit(
    ctx: Flask, learn: FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    learn.set(TOKEN_PATH, Reply(body={"access_token": "t", "expires_in": 3600}))
    learn.queue(
        "/learn/api/public/v1/courses/_1_1/users",
        Reply(
            body={
                "results": [1, 2],
                "paging": {
                    "nextPage": "/learn/api/public/v1/courses/_1_1/users?offset=2"
                },
            },
            headers={"X-Rate-Limit-Remaining": "9000", "X-Rate-Limit-Limit": "10000"},
        ),
        Reply(body={"results": [3]}, headers={"X-Rate-Limit-Remaining": "12"}),
    )

    client = LearnClient(learn.url, LearnAppTokenSource(learn.url))
    results = client.get_all("/learn/api/public/v1/courses/_1_1/users")

    assert results == [1, 2, 3]
    assert learn.hits("/learn/api/public/v1/courses/_1_1/users")[1].query == {
        "offset": "2"
    }
    assert "Learn REST budget low" in caplog.text and "remaining=12" in caplog.text


def test_client_refuses_a_next_page_on_another_host(
    ctx: Flask, learn: FakeServer
) -> None:
    learn.set(TOKEN_PATH, Reply(body={"access_token": "t", "expires_in": 3600}))
    learn.set(
        "/learn/api/public/v1/things",
        Reply(
            body={"results": [], "paging": {"nextPage": "https://evil.example/steal"}}
        ),
    )

    with pytest.raises(errors.ForeignHostError):
        LearnClient(learn.url, LearnAppTokenSource(learn.url)).get_all(
            "/learn/api/public/v1/things"
        )


def test_learn_errors_become_service_errors_with_extra_info_logged(
    ctx: Flask, learn: FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    learn.set(TOKEN_PATH, Reply(body={"access_token": "t", "expires_in": 3600}))
    learn.set(
        "/learn/api/public/v1/users/x",
        Reply(
            404,
            {"status": 404, "message": "Could not find user", "extraInfo": "trace-42"},
        ),
    )

    with pytest.raises(errors.ServiceError) as caught:
        LearnClient(learn.url, LearnAppTokenSource(learn.url)).get(
            "/learn/api/public/v1/users/x"
        )

    assert caught.value.upstream_status == 404
    assert "extraInfo=trace-42" in caplog.text


def test_user_token_is_refreshed_after_expiry(ctx: Flask, learn: FakeServer) -> None:
    source = user_token_source(learn.url, USER)
    source.store(AccessToken("old", time.time() - 1, refresh_token="r1"))
    learn.set(
        TOKEN_PATH,
        Reply(body={"access_token": "new", "expires_in": 3600, "refresh_token": "r2"}),
    )

    token = source.get()

    assert token.access_token == "new" and token.refresh_token == "r2"
    (request,) = learn.hits(TOKEN_PATH)
    assert request.query["refresh_token"] == "r1"
    assert request.query["redirect_uri"].endswith("/learn/callback")
    assert request.form["grant_type"] == "refresh_token"


def test_failed_refresh_asks_the_user_again(ctx: Flask, learn: FakeServer) -> None:
    source = user_token_source(learn.url, USER)
    source.store(AccessToken("old", time.time() - 1, refresh_token="r1"))
    learn.set(TOKEN_PATH, Reply(400, {"error": "invalid_grant"}))

    with pytest.raises(errors.LearnAuthorizationRequiredError):
        source.get()
    with pytest.raises(errors.LearnAuthorizationRequiredError):
        source.get()
    assert len(learn.hits(TOKEN_PATH)) == 1  # the dead refresh token is dropped


def test_no_user_token_means_authorization_required(
    ctx: Flask, learn: FakeServer
) -> None:
    with pytest.raises(errors.LearnAuthorizationRequiredError):
        user_token_source(learn.url, USER).get()


def test_three_legged_flow(app: Flask, learn: FakeServer) -> None:
    app.config.update(LEARN_APP_KEY="app-key", LEARN_APP_SECRET="app-secret")
    client = app.test_client()
    launch = make_launch(learn.url, **{ONE_TIME_SESSION_TOKEN: "ots"})
    with app.test_request_context():
        cache.set("lti:launch:launch-1", launch.to_json(), timeout=600)
        token = issue_launch_token(launch)

    authorize = client.post("/learn/authorize", data={"launch_token": token})

    assert authorize.status_code == 302
    location = urlsplit(authorize.headers["Location"])
    assert location.path == "/learn/api/public/v1/oauth2/authorizationcode"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["response_type"] == "code" and query["client_id"] == "app-key"
    assert query["redirect_uri"] == "http://127.0.0.1:5000/learn/callback"
    assert query["scope"] == "read offline"
    assert query["one_time_session_token"] == f"ots,{USER}"
    assert query["code_challenge_method"] == "S256"

    learn.set(
        TOKEN_PATH,
        Reply(
            body={
                "access_token": "user-token",
                "expires_in": 3600,
                "refresh_token": "r",
                "user_id": USER,
                "scope": "read offline",
            }
        ),
    )
    callback = client.get(f"/learn/callback?code=c-1&state={query['state']}")

    assert callback.status_code == 200 and "data-auto-submit" in callback.text
    (exchange,) = learn.hits(TOKEN_PATH)
    assert exchange.query == {"code": "c-1", "redirect_uri": query["redirect_uri"]}
    assert exchange.form["grant_type"] == "authorization_code"
    verifier = exchange.form["code_verifier"]
    digest = hashlib.sha256(verifier.encode()).digest()
    assert (
        base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        == (query["code_challenge"])
    )
    with app.test_request_context():
        assert user_token_source(learn.url, USER).get().access_token == "user-token"

    replay = client.get(f"/learn/callback?code=c-1&state={query['state']}")
    assert replay.status_code == 400
    assert "service.learn_authorization_failed" in replay.text


def start_authorization(app: Flask, learn: FakeServer) -> tuple[FlaskClient, str]:
    """Store a launch, POST /learn/authorize, and return the state sent to Learn."""
    app.config.update(LEARN_APP_KEY="k", LEARN_APP_SECRET="s")
    client = app.test_client()
    launch = make_launch(learn.url)
    with app.test_request_context():
        cache.set("lti:launch:launch-1", launch.to_json(), timeout=600)
        token = issue_launch_token(launch)
    location = client.post("/learn/authorize", data={"launch_token": token}).headers[
        "Location"
    ]
    return client, parse_qs(urlsplit(location).query)["state"][0]


def test_callback_refuses_a_token_for_another_user(
    app: Flask, learn: FakeServer
) -> None:
    client, state = start_authorization(app, learn)
    learn.set(
        TOKEN_PATH,
        Reply(body={"access_token": "x", "expires_in": 60, "user_id": "someone-else"}),
    )

    response = client.get(f"/learn/callback?code=c&state={state}")

    assert response.status_code == 400


def test_declined_authorization_offers_the_way_back(
    app: Flask, learn: FakeServer
) -> None:
    client, state = start_authorization(app, learn)

    response = client.get(f"/learn/callback?error=access_denied&state={state}")

    assert response.status_code == 200
    assert "access_denied" in response.text and "data-auto-submit" not in response.text


def test_callback_refuses_a_token_that_names_no_user(
    app: Flask, learn: FakeServer
) -> None:
    client, state = start_authorization(app, learn)
    learn.set(TOKEN_PATH, Reply(body={"access_token": "x", "expires_in": 60}))

    response = client.get(f"/learn/callback?code=c&state={state}")

    assert response.status_code == 400 and "did not say which user" in response.text


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("/tool", "/tool"),
        ("//evil.example", "/tool"),
        ("/\\evil.example", "/tool"),
        ("https://evil.example/", "/tool"),
        ("/lti/launch/show", "/lti/launch/show"),
    ],
)
def test_return_path_stays_on_the_tool(asked: str, kept: str) -> None:
    from app.services.learn_oauth import _safe_return_path

    assert _safe_return_path(asked) == kept
