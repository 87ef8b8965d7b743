"""Fixtures for the devplatform tests: a fresh app per test and form helpers."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from devplatform import (
    DEFAULT_CLIENT_ID,
    DEFAULT_LEARN_APP_KEY,
    DEFAULT_LEARN_APP_SECRET,
    create_app,
)
from devplatform.keys import KeyStore
from devplatform.settings import SETTING_NAMES
from devplatform.state import Platform
from tests.devplatform.dlside import DeepLinkResponses
from tests.devplatform.toolside import (
    ALL_SCOPES,
    Assertions,
    ToolKey,
    ToolKeyServer,
    basic_auth,
    token_form,
)

SECRET = "test-secret-not-for-production"
JWKS_PATH = f"/api/v1/management/applications/{DEFAULT_CLIENT_ID}/jwks.json"


@dataclass
class Form:
    """One HTML form: its attributes and hidden fields."""

    attrs: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def action(self) -> str:
        """Return the form's action URL."""
        return self.attrs.get("action", "")

    @property
    def method(self) -> str:
        """Return the form's method in upper case."""
        return self.attrs.get("method", "get").upper()


class _FormParser(HTMLParser):
    """Collect the forms of a page and their input values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = Form(values)
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None:
            self._current.fields[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def parse_forms(html: str) -> list[Form]:
    """Return every form on ``html``."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


class Clock:
    """A settable clock the platform reads instead of the wall clock."""

    def __init__(self) -> None:
        self.now = int(time.time())

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: int) -> None:
        """Move time forward by ``seconds``."""
        self.now += seconds


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep developer environment variables out of the tests."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def key_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generate one RSA key for the session; tests copy it instead of waiting."""
    directory = tmp_path_factory.mktemp("key-template")
    KeyStore(directory)
    return directory


@pytest.fixture
def data_dir(tmp_path: Path, key_template: Path) -> Path:
    """Return a fresh data directory that already holds one key."""
    directory = tmp_path / "devplatform"
    shutil.copytree(key_template, directory)
    return directory


@pytest.fixture
def clock() -> Clock:
    """Return a clock starting at the current time."""
    return Clock()


@pytest.fixture(scope="session")
def tool_keys() -> list[ToolKey]:
    """Generate the tool's RSA keys once: two published, one never published."""
    return [ToolKey.generate(kid) for kid in ("tool-1", "tool-2", "rogue")]


@pytest.fixture(scope="session")
def tool_key_server() -> Iterator[ToolKeyServer]:
    """Serve a JWKS on 127.0.0.1, standing in for the tool's jwks.json."""
    server = ToolKeyServer()
    yield server
    server.stop()


@pytest.fixture
def tool_jwks(
    tool_key_server: ToolKeyServer, tool_keys: list[ToolKey]
) -> ToolKeyServer:
    """Publish the first tool key only and zero the fetch count."""
    tool_key_server.publish(tool_keys[:1])
    return tool_key_server


@pytest.fixture
def app(data_dir: Path, clock: Clock, tool_jwks: ToolKeyServer) -> Iterator[Flask]:
    """Return a platform app with test settings and a fake clock."""
    app = create_app(
        {
            "TESTING": True,
            "DEVPLATFORM_DATA_DIR": str(data_dir),
            "DEVPLATFORM_SECRET": SECRET,
            "DEVPLATFORM_TOOL_JWKS_URL": tool_jwks.url,
        }
    )
    _state(app).clock = clock
    yield app


@pytest.fixture
def assertions(tool_keys: list[ToolKey], clock: Clock) -> Assertions:
    """Return a builder of client assertions signed with the tool's first key."""
    return Assertions(tool_keys[0], clock)


@pytest.fixture
def lti_token(client: FlaskClient, assertions: Assertions) -> Callable[..., str]:
    """Return a function that gets an LTI access token for some scopes."""

    def get(scopes: tuple[str, ...] = ALL_SCOPES) -> str:
        form = token_form(assertions.build(), scopes)
        response = client.post("/api/v1/gateway/oauth2/jwttoken", data=form)
        assert response.status_code == 200, response.json
        token: str = response.json["access_token"]
        return token

    return get


@pytest.fixture
def app_auth() -> dict[str, str]:
    """Return the Basic header with the default Learn application key and secret."""
    return basic_auth(DEFAULT_LEARN_APP_KEY, DEFAULT_LEARN_APP_SECRET)


