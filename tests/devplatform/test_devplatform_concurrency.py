"""200 concurrent requests against a real threaded platform server.

The counters, the one-per-application Learn token, the jti registry, the
shared JWKS fetch, the rate budget and the gradebook must all hold up under
threads.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server

from devplatform import DEFAULT_LEARN_APP_KEY, DEFAULT_LEARN_APP_SECRET, create_app
from tests.devplatform.agsside import (
    LINEITEM_TYPE,
    LINEITEMS,
    QUIZ,
    SCORE_TYPE,
    headers,
    score,
    stamp,
)
from tests.devplatform.toolside import (
    Assertions,
    ToolKey,
    ToolKeyServer,
    basic_auth,
    bearer,
    free_port,
    token_form,
)

REQUESTS = 200
TIMEOUT = 30
NRPS = "/learn/api/v1/lti/external/namesandroles/_122_1?placement_id=_553_1"


@pytest.fixture
def base_url(data_dir: Path, tool_jwks: ToolKeyServer) -> Iterator[str]:
    """Run the platform on a threaded werkzeug server and return its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(
        {
            "DEVPLATFORM_DATA_DIR": str(data_dir),
            "DEVPLATFORM_URL": url,
            "DEVPLATFORM_TOOL_JWKS_URL": tool_jwks.url,
        }
    )
    server = make_server("127.0.0.1", port, app, threaded=True)
    server.socket.listen(REQUESTS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(TIMEOUT)
    server.server_close()


@pytest.fixture
def live_assertions(tool_keys: list[ToolKey], base_url: str) -> Assertions:
    """Return an assertion builder on the wall clock, for the live server."""
    builder = Assertions(tool_keys[0], lambda: int(time.time()))
    builder.audience = f"{base_url}/api/v1/gateway/oauth2/jwttoken"
    return builder


def _together(send: Callable[[int], requests.Response]) -> list[requests.Response]:
    """Run ``send`` REQUESTS times, all threads released at once."""
    barrier = threading.Barrier(REQUESTS)

    def run(index: int) -> requests.Response:
        barrier.wait(TIMEOUT)
        return send(index)

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        return list(pool.map(run, range(REQUESTS)))


def _stats(base_url: str) -> dict[str, Any]:
    stats: dict[str, Any] = requests.get(f"{base_url}/admin/stats", timeout=5).json()
    return stats


def _learn_token(base_url: str) -> requests.Response:
    return requests.post(
        f"{base_url}/learn/api/public/v1/oauth2/token",
        data={"grant_type": "client_credentials"},
        headers=basic_auth(DEFAULT_LEARN_APP_KEY, DEFAULT_LEARN_APP_SECRET),
        timeout=TIMEOUT,
    )


def test_one_learn_token_for_the_application(base_url: str):
    answers = _together(lambda _: _learn_token(base_url))

    assert [r.status_code for r in answers] == [200] * REQUESTS
    assert len({r.json()["access_token"] for r in answers}) == 1
    stats = _stats(base_url)
    assert stats["learn_token_requests"] == REQUESTS
    assert stats["learn_tokens_by_grant"] == {"client_credentials": REQUESTS}


def test_distinct_assertions_share_one_jwks_fetch(
    base_url: str, live_assertions: Assertions, tool_jwks: ToolKeyServer
):
    tokens = [live_assertions.build() for _ in range(REQUESTS)]
    url = f"{base_url}/api/v1/gateway/oauth2/jwttoken"

    answers = _together(
        lambda i: requests.post(url, data=token_form(tokens[i]), timeout=TIMEOUT)
    )

    assert [r.status_code for r in answers] == [200] * REQUESTS
    assert len({r.json()["access_token"] for r in answers}) == REQUESTS
    stats = _stats(base_url)
    assert stats["lti_tokens_issued"] == REQUESTS
    assert stats["tool_jwks_fetches"] == 1
    assert tool_jwks.hits == 1


def test_a_replayed_assertion_wins_once(base_url: str, live_assertions: Assertions):
    token = live_assertions.build()
    url = f"{base_url}/api/v1/gateway/oauth2/jwttoken"

    answers = _together(
        lambda _: requests.post(url, data=token_form(token), timeout=TIMEOUT)
    )

    assert Counter(r.status_code for r in answers) == {200: 1, 400: REQUESTS - 1}
    stats = _stats(base_url)
    assert stats["jtis_rejected"] == REQUESTS - 1
    assert stats["lti_token_requests"] == REQUESTS


def test_rate_budget_is_spent_exactly_once_per_call(base_url: str):
    token = _learn_token(base_url).json()["access_token"]
    url = f"{base_url}/learn/api/public/v1/users/_57_1"

    answers = _together(
        lambda _: requests.get(url, headers=bearer(token), timeout=TIMEOUT)
    )

    assert [r.status_code for r in answers] == [200] * REQUESTS
    remaining = sorted(int(r.headers["X-Rate-Limit-Remaining"]) for r in answers)
    assert remaining == list(range(10000 - REQUESTS, 10000))
    assert _stats(base_url)["rest_requests"] == REQUESTS


def test_nrps_calls_are_all_counted(base_url: str, live_assertions: Assertions):
    response = requests.post(
        f"{base_url}/api/v1/gateway/oauth2/jwttoken",
        data=token_form(live_assertions.build()),
        timeout=TIMEOUT,
    )
    token = response.json()["access_token"]

    answers = _together(
        lambda _: requests.get(base_url + NRPS, headers=bearer(token), timeout=TIMEOUT)
    )

    assert [r.status_code for r in answers] == [200] * REQUESTS
    assert _stats(base_url)["nrps_requests"] == REQUESTS


def _lti_token(base_url: str, assertions: Assertions) -> str:
    """Return an LTI access token with every scope from the live server."""
    response = requests.post(
        f"{base_url}/api/v1/gateway/oauth2/jwttoken",
        data=token_form(assertions.build()),
        timeout=TIMEOUT,
    )
    token: str = response.json()["access_token"]
    return token


def test_concurrent_scores_keep_the_latest_timestamp(
    base_url: str, live_assertions: Assertions
):
    token = _lti_token(base_url, live_assertions)
    url = f"{base_url}{QUIZ}/scores"
    # Every thread posts a different timestamp; the last released is not
    # necessarily the latest.
    order = list(range(REQUESTS))
    random.Random(7).shuffle(order)

    answers = _together(
        lambda i: requests.post(
            url,
            data=json.dumps(score(at=order[i], given=order[i] % 31)),
            headers=headers(token, Content_Type=SCORE_TYPE),
            timeout=TIMEOUT,
        )
    )

    assert [r.status_code for r in answers] == [200] * REQUESTS
    gradebook = requests.get(f"{base_url}/admin/gradebook", timeout=5).json()
    (stored,) = gradebook["scores"]
    assert stored["timestamp"] == stamp(REQUESTS - 1)
    assert stored["score_given"] == (REQUESTS - 1) % 31
    assert _stats(base_url)["ags_requests"] == REQUESTS


def test_concurrent_line_items_get_distinct_ids(
    base_url: str, live_assertions: Assertions
):
    token = _lti_token(base_url, live_assertions)

    answers = _together(
        lambda i: requests.post(
            f"{base_url}{LINEITEMS}",
            data=json.dumps({"label": f"Item {i}", "scoreMaximum": 10}),
            headers=headers(token, Content_Type=LINEITEM_TYPE),
            timeout=TIMEOUT,
        )
    )

    assert [r.status_code for r in answers] == [201] * REQUESTS
    assert len({r.json()["id"] for r in answers}) == REQUESTS


def test_requests_follows_nrps_and_lineitem_links(
    base_url: str, live_assertions: Assertions
):
    token = _lti_token(base_url, live_assertions)
    members: list[dict[str, Any]] = []
    url: str | None = base_url + NRPS

    while url is not None:
        response = requests.get(url, headers=bearer(token), timeout=TIMEOUT)
        members += response.json()["members"]
        assert "differences" in response.links
        url = response.links.get("next", {}).get("url")

    listing = requests.get(
        f"{base_url}{LINEITEMS}?limit=1", headers=bearer(token), timeout=TIMEOUT
    )
    assert len(members) == 5
    assert listing.links["next"]["url"] == f"{base_url}{LINEITEMS}?limit=1&offset=1"
