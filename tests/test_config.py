"""Start-up checks: production refuses unsafe settings, naming the setting."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app import create_app
from app.errors import ConfigurationError
from tests.platform import write_platforms

GOOD_SECRET = "x" * 40


def production(tmp_path: Path, **settings: Any) -> dict[str, Any]:
    platforms = tmp_path / "platforms.json"
    if not platforms.exists():
        platforms.write_text(json.dumps({"platforms": []}))
    return {
        "APP_ENV": "production",
        "SECRET_KEY": GOOD_SECRET,
        "TOOL_URL": "https://tool.example.edu",
        "LTI_PLATFORMS_FILE": str(platforms),
        "TOOL_KEYS_DIR": str(tmp_path / "keys"),
        "CACHE_DIR": str(tmp_path / "cache"),
        **settings,
    }


def refused(config: dict[str, Any]) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as caught:
        create_app(config)
    return caught.value


def test_production_starts_with_safe_settings(tmp_path: Path) -> None:
    app = create_app(production(tmp_path))
    assert app.config["CACHE_TYPE"] == "app.cache.SharedFileSystemCache"


def test_production_needs_a_secret_key(tmp_path: Path) -> None:
    error = refused(production(tmp_path, SECRET_KEY=None))
    assert error.setting == "SECRET_KEY" and "required" in error.message


def test_production_refuses_a_short_secret_key(tmp_path: Path) -> None:
    assert refused(production(tmp_path, SECRET_KEY="short")).setting == "SECRET_KEY"


def test_production_refuses_an_http_tool_url(tmp_path: Path) -> None:
    error = refused(production(tmp_path, TOOL_URL="http://tool.example.edu"))
    assert error.setting == "TOOL_URL"


def test_tool_url_with_a_path_is_refused(tmp_path: Path) -> None:
    error = refused(production(tmp_path, TOOL_URL="https://tool.example.edu/lti"))
    assert error.setting == "TOOL_URL"


@pytest.mark.parametrize("cache_type", ["SimpleCache", "NullCache", "nonsense"])
def test_caches_not_shared_between_processes_are_refused(
    tmp_path: Path, cache_type: str
) -> None:
    error = refused(production(tmp_path, CACHE_TYPE=cache_type))
    assert error.setting == "CACHE_TYPE" and repr(cache_type) in error.message


def test_redis_cache_needs_a_url(tmp_path: Path) -> None:
    error = refused(production(tmp_path, CACHE_TYPE="RedisCache"))
    assert error.setting == "CACHE_REDIS_URL"


def test_production_refuses_http_platform_urls(tmp_path: Path) -> None:
    write_platforms(tmp_path / "platforms.json", "http://127.0.0.1:9/jwks.json")
    error = refused(production(tmp_path))
    assert "key_set_url" in error.setting or "auth_login_url" in error.setting
    assert "https" in error.message


def test_development_allows_http_on_loopback(tmp_path: Path) -> None:
    write_platforms(tmp_path / "platforms.json", "http://127.0.0.1:9/jwks.json")
    config = production(
        tmp_path,
        APP_ENV="development",
        SECRET_KEY=None,
        TOOL_URL="http://localhost:5000",
    )
    app = create_app(config)
    assert app.config["SECRET_KEY"]  # generated and kept in instance/


def test_development_refuses_http_off_loopback(tmp_path: Path) -> None:
    write_platforms(tmp_path / "platforms.json", "http://platform.example/jwks")
    config = production(
        tmp_path, APP_ENV="development", TOOL_URL="http://localhost:5000"
    )
    assert "key_set_url" in refused(config).setting


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("{not json", "not JSON"),
        ('{"platforms": {}}', "platforms"),
        ('{"platforms": [{"issuer": "https://x"}]}', "client_id"),
    ],
)
def test_broken_platforms_file_names_the_problem(
    tmp_path: Path, body: str, fragment: str
) -> None:
    (tmp_path / "platforms.json").write_text(body)
    error = refused(production(tmp_path))
    assert fragment in str(error)


def test_number_settings_are_checked(tmp_path: Path) -> None:
    error = refused(production(tmp_path, LTI_CLOCK_LEEWAY="a minute"))
    assert error.setting == "LTI_CLOCK_LEEWAY"


def test_unknown_app_env_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="APP_ENV"):
        create_app(production(tmp_path, APP_ENV="staging"))


def test_proxy_fix_trusts_the_configured_hops(tmp_path: Path) -> None:
    app = create_app(production(tmp_path, PROXY_FIX_HOPS=1))
    client = app.test_client()

    response = client.post(
        "/lti/login",
        base_url="http://internal:8000",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tool.example.edu"},
        data={"iss": "x", "login_hint": "u", "target_link_uri": "t"},
    )

    # Not registered, but the request was seen as https on the public host.
    assert response.status_code == 400
    with app.test_request_context(
        "/",
        base_url="http://internal:8000",
        headers={"X-Forwarded-Proto": "https"},
    ):
        pass
    assert app.wsgi_app.__class__.__name__ == "ProxyFix"
