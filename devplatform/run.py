"""``make run``: the tool and the local platform side by side, for newcomers.

Registers the local platform with the tool (idempotent), starts the platform
on http://localhost:5001 and the tool on http://127.0.0.1:5000 (two different
sites, as Learn and a tool are), and prints the URL to open. Ctrl-C stops both.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

from devplatform.settings import (
    DEFAULT_CLIENT_ID,
    DEFAULT_DEPLOYMENT_ID,
    DEFAULT_LEARN_APP_KEY,
    DEFAULT_LEARN_APP_SECRET,
)


def main() -> int:
    """Register, start both servers, and wait until interrupted."""
    tool_url = os.environ.get("TOOL_URL", "http://127.0.0.1:5000").rstrip("/")
    platform_url = os.environ.get("PLATFORM_URL", "http://localhost:5001").rstrip("/")
    env = {
        **os.environ,
        "APP_ENV": "development",
        "TOOL_URL": tool_url,
        # The local platform's Learn REST application, unless you set your own.
        "LEARN_APP_KEY": os.environ.get("LEARN_APP_KEY", DEFAULT_LEARN_APP_KEY),
        "LEARN_APP_SECRET": os.environ.get(
            "LEARN_APP_SECRET", DEFAULT_LEARN_APP_SECRET
        ),
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]

    subprocess.run(
        [
            *flask,
            "platforms",
            "add",
            "--preset",
            "blackboard",
            "--portal-url",
            platform_url,
            "--client-id",
            DEFAULT_CLIENT_ID,
            "--deployment-id",
            DEFAULT_DEPLOYMENT_ID,
            "--name",
            "Local platform (devplatform)",
            # The page that hosts the tool's frame, trusted for platform storage.
            "--platform-origin",
            platform_url,
        ],
        env=env,
        check=True,
    )

    tool_port = str(urlsplit(tool_url).port or 5000)
    platform_port = str(urlsplit(platform_url).port or 5001)
    platform_env = {
        **env,
        "DEVPLATFORM_URL": platform_url,
        "DEVPLATFORM_TOOL_URL": tool_url,
    }
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "devplatform", "--port", platform_port],
            env=platform_env,
        ),
        subprocess.Popen(
            [*flask, "run", "--debug", "--host", "127.0.0.1", "--port", tool_port],
            env=env,
        ),
    ]
    time.sleep(1.5)
    print(
        "\n  The tool runs at        " + tool_url + "  (setup page)"
        "\n  The local platform at   " + platform_url + "/"
        "\n\n  Open " + platform_url + "/ , pick a user and press Launch."
        "\n  Ctrl-C stops both.\n",
        flush=True,
    )
    try:
        while all(server.poll() is None for server in servers):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
