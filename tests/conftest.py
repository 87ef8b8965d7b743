"""Fixtures: a fresh app per test, and a fake platform with a real key server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.chromium import browser, page, playwright_driver  # noqa: F401
from tests.platform import TOOL_URL, FakePlatform, KeyServer, write_platforms
from tests.redisserver import RedisServer
from tests.stack import Stack, start_stack


@pytest.fixture(scope="session")
def key_server() -> Iterator[KeyServer]:
    server = KeyServer()
    yield server
    server.stop()


@pytest.fixture
def platform(key_server: KeyServer) -> FakePlatform:
    key_server.hits = 0
    key_server.down = False
    return FakePlatform(key_server)


@pytest.fixture
def app(tmp_path: Path, platform: FakePlatform) -> Flask:
    from app import create_app

    platforms_file = tmp_path / "platforms.json"
    write_platforms(platforms_file, platform.key_server.url)
    return create_app(
        {
            "APP_ENV": "testing",
            "TOOL_URL": TOOL_URL,
            "LTI_PLATFORMS_FILE": str(platforms_file),
            "TOOL_KEYS_DIR": str(tmp_path / "keys"),
            "CACHE_DIR": str(tmp_path / "cache"),
            "CACHE_TYPE": "FileSystemCache",
        }
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = start_stack(tmp_path_factory.mktemp("stack"))
    yield running
    running.tool.stop()
    running.platform.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_app(
    tmp_path: Path, platform: FakePlatform, redis_server: RedisServer
) -> Flask:
    from app import create_app

    redis_server.flush()
    platforms_file = tmp_path / "platforms.json"
    write_platforms(platforms_file, platform.key_server.url)
    return create_app(
        {
            "APP_ENV": "testing",
            "TOOL_URL": TOOL_URL,
            "LTI_PLATFORMS_FILE": str(platforms_file),
            "TOOL_KEYS_DIR": str(tmp_path / "keys"),
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_server.url,
        }
    )
