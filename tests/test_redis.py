"""Everything that lives in the cache works on a real Redis server."""

from __future__ import annotations

import multiprocessing
import time

import redis
from flask import Flask

from app.cache import SharedRedisCache
from app.extensions import cache
from tests.flow import login
from tests.platform import FakePlatform
from tests.redisserver import RedisServer

RACERS = 8


def _race(url: str, action: str, key: str, start: float, results: object) -> None:
    backend = SharedRedisCache(host=redis.Redis.from_url(url), key_prefix="t:")
    while time.time() < start:
        pass
    if action == "add":
        results.put(backend.add(key, "mine", timeout=60))  # type: ignore[attr-defined]
    else:
        results.put(backend.take(key))  # type: ignore[attr-defined]


def _run(url: str, action: str, key: str) -> list[object]:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start = time.time() + 0.3
    processes = [
        context.Process(target=_race, args=(url, action, key, start, results))
        for _ in range(RACERS)
    ]
    for process in processes:
        process.start()
    outcome = [results.get(timeout=30) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    return outcome


def test_add_and_take_are_atomic_across_processes(redis_server: RedisServer) -> None:
    redis_server.flush()
    assert _run(redis_server.url, "add", "lock:a").count(True) == 1

    SharedRedisCache(host=redis.Redis.from_url(redis_server.url), key_prefix="t:").set(
        "once", "value", timeout=60
    )
    assert _run(redis_server.url, "take", "once").count("value") == 1


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
