"""The tool under gunicorn (3 workers, file-system cache) and the local
platform, as separate processes talking real HTTP over 127.0.0.1; and a
launch walked through them as a browser would."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from devplatform.settings import (
    DEFAULT_CLIENT_ID,
    DEFAULT_DEPLOYMENT_ID,
    DEFAULT_LEARN_APP_KEY,
    DEFAULT_LEARN_APP_SECRET,
)
from tests.htmlforms import first_form
from tests.servers import ServerProcess, flask_cli, free_port

TOOL_WORKERS = 3


@dataclass
class Stack:
    """The running tool and platform."""

    tool_url: str
    platform_url: str
    tool: ServerProcess
    platform: ServerProcess
    tool_env: dict[str, str]

    def platform_stats(self) -> dict[str, Any]:
        """The local platform's counters."""
        stats: dict[str, Any] = requests.get(
            f"{self.platform_url}/admin/stats", timeout=5
        ).json()
        return stats

    def admin(self, path: str, body: object = None) -> dict[str, Any]:
        """POST to one of the local platform's admin controls."""
        response = requests.post(
            f"{self.platform_url}/admin/{path}", json=body, timeout=5
        )
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result


def start_stack(
    tmp: Path,
    extra_tool_env: dict[str, str] | None = None,
    platform_origin: str | None = None,
) -> Stack:
    """Register the platform with the tool through the CLI, then start both."""
    tool_port, platform_port = free_port(), free_port()
    tool_url = f"http://127.0.0.1:{tool_port}"
    # Another host name, so that the two are different sites, as on Learn.
    platform_url = f"http://localhost:{platform_port}"
    tool_env = {
        "APP_ENV": "development",
        "SECRET_KEY": "integration-secret-" + "x" * 32,
        "TOOL_URL": tool_url,
        "LTI_PLATFORMS_FILE": str(tmp / "platforms.json"),
        "TOOL_KEYS_DIR": str(tmp / "keys"),
        "CACHE_DIR": str(tmp / "cache"),
        "GUNICORN_BIND": f"127.0.0.1:{tool_port}",
        "GUNICORN_WORKERS": str(TOOL_WORKERS),
        "GUNICORN_ACCESS_LOG": "",
        "LEARN_APP_KEY": DEFAULT_LEARN_APP_KEY,
        "LEARN_APP_SECRET": DEFAULT_LEARN_APP_SECRET,
        "SERVICE_MAX_BACKOFF": "0.2",
        **(extra_tool_env or {}),
    }
    flask_cli(
        [
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
            # The page hosting the tool's frame, trusted for platform storage.
            "--platform-origin",
            platform_origin or platform_url,
        ],
        tool_env,
    )
    platform = ServerProcess(
        "platform",
        [sys.executable, "-m", "devplatform", "--port", str(platform_port)],
        {
            "DEVPLATFORM_URL": platform_url,
            "DEVPLATFORM_TOOL_URL": tool_url,
            "DEVPLATFORM_DATA_DIR": str(tmp / "platform"),
        },
        tmp,
    )
    tool = ServerProcess(
        "tool",
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        tool_env,
        tmp,
    )
    try:
        platform.wait_until_ready(f"{platform_url}/admin/stats")
        tool.wait_until_ready(f"{tool_url}/healthz")
    except RuntimeError:
        tool.stop()
        platform.stop()
        raise
    return Stack(tool_url, platform_url, tool, platform, tool_env)


@dataclass
class PendingLaunch:
    """An id_token posted back by the platform, not yet sent to the tool."""

    action: str
    fields: dict[str, str]
    cookies: dict[str, str]

    def send(self, session: requests.Session | None = None) -> requests.Response:
        """Post it to the tool's launch URL with the browser's state cookie."""
        poster = session or requests
        return poster.post(
            self.action, data=self.fields, cookies=self.cookies, timeout=15
        )


def begin_launch(
    stack: Stack,
    user: str = "instructor",
    method: str = "POST",
    link: str = "_18938_1",
) -> PendingLaunch:
    """Walk a launch as a browser would, up to the launch POST."""
    start = requests.get(
        f"{stack.platform_url}/launch/start",
        # Without a browser there is no platform storage: the cookie path.
        params={"user": user, "link": link, "method": method, "storage": "off"},
        timeout=10,
    )
    start.raise_for_status()
    initiation = first_form(start.text)

    if initiation.method == "GET":
        login = requests.get(
            initiation.action,
            params=initiation.fields,
            allow_redirects=False,
            timeout=10,
        )
    else:
        login = requests.post(
            initiation.action,
            data=initiation.fields,
            allow_redirects=False,
            timeout=10,
        )
    assert login.status_code == 302, login.text
    # requests keeps Secure cookies off plain http; a browser on loopback sends
    # them, so the test carries the cookie itself.
    cookies = {c.name: c.value or "" for c in login.cookies}

    auth = requests.get(login.headers["Location"], timeout=10)
    auth.raise_for_status()
    response_form = first_form(auth.text)
    assert "id_token" in response_form.fields, auth.text
    return PendingLaunch(response_form.action, response_form.fields, cookies)