@pytest.fixture
def learn_token(client: FlaskClient, app_auth: dict[str, str]) -> Callable[[], str]:
    """Return a function that gets the 2-legged Learn REST token."""

    def get() -> str:
        response = client.post(
            "/learn/api/public/v1/oauth2/token",
            data={"grant_type": "client_credentials"},
            headers=app_auth,
        )
        assert response.status_code == 200, response.json
        token: str = response.json["access_token"]
        return token

    return get


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client for ``app``."""
    return app.test_client()


def _state(app: Flask) -> Platform:
    """Return the platform state of ``app``."""
    state: Platform = app.extensions["devplatform"]
    return state


@pytest.fixture
def platform(app: Flask) -> Platform:
    """Return the platform state (settings, keys, counters) of ``app``."""
    return _state(app)


@pytest.fixture
def login_form(client: FlaskClient) -> Callable[..., Form]:
    """Return a function that starts a launch and returns the login form.

    ``deep_link`` asks for a deep-linking request instead of ``link``;
    ``storage`` ("on" or "off") is sent only when given.
    """

    def start(
        user: str = "learner",
        link: str = "_18938_1",
        method: str = "POST",
        *,
        deep_link: bool = False,
        storage: str | None = None,
    ) -> Form:
        query = {"user": user, "method": method}
        query.update({"deep_link": "1"} if deep_link else {"link": link})
        if storage is not None:
            query["storage"] = storage
        response = client.get("/launch/start", query_string=query)
        assert response.status_code == 200, response.text
        (form,) = parse_forms(response.text)
        return form

    return start


@pytest.fixture
def auth_params(
    app: Flask, login_form: Callable[..., Form]
) -> Callable[..., dict[str, str]]:
    """Return a function building a valid authentication request for a launch."""
    settings = _state(app).settings

    def build(
        user: str = "learner",
        link: str = "_18938_1",
        *,
        deep_link: bool = False,
        storage: str | None = None,
    ) -> dict[str, str]:
        login = login_form(user=user, link=link, deep_link=deep_link, storage=storage)
        return {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": login.fields["client_id"],
            "redirect_uri": settings.redirect_uri,
            "login_hint": login.fields["login_hint"],
            "lti_message_hint": login.fields["lti_message_hint"],
            "state": "state-abc123",
            "nonce": "nonce-xyz789",
        }

    return build


@pytest.fixture
def authenticate(
    client: FlaskClient,
) -> Callable[[dict[str, Any]], tuple[TestResponse, Form]]:
    """Return a function that POSTs an auth request and parses the answer form."""

    def send(params: dict[str, Any]) -> tuple[TestResponse, Form]:
        response = client.post("/api/v1/gateway/oidcauth", data=params)
        forms = parse_forms(response.text)
        return response, forms[0] if forms else Form({})

    return send


@pytest.fixture
def launch_claims(
    client: FlaskClient,
    auth_params: Callable[..., dict[str, str]],
    authenticate: Callable[[dict[str, Any]], tuple[TestResponse, Form]],
) -> Callable[..., dict[str, Any]]:
    """Return a function that launches and returns the verified id_token claims.

    It takes the ``auth_params`` arguments: a user, and a link or ``deep_link``.
    """

    def run(*args: Any, **kwargs: Any) -> dict[str, Any]:
        response, form = authenticate(auth_params(*args, **kwargs))
        assert response.status_code == 200, response.text
        token = form.fields["id_token"]
        kid = jwt.get_unverified_header(token)["kid"]
        jwks = client.get(
            f"/api/v1/management/applications/{DEFAULT_CLIENT_ID}/jwks.json"
        )
        (jwk,) = [key for key in jwks.json["keys"] if key["kid"] == kid]
        claims: dict[str, Any] = jwt.decode(
            token, jwt.PyJWK(jwk).key, algorithms=["RS256"], audience=DEFAULT_CLIENT_ID
        )
        return claims

    return run


@pytest.fixture
def dl_responses(tool_keys: list[ToolKey], clock: Clock) -> DeepLinkResponses:
    """Return a builder of deep-linking responses signed with the tool's key."""
    return DeepLinkResponses(tool_keys[0], clock)


@pytest.fixture
def forms_of() -> Callable[[str], list[Form]]:
    """Return the HTML form parser."""
    return parse_forms
