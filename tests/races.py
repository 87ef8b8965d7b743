"""Several processes doing one cache operation at the same instant."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from typing import Any

RACERS = 8


def _racer(
    make_backend: Callable[[], Any], action: str, key: str, start: float, results: Any
) -> None:
    backend = make_backend()
    while time.time() < start:
        pass
    if action == "add":
        results.put(backend.add(key, "mine", timeout=60))
    else:
        results.put(backend.take(key))


def race(make_backend: Callable[[], Any], action: str, key: str) -> list[Any]:
    """Run ``add`` or ``take`` of ``key`` in RACERS forked processes at once."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start = time.time() + 0.3
    processes = [
        context.Process(target=_racer, args=(make_backend, action, key, start, results))
        for _ in range(RACERS)
    ]
    for process in processes:
        process.start()
    outcome = [results.get(timeout=30) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    return outcome
