"""Helpers that walk a launch through the tool's own endpoints."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient

from tests.platform import CLIENT_ID, DEPLOYMENT_ID, ISSUER, TOOL_URL


@dataclass
class Login:
    """What the tool sent to the platform's authentication endpoint."""

    state: str
    nonce: str
    params: dict[str, str]
    location: str


def login(client: FlaskClient, method: str = "POST", **overrides: str) -> Login:
    """Start a login at the tool; return the authentication request it made."""
    params = {
        "iss": ISSUER,
        "login_hint": "user-1",
        "target_link_uri": f"{TOOL_URL}/lti/launch",
        "lti_message_hint": "hint-1",
        "client_id": CLIENT_ID,
        "lti_deployment_id": DEPLOYMENT_ID,
        **overrides,
    }
    if method == "GET":
        response = client.get("/lti/login", query_string=params)
    else:
        response = client.post("/lti/login", data=params)
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    return Login(query["state"], query["nonce"], query, location)
