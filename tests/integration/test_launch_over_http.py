"""Launches between the real local platform and the tool under gunicorn."""

from __future__ import annotations

import base64
import json
import re
import threading

import pytest
import requests

from tests.stack import PendingLaunch, Stack, begin_launch

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    ("user", "view", "name"),
    [
        ("instructor", "instructor-view", "Ingrid Instructor"),
        ("learner", "learner-view", "Lars Learner"),
    ],
)
def test_launch_from_the_platform(
    stack: Stack, method: str, user: str, view: str, name: str
) -> None:
    response = begin_launch(stack, user=user, method=method).send()

    assert response.status_code == 200, response.text
    assert f"Hello, {name}" in response.text
    assert f'id="{view}"' in response.text


def test_launch_state_is_shared_by_every_worker(stack: Stack) -> None:
    for _ in range(12):
        assert begin_launch(stack).send().status_code == 200

    log = stack.tool.output()
    login_pids = set(re.findall(r"\[(\d+)\] INFO app.lti.oidc: login initiated", log))
    launch_pids = set(
        re.findall(r"\[(\d+)\] INFO app.lti.launch: launch accepted", log)
    )
    assert len(login_pids | launch_pids) > 1, "all requests hit one worker"


def test_replay_to_two_workers_at_once_is_accepted_once(stack: Stack) -> None:
    for _ in range(5):
        pending = begin_launch(stack)
        barrier = threading.Barrier(2)
        statuses: list[int] = []
        bodies: list[str] = []

        def send(
            pending: PendingLaunch,
            barrier: threading.Barrier,
            statuses: list[int],
            bodies: list[str],
        ) -> None:
            barrier.wait()
            response = pending.send(requests.Session())
            statuses.append(response.status_code)
            bodies.append(response.text)

        threads = [
            threading.Thread(target=send, args=(pending, barrier, statuses, bodies))
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert sorted(statuses) == [200, 400], bodies
        assert any("launch.nonce_replayed" in body for body in bodies)


def test_platform_key_rotation_costs_exactly_one_refetch(stack: Stack) -> None:
    assert begin_launch(stack).send().status_code == 200  # key set now cached
    requests.post(
        f"{stack.platform_url}/admin/rotate-key", timeout=5
    ).raise_for_status()
    requests.post(f"{stack.platform_url}/admin/reset-stats", timeout=5)

    first = begin_launch(stack).send()
    second = begin_launch(stack).send()

    assert first.status_code == 200 and second.status_code == 200
    assert stack.platform_stats()["jwks_requests"] == 1


def test_tool_publishes_its_jwks_and_health(stack: Stack) -> None:
    jwks = requests.get(f"{stack.tool_url}/.well-known/jwks.json", timeout=5).json()
    health = requests.get(f"{stack.tool_url}/healthz", timeout=5).json()

    assert jwks["keys"] and all("d" not in key for key in jwks["keys"])
    assert health == {"status": "ok", "cache": True, "signing_key": True}


def test_forged_launch_is_refused_with_a_page(stack: Stack) -> None:
    pending = begin_launch(stack)
    header, payload, signature = pending.fields["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = "Mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    pending.fields["id_token"] = f"{header}.{forged.decode()}.{signature}"

    response = pending.send()

    assert response.status_code == 400
    assert "launch.signature_invalid" in response.text
