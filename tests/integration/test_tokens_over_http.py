"""Token services under gunicorn with 4 workers, against the local platform:
one token request for many concurrent calls, renewal, retries, errors."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.htmlforms import launch_token_in
from tests.redisserver import RedisServer
from tests.stack import Stack, begin_launch, start_stack

pytestmark = pytest.mark.integration

CONCURRENT_CALLS = 200


@pytest.fixture(params=["filesystem", "redis"])
def token_stack(
    request: pytest.FixtureRequest, tmp_path: Path, redis_server: RedisServer
) -> Iterator[Stack]:
    env = {"GUNICORN_WORKERS": "4", "GUNICORN_THREADS": "4"}
    if request.param == "redis":
        redis_server.flush()
        env.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_server.url)
    stack = start_stack(tmp_path, env)
    yield stack
    stack.tool.stop()
    stack.platform.stop()


def instructor_token(stack: Stack) -> str:
    # Like the Developer Portal, the platform reads the tool's key set once
    # when the tool is registered, not in the middle of the first token request.
    stack.admin("fetch-tool-jwks")
    page = begin_launch(stack, user="instructor").send()
    assert page.status_code == 200, page.text
    return launch_token_in(page.text)


def call(stack: Stack, path: str, token: str) -> requests.Response:
    return requests.get(
        stack.tool_url + path,
        headers={"X-Launch-Token": token, "Accept": "application/json"},
        timeout=60,
    )


def call_concurrently(stack: Stack, path: str, token: str) -> list[int]:
    with ThreadPoolExecutor(max_workers=50) as pool:
        futures = [
            pool.submit(call, stack, path, token) for _ in range(CONCURRENT_CALLS)
        ]
        return [future.result().status_code for future in futures]


def test_concurrent_calls_share_one_lti_token(token_stack: Stack) -> None:
    token = instructor_token(token_stack)
    token_stack.admin("reset-stats")

    statuses = call_concurrently(token_stack, "/api/roster", token)

    assert statuses == [200] * CONCURRENT_CALLS
    stats = token_stack.platform_stats()
    assert stats["lti_token_requests"] == 1
    assert stats["nrps_requests"] == CONCURRENT_CALLS


def test_concurrent_calls_share_one_learn_token(token_stack: Stack) -> None:
    token = instructor_token(token_stack)
    token_stack.admin("reset-stats")

    statuses = call_concurrently(token_stack, "/api/learn/course", token)

    assert statuses == [200] * CONCURRENT_CALLS
    assert token_stack.platform_stats()["learn_token_requests"] == 1


@pytest.fixture
def stack_fs(tmp_path: Path) -> Iterator[Stack]:
    stack = start_stack(tmp_path, {"GUNICORN_WORKERS": "2"})
    yield stack
    stack.tool.stop()
    stack.platform.stop()


def test_an_expired_token_is_renewed(stack_fs: Stack) -> None:
    stack_fs.admin("settings", {"token_lifetime": 2})
    token = instructor_token(stack_fs)
    stack_fs.admin("reset-stats")

    assert call(stack_fs, "/api/roster", token).status_code == 200
    assert call(stack_fs, "/api/roster", token).status_code == 200
    time.sleep(2.2)
    assert call(stack_fs, "/api/roster", token).status_code == 200

    assert stack_fs.platform_stats()["lti_token_requests"] == 2


def test_a_401_renews_the_token_and_retries_once(stack_fs: Stack) -> None:
    token = instructor_token(stack_fs)
    assert call(stack_fs, "/api/roster", token).status_code == 200
    stack_fs.admin("reset-stats")
    stack_fs.admin("revoke-tokens")

    response = call(stack_fs, "/api/roster", token)

    assert response.status_code == 200
    stats = stack_fs.platform_stats()
    assert stats["lti_token_requests"] == 1 and stats["nrps_requests"] == 2


def test_token_endpoint_failing_twice_then_answering(stack_fs: Stack) -> None:
    token = instructor_token(stack_fs)
    stack_fs.admin("reset-stats")
    stack_fs.admin("faults", {"lti_token": [500, 500]})

    response = call(stack_fs, "/api/roster", token)

    assert response.status_code == 200
    assert stack_fs.platform_stats()["lti_token_requests"] == 3


def test_token_endpoint_always_failing_gives_a_clear_error(stack_fs: Stack) -> None:
    token = instructor_token(stack_fs)
    stack_fs.admin("faults", {"lti_token": [500] * 20})

    as_json = call(stack_fs, "/api/roster", token)
    as_page = requests.get(
        stack_fs.tool_url + "/api/roster",
        headers={"X-Launch-Token": token, "Accept": "text/html"},
        timeout=60,
    )

    assert as_json.status_code == 502
    assert as_json.json()["error"] == "service.token_request_failed"
    assert as_page.status_code == 502 and "service.token_request_failed" in as_page.text


def test_learn_application_not_registered(stack_fs: Stack) -> None:
    token = instructor_token(stack_fs)
    stack_fs.admin("settings", {"learn_app_registered": False})

    response = call(stack_fs, "/api/learn/course", token)

    assert response.status_code == 502
    assert response.json()["error"] == "service.learn_not_registered"
    assert "REST API Integration" in response.json()["hint"]


def test_learners_may_not_read_the_roster(stack_fs: Stack) -> None:
    page = begin_launch(stack_fs, user="learner").send()

    response = call(stack_fs, "/api/roster", launch_token_in(page.text))

    assert response.status_code == 403
    assert response.json()["error"] == "session.forbidden"
