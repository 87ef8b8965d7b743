"""Settings for the local platform: defaults, environment lookup and checks."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

DEFAULT_URL = "http://localhost:5001"
DEFAULT_TOOL_URL = "http://127.0.0.1:5000"
DEFAULT_ISSUER = "https://blackboard.com"
DEFAULT_CLIENT_ID = "d3e00000-0000-4000-8000-00000000c11d"
DEFAULT_DEPLOYMENT_ID = "d3e00000-0000-4000-8000-0000000de910"
DEFAULT_DATA_DIR = "instance/devplatform"
DEFAULT_LEARN_APP_KEY = "devplatform-app-key"
DEFAULT_LEARN_APP_SECRET = "devplatform-app-secret"
DEFAULT_TOKEN_LIFETIME = 3600
DEFAULT_RATE_LIMIT = 10000

SETTING_NAMES = (
    "DEVPLATFORM_URL",
    "DEVPLATFORM_TOOL_URL",
    "DEVPLATFORM_ISSUER",
    "DEVPLATFORM_CLIENT_ID",
    "DEVPLATFORM_DEPLOYMENT_ID",
    "DEVPLATFORM_DATA_DIR",
    "DEVPLATFORM_SECRET",
    "DEVPLATFORM_LEARN_APP_KEY",
    "DEVPLATFORM_LEARN_APP_SECRET",
    "DEVPLATFORM_TOKEN_LIFETIME",
    "DEVPLATFORM_RATE_LIMIT",
    "DEVPLATFORM_TOOL_JWKS_URL",
)

SECRET_FILE = "secret.txt"


@dataclass(frozen=True)
class Settings:
    """Resolved platform settings; URLs never end with a slash."""

    url: str
    tool_url: str
    issuer: str
    client_id: str
    deployment_id: str
    data_dir: Path
    secret: str
    learn_app_key: str = DEFAULT_LEARN_APP_KEY
    learn_app_secret: str = DEFAULT_LEARN_APP_SECRET
    token_lifetime: int = DEFAULT_TOKEN_LIFETIME
    rate_limit: int = DEFAULT_RATE_LIMIT
    tool_jwks_override: str | None = None

    @property
    def login_initiation_url(self) -> str:
        """Return the tool's third-party login initiation URL."""
        return f"{self.tool_url}/lti/login"

    @property
    def redirect_uri(self) -> str:
        """Return the one redirect URI registered for the tool."""
        return f"{self.tool_url}/lti/launch"

    @property
    def target_link_uri(self) -> str:
        """Return the target link URI of every content item."""
        return f"{self.tool_url}/lti/launch"

    @property
    def tool_jwks_url(self) -> str:
        """Return the tool's JWKS URL, which DEVPLATFORM_TOOL_JWKS_URL overrides."""
        if self.tool_jwks_override:
            return self.tool_jwks_override
        return f"{self.tool_url}/.well-known/jwks.json"

    @property
    def auth_url(self) -> str:
        """Return the platform's OIDC authentication endpoint."""
        return f"{self.url}/api/v1/gateway/oidcauth"

    @property
    def token_url(self) -> str:
        """Return the platform's LTI service token endpoint (the assertion aud)."""
        return f"{self.url}/api/v1/gateway/oauth2/jwttoken"

    @property
    def jwks_url(self) -> str:
        """Return the platform's public keyset URL."""
        return f"{self.url}/api/v1/management/applications/{self.client_id}/jwks.json"

    @property
    def return_url(self) -> str:
        """Return the launch_presentation return URL."""
        return f"{self.url}/course/return"

    @property
    def deep_link_return_url(self) -> str:
        """Return where the tool posts its deep-linking response."""
        return f"{self.url}/deep-linking/return"

    @property
    def tool_origin(self) -> str:
        """Return the tool's origin, ``scheme://host[:port]``."""
        parts = urlsplit(self.tool_url)
        return f"{parts.scheme}://{parts.netloc}"


