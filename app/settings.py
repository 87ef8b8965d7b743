"""Configuration checked at start-up: each error names the setting at fault."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from app.cache import SHARED_BACKENDS
from app.errors import ConfigurationError
from config import NUMBER_SETTINGS, BaseConfig

logger = logging.getLogger(__name__)

# Lifetimes where 0 would mean "forever" to the cache, or "never" to a check.
POSITIVE_SETTINGS = (
    "LTI_ID_TOKEN_MAX_AGE",
    "LTI_STATE_TTL",
    "LTI_LAUNCH_TTL",
    "LTI_KEY_SET_MAX_AGE",
    "LTI_KEY_SET_KEEP",
    "LTI_KEY_SET_REFETCH_INTERVAL",
    "TOKEN_LOCK_TIMEOUT",
    "LEARN_REFRESH_TOKEN_TTL",
    "HTTP_CONNECT_TIMEOUT",
    "HTTP_READ_TIMEOUT",
)
PATH_SETTINGS = ("LTI_PLATFORMS_FILE", "TOOL_KEYS_DIR", "CACHE_DIR")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def prepare_config(app: Flask) -> None:
    """Normalise and check ``app.config``; raise ConfigurationError on a fault."""
    config = app.config
    production = config["APP_ENV"] == "production"

    _convert_numbers(config)
    _resolve_paths(app)
    _check_tool_url(config, production)
    _check_secret_key(app, production)
    _check_cache(config)


def _convert_numbers(config: dict[str, Any]) -> None:
    """Numbers may come from the environment as text; each keeps the type of
    its default in ``config.BaseConfig``."""
    for name in NUMBER_SETTINGS:
        kind = float if isinstance(getattr(BaseConfig, name), float) else int
        try:
            value = kind(config[name])
        except (TypeError, ValueError) as e:
            raise ConfigurationError(
                name, f"must be a number, not {config[name]!r}"
            ) from e
        if value < 0 or (value == 0 and name in POSITIVE_SETTINGS):
            least = "greater than 0" if name in POSITIVE_SETTINGS else "0 or more"
            raise ConfigurationError(name, f"must be {least}, not {value!r}")
        config[name] = value


def _resolve_paths(app: Flask) -> None:
    """Relative paths are taken from the instance folder."""
    for name in PATH_SETTINGS:
        path = Path(app.config[name])
        if not path.is_absolute():
            path = Path(app.instance_path) / path
        app.config[name] = str(path)


def _check_tool_url(config: dict[str, Any], production: bool) -> None:
    url = config.get("TOOL_URL")
    if not url:
        raise ConfigurationError(
            "TOOL_URL", "required: the tool's public base URL, e.g. https://tool.edu"
        )
    url = str(url).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError("TOOL_URL", f"must be an absolute URL, not {url!r}")
    if parts.path or parts.query:
        raise ConfigurationError(
            "TOOL_URL", f"must be scheme and host only, with no path: {url!r}"
        )
    http_allowed = not production and parts.hostname in LOOPBACK_HOSTS
    if parts.scheme != "https" and not http_allowed:
        raise ConfigurationError("TOOL_URL", f"must be an https URL, not {url!r}")
    config["TOOL_URL"] = url


def _check_secret_key(app: Flask, production: bool) -> None:
    key = app.config.get("SECRET_KEY")
    if key:
        if production and len(str(key)) < 32:
            raise ConfigurationError(
                "SECRET_KEY", "must be at least 32 characters in production"
            )
        return
    if production:
        raise ConfigurationError(
            "SECRET_KEY",
            "required in production; generate one with "
            "'python -c \"import secrets; print(secrets.token_hex(32))\"'",
        )
    app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))


def _development_secret(instance: Path) -> str:
    """A secret generated once and kept in instance/, shared by all workers."""
    path = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secrets.token_hex(32))
    logger.info("generated a development SECRET_KEY in %s", path)
    return path.read_text(encoding="utf-8").strip()


def _check_cache(config: dict[str, Any]) -> None:
    """Only caches shared between processes, with atomic add, are accepted."""
    cache_type = str(config.get("CACHE_TYPE") or "")
    backend = SHARED_BACKENDS.get(cache_type)
    if backend is None:
        raise ConfigurationError(
            "CACHE_TYPE",
            f"{cache_type!r} is not shared between processes; "
            "use FileSystemCache (one machine) or RedisCache (several)",
        )
    config["CACHE_TYPE"] = backend
    if backend.endswith("RedisCache") and not config.get("CACHE_REDIS_URL"):
        raise ConfigurationError(
            "CACHE_REDIS_URL", "required with RedisCache, e.g. redis://localhost:6379/0"
        )
