"""Configuration classes for each environment, and the settings read from it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any


class BaseConfig:
    """Defaults shared by every environment; paths are relative to instance/."""

    APP_ENV = "production"
    SECRET_KEY: str | None = None
    TOOL_URL: str | None = None

    LTI_PLATFORMS_FILE = "platforms.json"
    TOOL_KEYS_DIR = "keys"

    CACHE_TYPE = "FileSystemCache"
    CACHE_DIR = "cache"
    CACHE_REDIS_URL: str | None = None
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_KEY_PREFIX = "bblti:"

    LEARN_APP_KEY: str | None = None
    LEARN_APP_SECRET: str | None = None

    # Trusted reverse proxies in front of the tool (X-Forwarded-* hops).
    PROXY_FIX_HOPS = 0

    # Seconds of clock skew tolerated on exp and iat.
    LTI_CLOCK_LEEWAY = 60
    # An id_token issued longer ago than this is refused.
    LTI_ID_TOKEN_MAX_AGE = 600
    # Seconds between the login initiation and the launch.
    LTI_STATE_TTL = 600
    # How long a verified launch, and the launch token for it, stay valid.
    LTI_LAUNCH_TTL = 7200
    # A platform key set is refetched after this many seconds.
    LTI_KEY_SET_MAX_AGE = 3600
    # A key set is kept this long, for when the key-set URL is down.
    LTI_KEY_SET_KEEP = 7 * 24 * 3600
    # At most one refetch on an unknown kid per key set in this many seconds.
    LTI_KEY_SET_REFETCH_INTERVAL = 60
    # A cached access token is dropped this many seconds before it expires
    # (at most a tenth of its lifetime).
    TOKEN_EXPIRY_MARGIN = 60
    # A worker fetching a token holds a lock this long at most; others wait.
    TOKEN_LOCK_TIMEOUT = 30
    # Retries of a call answered 429, 503 or (token endpoints) 5xx.
    SERVICE_RETRIES = 2
    # The longest wait between retries, whatever Retry-After says.
    SERVICE_MAX_BACKOFF = 5.0
    # Scopes asked of Learn when a user authorizes the tool (3-legged).
    LEARN_3LO_SCOPES = "read offline"
    # How long a user's Learn refresh token is kept.
    LEARN_REFRESH_TOKEN_TTL = 30 * 24 * 3600
    # Warn in the logs when Learn's X-Rate-Limit-Remaining falls below this.
    LEARN_RATE_LIMIT_WARNING = 500
    # Connect and read timeouts for every outgoing request, in seconds.
    HTTP_CONNECT_TIMEOUT = 3.05
    HTTP_READ_TIMEOUT = 10.0


class ProductionConfig(BaseConfig):
    """Strict settings: https only, a secret key given, a shared cache."""

    APP_ENV = "production"


class DevelopmentConfig(BaseConfig):
    """Local development beside the local platform, http allowed on loopback."""

    APP_ENV = "development"
    TOOL_URL = "http://127.0.0.1:5000"


class TestingConfig(BaseConfig):
    """Settings for the test suite; paths are usually overridden per test."""

    APP_ENV = "testing"
    TESTING = True
    TOOL_URL = "http://127.0.0.1:5000"
    SECRET_KEY = "testing-secret-key-not-for-production"


CONFIGS: dict[str, type[BaseConfig]] = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}

# Settings taken from the environment as strings, and those read as numbers.
STRING_SETTINGS = (
    "SECRET_KEY",
    "TOOL_URL",
    "LTI_PLATFORMS_FILE",
    "TOOL_KEYS_DIR",
    "CACHE_TYPE",
    "CACHE_DIR",
    "CACHE_REDIS_URL",
    "CACHE_KEY_PREFIX",
    "LEARN_APP_KEY",
    "LEARN_APP_SECRET",
    "LEARN_3LO_SCOPES",
)
NUMBER_SETTINGS = (
    "PROXY_FIX_HOPS",
    "CACHE_DEFAULT_TIMEOUT",
    "LTI_CLOCK_LEEWAY",
    "LTI_ID_TOKEN_MAX_AGE",
    "LTI_STATE_TTL",
    "LTI_LAUNCH_TTL",
    "LTI_KEY_SET_MAX_AGE",
    "LTI_KEY_SET_KEEP",
    "LTI_KEY_SET_REFETCH_INTERVAL",
    "HTTP_CONNECT_TIMEOUT",
    "HTTP_READ_TIMEOUT",
    "TOKEN_EXPIRY_MARGIN",
    "TOKEN_LOCK_TIMEOUT",
    "SERVICE_RETRIES",
    "SERVICE_MAX_BACKOFF",
    "LEARN_REFRESH_TOKEN_TTL",
    "LEARN_RATE_LIMIT_WARNING",
)


def settings_from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """Return the settings present in ``environ``, numbers left as text."""
    names = STRING_SETTINGS + NUMBER_SETTINGS
    return {name: environ[name] for name in names if environ.get(name)}


def config_class(app_env: str | None) -> type[BaseConfig]:
    """Return the configuration class for ``APP_ENV`` (production by default)."""
    name = (app_env or "production").strip().lower()
    if name not in CONFIGS:
        choices = ", ".join(sorted(CONFIGS))
        raise ValueError(f"APP_ENV must be one of {choices}, not {app_env!r}")
    return CONFIGS[name]


def default_app_env() -> str:
    """Return ``APP_ENV`` from the process environment."""
    return os.environ.get("APP_ENV", "production")
