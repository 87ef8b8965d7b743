"""A real redis-server on a free port of 127.0.0.1, for tests of the Redis cache."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import redis

from tests.servers import free_port


class RedisServer:
    """A throw-away redis-server with no persistence."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is missing: run 'make test' to install it")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self) -> None:
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def flush(self) -> None:
        """Empty the database between tests."""
        redis.Redis.from_url(self.url).flushdb()

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        self.process.wait(timeout=10)
