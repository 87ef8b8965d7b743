"""Everything that lives in the cache works on a real Redis server."""

from __future__ import annotations

from functools import partial

import redis
from flask import Flask

from app.cache import SharedRedisCache
from app.extensions import cache
from tests.flow import login
from tests.platform import FakePlatform
from tests.races import race
from tests.redisserver import RedisServer


def _backend(url: str) -> SharedRedisCache:
    return SharedRedisCache(host=redis.Redis.from_url(url), key_prefix="t:")


def test_add_and_take_are_atomic_across_processes(redis_server: RedisServer) -> None:
    redis_server.flush()
    assert race(partial(_backend, redis_server.url), "add", "lock:a").count(True) == 1

    SharedRedisCache(host=redis.Redis.from_url(redis_server.url), key_prefix="t:").set(
        "once", "value", timeout=60
    )
    assert race(partial(_backend, redis_server.url), "take", "once").count("value") == 1


def test_add_sets_the_expiry_in_the_same_command(redis_server: RedisServer) -> None:
    client = redis.Redis.from_url(redis_server.url)
    backend = SharedRedisCache(host=client, key_prefix="t:")

    assert backend.add("lock:b", 1, timeout=30) is True
    assert 0 < client.ttl("t:lock:b") <= 30
    assert backend.add("lock:b", 1, timeout=30) is False


def test_launch_and_replay_with_redis(redis_app: Flask, platform: FakePlatform) -> None:
    client = redis_app.test_client()
    started = login(client)
    form = {
        "id_token": platform.sign(platform.claims(started.nonce)),
        "state": started.state,
    }
    cookie = client.get_cookie(
        next(c.key for c in client._cookies.values() if c.key.startswith("lti_state_")),
        path="/lti/",
    )
    assert cookie is not None

    first = client.post("/lti/launch", data=form)
    client.set_cookie(cookie.key, cookie.value, path="/lti/")
    second = client.post("/lti/launch", data=form)

    assert first.status_code == 200 and "Hello, Ingrid Instructor" in first.text
    assert second.status_code == 400 and "launch.nonce_replayed" in second.text


def test_keys_in_redis_are_namespaced_and_hold_no_secret(
    redis_app: Flask, platform: FakePlatform, redis_server: RedisServer
) -> None:
    client = redis_app.test_client()
    started = login(client)
    client.post(
        "/lti/launch",
        data={
            "id_token": platform.sign(platform.claims(started.nonce)),
            "state": started.state,
        },
    )

    keys = [k.decode() for k in redis.Redis.from_url(redis_server.url).keys("*")]

    assert keys and all(k.startswith("bblti:") for k in keys)
    assert not any(started.nonce in k or started.state in k for k in keys)
    with redis_app.app_context():
        assert cache.get("missing") is None


def test_health_with_redis(redis_app: Flask) -> None:
    response = redis_app.test_client().get("/healthz")

    assert response.status_code == 200 and response.json is not None
    assert response.json["cache"] is True