def load_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """Read settings from the environment, then apply ``overrides``."""
    raw: dict[str, str] = {}
    for name in SETTING_NAMES:
        value = os.environ.get(name)
        if value:
            raw[name] = value
    for name, value in (overrides or {}).items():
        if name in SETTING_NAMES and value is not None:
            raw[name] = str(value)

    data_dir = Path(raw.get("DEVPLATFORM_DATA_DIR", DEFAULT_DATA_DIR))
    data_dir.mkdir(parents=True, exist_ok=True)

    return Settings(
        url=_check_url("DEVPLATFORM_URL", raw.get("DEVPLATFORM_URL", DEFAULT_URL)),
        tool_url=_check_url(
            "DEVPLATFORM_TOOL_URL", raw.get("DEVPLATFORM_TOOL_URL", DEFAULT_TOOL_URL)
        ),
        issuer=_check_url(
            "DEVPLATFORM_ISSUER", raw.get("DEVPLATFORM_ISSUER", DEFAULT_ISSUER)
        ),
        client_id=_check_id(
            "DEVPLATFORM_CLIENT_ID",
            raw.get("DEVPLATFORM_CLIENT_ID", DEFAULT_CLIENT_ID),
        ),
        deployment_id=_check_id(
            "DEVPLATFORM_DEPLOYMENT_ID",
            raw.get("DEVPLATFORM_DEPLOYMENT_ID", DEFAULT_DEPLOYMENT_ID),
        ),
        data_dir=data_dir,
        secret=raw.get("DEVPLATFORM_SECRET") or _load_secret(data_dir),
        learn_app_key=_check_id(
            "DEVPLATFORM_LEARN_APP_KEY",
            raw.get("DEVPLATFORM_LEARN_APP_KEY", DEFAULT_LEARN_APP_KEY),
        ),
        learn_app_secret=raw.get(
            "DEVPLATFORM_LEARN_APP_SECRET", DEFAULT_LEARN_APP_SECRET
        ),
        token_lifetime=_check_int(
            "DEVPLATFORM_TOKEN_LIFETIME",
            raw.get("DEVPLATFORM_TOKEN_LIFETIME", str(DEFAULT_TOKEN_LIFETIME)),
            minimum=1,
        ),
        rate_limit=_check_int(
            "DEVPLATFORM_RATE_LIMIT",
            raw.get("DEVPLATFORM_RATE_LIMIT", str(DEFAULT_RATE_LIMIT)),
            minimum=0,
        ),
        tool_jwks_override=_check_optional_url(
            "DEVPLATFORM_TOOL_JWKS_URL", raw.get("DEVPLATFORM_TOOL_JWKS_URL")
        ),
    )


def _check_url(name: str, value: str) -> str:
    """Return ``value`` without a trailing slash, or raise if it is no URL."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an http(s) URL, got {value!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"{name} must have no query or fragment, got {value!r}")
    return value.rstrip("/")


def _check_optional_url(name: str, value: str | None) -> str | None:
    """Return ``value`` checked like a base URL but keeping its path, or None."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an http(s) URL, got {value!r}")
    return value


def _check_int(name: str, value: str, minimum: int) -> int:
    """Return ``value`` as an integer of at least ``minimum``."""
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return number


def _check_id(name: str, value: str) -> str:
    """Return ``value`` if it is a usable client or deployment id."""
    if not value.isascii() or not value.isprintable() or len(value) > 255:
        raise ValueError(f"{name} must be printable ASCII, got {value!r}")
    if " " in value or "/" in value:
        raise ValueError(f"{name} must not contain spaces or slashes, got {value!r}")
    return value


def _load_secret(data_dir: Path) -> str:
    """Read the hint-signing secret from ``data_dir``, creating it once."""
    path = data_dir / SECRET_FILE
    if path.exists():
        return path.read_text(encoding="ascii").strip()

    secret = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secret + "\n")
    logger.info("created signing secret in %s", path)
    return secret
