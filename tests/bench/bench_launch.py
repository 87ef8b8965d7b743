"""``make bench``: timings of the launch path, printed, never asserted.

Runs in one process with the Flask test client and a real key server on
127.0.0.1, so the figures show the tool's own cost: a login, an RS256
verification, the cache operations and one rendered page.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app import create_app  # noqa: E402
from app.keys import ToolKeys  # noqa: E402
from tests.flow import login  # noqa: E402
from tests.platform import FakePlatform, KeyServer, write_platforms  # noqa: E402

ROUNDS = 200


def measure(name: str, action: Callable[[], object], rounds: int = ROUNDS) -> None:
    """Run ``action`` ``rounds`` times and print the median and p95 in ms."""
    action()  # warm up: imports, first fetches
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{name:<44} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    """Print the figures."""
    key_server = KeyServer()
    platform = FakePlatform(key_server)
    tmp = Path(tempfile.mkdtemp())
    write_platforms(tmp / "platforms.json", key_server.url)
    app = create_app(
        {
            "APP_ENV": "testing",
            "LTI_PLATFORMS_FILE": str(tmp / "platforms.json"),
            "TOOL_KEYS_DIR": str(tmp / "keys"),
            "CACHE_DIR": str(tmp / "cache"),
        }
    )
    client = app.test_client()

    def full_launch() -> None:
        started = login(client)
        token = platform.sign(platform.claims(started.nonce))
        response = client.post(
            "/lti/launch", data={"id_token": token, "state": started.state}
        )
        assert response.status_code == 200

    keys = ToolKeys(tmp / "keys")
    keys.generate()

    print(f"launch path, {ROUNDS} rounds each")
    measure("login initiation (302 + state + nonce)", lambda: login(client))
    measure("login + launch + tool page", full_launch)
    measure("tool key load, cached per process", keys.current)
    measure(
        "tool key parse from PEM (cold)",
        lambda: ToolKeys(tmp / "keys").current(),
        rounds=20,
    )
    print(f"platform key-set fetches during the run: {key_server.hits}")
    key_server.stop()


if __name__ == "__main__":
    main()
