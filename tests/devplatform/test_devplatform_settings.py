"""Settings: defaults, environment variables, overrides and boot-time checks."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from devplatform import DEFAULT_CLIENT_ID, DEFAULT_DEPLOYMENT_ID, create_app
from devplatform.settings import load_settings


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)

    settings = load_settings()

    assert settings.url == "http://localhost:5001"
    assert settings.tool_url == "http://127.0.0.1:5000"
    assert settings.issuer == "https://blackboard.com"
    assert settings.client_id == DEFAULT_CLIENT_ID
    assert settings.deployment_id == DEFAULT_DEPLOYMENT_ID
    assert settings.data_dir == Path("instance/devplatform")
    assert (tmp_path / "instance/devplatform").is_dir()


def test_derived_urls(tmp_path: Path):
    settings = load_settings(
        {
            "DEVPLATFORM_DATA_DIR": str(tmp_path),
            "DEVPLATFORM_URL": "http://lms.test:8001/",
            "DEVPLATFORM_TOOL_URL": "https://tool.test/",
        }
    )

    assert settings.url == "http://lms.test:8001"
    assert settings.login_initiation_url == "https://tool.test/lti/login"
    assert settings.redirect_uri == "https://tool.test/lti/launch"
    assert settings.target_link_uri == "https://tool.test/lti/launch"
    assert settings.tool_jwks_url == "https://tool.test/.well-known/jwks.json"
    assert settings.auth_url == "http://lms.test:8001/api/v1/gateway/oidcauth"
    assert settings.jwks_url == (
        "http://lms.test:8001/api/v1/management/applications/"
        f"{DEFAULT_CLIENT_ID}/jwks.json"
    )


def test_environment_is_read_and_config_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("DEVPLATFORM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DEVPLATFORM_CLIENT_ID", "from-env")
    monkeypatch.setenv("DEVPLATFORM_DEPLOYMENT_ID", "deployment-from-env")

    settings = load_settings({"DEVPLATFORM_CLIENT_ID": "from-config"})

    assert settings.client_id == "from-config"
    assert settings.deployment_id == "deployment-from-env"


def test_secret_is_generated_once_and_kept(tmp_path: Path):
    first = load_settings({"DEVPLATFORM_DATA_DIR": str(tmp_path)})
    second = load_settings({"DEVPLATFORM_DATA_DIR": str(tmp_path)})

    secret_file = tmp_path / "secret.txt"
    assert first.secret == second.secret
    assert len(first.secret) >= 32
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


def test_explicit_secret_is_used(tmp_path: Path):
    settings = load_settings(
        {"DEVPLATFORM_DATA_DIR": str(tmp_path), "DEVPLATFORM_SECRET": "s3cret"}
    )

    assert settings.secret == "s3cret"
    assert not (tmp_path / "secret.txt").exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEVPLATFORM_URL", "localhost:5001"),
        ("DEVPLATFORM_TOOL_URL", "ftp://tool.test"),
        ("DEVPLATFORM_TOOL_URL", "http://tool.test/?x=1"),
        ("DEVPLATFORM_ISSUER", "blackboard.com"),
        ("DEVPLATFORM_CLIENT_ID", "has space"),
        ("DEVPLATFORM_DEPLOYMENT_ID", "a/b"),
    ],
)
def test_bad_setting_fails_at_boot(tmp_path: Path, name: str, value: str):
    with pytest.raises(ValueError, match=name):
        create_app({"DEVPLATFORM_DATA_DIR": str(tmp_path), name: value})


def test_app_config_shows_resolved_settings(app):
    assert app.config["DEVPLATFORM_CLIENT_ID"] == DEFAULT_CLIENT_ID
    assert app.config["DEVPLATFORM_URL"] == "http://localhost:5001"
    assert app.config["TESTING"] is True
