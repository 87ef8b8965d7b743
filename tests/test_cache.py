"""The shared cache's atomic operations hold across processes."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

from app.cache import SharedFileSystemCache
from tests.races import race

ROUNDS = 20


def test_add_has_exactly_one_winner_across_processes(tmp_path: Path) -> None:
    for round_number in range(ROUNDS // 4):
        outcome = race(
            partial(SharedFileSystemCache, str(tmp_path), threshold=0),
            "add",
            f"lock:{round_number}",
        )
        assert outcome.count(True) == 1, outcome


def test_take_gives_the_value_to_exactly_one_process(tmp_path: Path) -> None:
    cache = SharedFileSystemCache(str(tmp_path), threshold=0)
    for round_number in range(ROUNDS // 4):
        cache.set(f"once:{round_number}", "secret", timeout=60)
        outcome = race(
            partial(SharedFileSystemCache, str(tmp_path), threshold=0),
            "take",
            f"once:{round_number}",
        )
        assert outcome.count("secret") == 1, outcome


def test_add_succeeds_over_an_expired_value(tmp_path: Path) -> None:
    cache = SharedFileSystemCache(str(tmp_path), threshold=0)
    cache.set("lock:x", "old", timeout=1)
    time.sleep(1.1)

    assert cache.add("lock:x", "new", timeout=60) is True
    assert cache.get("lock:x") == "new"
    assert cache.add("lock:x", "newer", timeout=60) is False


def test_delete_reports_whether_the_key_was_there(tmp_path: Path) -> None:
    cache = SharedFileSystemCache(str(tmp_path), threshold=0)
    cache.set("k", 1)

    assert cache.delete("k") is True
    assert cache.delete("k") is False


def test_take_of_an_expired_value_is_none(tmp_path: Path) -> None:
    cache = SharedFileSystemCache(str(tmp_path), threshold=0)
    cache.set("k", 1, timeout=1)
    time.sleep(1.1)

    assert cache.take("k") is None
