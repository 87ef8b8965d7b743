"""A whole launch over real HTTP against a running platform server."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
from werkzeug.serving import make_server

from devplatform import DEFAULT_CLIENT_ID, create_app

TIMEOUT = 5


def _free_port() -> int:
    """Return a port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def base_url(data_dir: Path) -> Iterator[str]:
    """Run the platform in a background thread and return its URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app({"DEVPLATFORM_DATA_DIR": str(data_dir), "DEVPLATFORM_URL": url})
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(TIMEOUT)
    server.server_close()


def test_launch_over_http(base_url: str, forms_of: Any):
    with requests.Session() as http:
        course = http.get(f"{base_url}/launch?user=ta&link=_18939_1", timeout=TIMEOUT)
        assert course.status_code == 200

        start = http.get(
            f"{base_url}/launch/start",
            params={"user": "ta", "link": "_18939_1", "method": "GET"},
            timeout=TIMEOUT,
        )
        (login,) = forms_of(start.text)

        # What a tool does at its login URL: answer with an auth request.
        auth = http.post(
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

        jwks_url = (
            f"{base_url}/api/v1/management/applications/{DEFAULT_CLIENT_ID}/jwks.json"
        )
        signing_key = jwt.PyJWKClient(jwks_url).get_signing_key_from_jwt(
            launch.fields["id_token"]
        )
        claims = jwt.decode(
            launch.fields["id_token"],
            signing_key.key,
            algorithms=["RS256"],
            audience=DEFAULT_CLIENT_ID,
        )
        stats = http.get(f"{base_url}/admin/stats", timeout=TIMEOUT).json()

    assert claims["sub"] == "4b55b4803f3f4c4f97009d489756eeea"
    assert claims["https://purl.imsglobal.org/spec/lti/claim/tool_platform"]["url"] == (
        base_url + "/"
    )
    assert stats["jwks_requests"] == 1
    assert stats["id_tokens_issued"] == 1
