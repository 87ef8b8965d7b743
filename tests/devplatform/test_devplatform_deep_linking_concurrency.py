"""Deep-linking responses posted all at once to a real threaded platform server.

Placed ids and line items must stay distinct, and a response must be
accepted once however many copies arrive together.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
from werkzeug.serving import make_server

from devplatform import create_app
from tests.devplatform.dlside import DL_SETTINGS, DeepLinkResponses, quiz_item
from tests.devplatform.toolside import ToolKey, ToolKeyServer, free_port

RESPONSES = 50
TIMEOUT = 30


@pytest.fixture
def base_url(data_dir: Path, tool_jwks: ToolKeyServer) -> Iterator[str]:
    """Run the platform on a threaded werkzeug server and return its URL."""
    port = free_port()
    app = create_app(
        {
            "DEVPLATFORM_DATA_DIR": str(data_dir),
            "DEVPLATFORM_TOOL_JWKS_URL": tool_jwks.url,
        }
    )
    server = make_server("127.0.0.1", port, app, threaded=True)
    server.socket.listen(RESPONSES)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(TIMEOUT)
    server.server_close()


@pytest.fixture
def live_responses(tool_keys: list[ToolKey]) -> DeepLinkResponses:
    """Return a response builder on the wall clock, for the live server."""
    return DeepLinkResponses(tool_keys[0], lambda: int(time.time()))


def _new_data(base_url: str, forms_of: Callable[[str], list[Any]]) -> str:
    """Walk a deep-linking launch over HTTP and return the request's data."""
    start = requests.get(
        f"{base_url}/launch/start",
        params={"user": "instructor", "deep_link": "1"},
        timeout=TIMEOUT,
    )
    (login,) = forms_of(start.text)
    auth = requests.post(
        f"{base_url}/api/v1/gateway/oidcauth",
        data={
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": login.fields["client_id"],
            "redirect_uri": "http://127.0.0.1:5000/lti/launch",
            "login_hint": login.fields["login_hint"],
            "lti_message_hint": login.fields["lti_message_hint"],
            "state": "s",
            "nonce": "n",
        },
        timeout=TIMEOUT,
    )
    (launch,) = forms_of(auth.text)
    claims = jwt.decode(launch.fields["id_token"], options={"verify_signature": False})
    data: str = claims[DL_SETTINGS]["data"]
    return data


def _together(send: Callable[[int], requests.Response]) -> list[requests.Response]:
    """Run ``send`` RESPONSES times, all threads released at once."""
    barrier = threading.Barrier(RESPONSES)

    def run(index: int) -> requests.Response:
        barrier.wait(TIMEOUT)
        return send(index)

    with ThreadPoolExecutor(max_workers=RESPONSES) as pool:
        return list(pool.map(run, range(RESPONSES)))


def _post(base_url: str, token: str) -> requests.Response:
    return requests.post(
        f"{base_url}/deep-linking/return", data={"JWT": token}, timeout=TIMEOUT
    )


def test_concurrent_responses_get_distinct_links_and_columns(
    base_url: str, live_responses: DeepLinkResponses, forms_of: Any
):
    tokens = [
        live_responses.build(_new_data(base_url, forms_of), [quiz_item()])
        for _ in range(RESPONSES)
    ]

    answers = _together(lambda i: _post(base_url, tokens[i]))

    assert [r.status_code for r in answers] == [200] * RESPONSES
    links = requests.get(f"{base_url}/admin/content", timeout=5).json()["links"]
    placed = [link for link in links if link["placed"]]
    expected = {f"_{19001 + i}_1" for i in range(RESPONSES)}
    assert {link["id"] for link in placed} == expected
    assert len({link["line_item"] for link in placed}) == RESPONSES
    items = requests.get(f"{base_url}/admin/gradebook", timeout=5).json()
    owners = {item.get("resourceLinkId") for item in items["line_items"]}
    assert expected <= owners


def test_a_response_posted_many_times_at_once_is_accepted_once(
    base_url: str, live_responses: DeepLinkResponses, forms_of: Any
):
    token = live_responses.build(_new_data(base_url, forms_of), [quiz_item()])

    answers = _together(lambda _: _post(base_url, token))

    assert Counter(r.status_code for r in answers) == {200: 1, 400: RESPONSES - 1}
    links = requests.get(f"{base_url}/admin/content", timeout=5).json()["links"]
    assert [link["id"] for link in links if link["placed"]] == ["_19001_1"]
    stats = requests.get(f"{base_url}/admin/stats", timeout=5).json()
    assert stats["deep_linking_errors"] == RESPONSES - 1
