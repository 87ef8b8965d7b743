"""The tool's whole log output, access log included, holds no token or secret."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devplatform.settings import DEFAULT_LEARN_APP_SECRET
from tests.htmlforms import launch_token_in
from tests.stack import Stack, begin_launch, start_stack

pytestmark = pytest.mark.integration


@pytest.fixture
def logged_stack(tmp_path: Path) -> Iterator[Stack]:
    stack = start_stack(tmp_path, {"GUNICORN_ACCESS_LOG": "-", "GUNICORN_WORKERS": "2"})
    yield stack
    stack.tool.stop()
    stack.platform.stop()


def api(stack: Stack, path: str, token: str) -> requests.Response:
    return requests.get(
        stack.tool_url + path,
        timeout=30,
        headers={"X-Launch-Token": token, "Accept": "application/json"},
    )


def test_flows_leave_no_secret_in_the_logs(logged_stack: Stack) -> None:
    stack = logged_stack
    stack.admin("fetch-tool-jwks")
    stack.admin("settings", {"skip_consent": True})
    id_tokens = []

    # Launches, the roster (LTI token), Learn course details (2-legged).
    pending = begin_launch(stack, user="instructor")
    id_tokens.append(pending.fields["id_token"])
    token = launch_token_in(pending.send().text)
    assert api(stack, "/api/roster", token).status_code == 200
    assert api(stack, "/api/learn/course", token).status_code == 200

    # The three-legged flow, then a refresh after a revocation.
    assert api(stack, "/api/learn/profile", token).status_code == 401
    authorize = requests.post(
        stack.tool_url + "/learn/authorize",
        timeout=30,
        data={"launch_token": token},
        allow_redirects=False,
    )
    back = requests.get(authorize.headers["Location"], timeout=30)
    assert back.status_code == 200 and "launch_token" in back.text
    assert api(stack, "/api/learn/profile", token).status_code == 200
    stack.admin("revoke-tokens")
    assert api(stack, "/api/learn/profile", token).status_code == 200

    # A refused launch, and a replay, log their reasons.
    pending = begin_launch(stack, user="learner")
    id_tokens.append(pending.fields["id_token"])
    assert pending.send().status_code == 200
    assert pending.send().status_code == 400

    log = stack.tool.output()
    secrets = requests.get(
        stack.platform_url + "/admin/issued-secrets", timeout=5
    ).json()
    assert secrets["all"], "the platform issued nothing?"
    for value in [*secrets["all"], *id_tokens, token, DEFAULT_LEARN_APP_SECRET]:
        assert value not in log
    assert "eyJ" not in log  # no JWT, client assertion or launch token at all
    assert "Bearer" not in log and "refresh_token=" not in log
    assert "launch rejected code=launch.nonce_replayed" in log
    assert '"GET /api/roster HTTP/1.1" 200' in log  # the access log was on
    for event in (
        "fetched LTI access token",
        "fetched Learn application token",
        "Learn authorization complete",
        "refreshed Learn user token",
    ):
        assert event in log  # the flows really ran
