"""In Chromium: the course page answers the tool frame's storage messages.

The platform runs in this process on ``localhost``; a stand-in tool on
``127.0.0.1`` (another site) answers the login initiation with a probe page
that asks the course page over postMessage and writes down the replies.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from devplatform import create_app
from tests.devplatform.toolside import ToolKeyServer, free_port

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
TIMEOUT_MS = 15000

# Asks one question and resolves to the reply of the same message_id, or null.
ASK = """
let counter = 0;
function ask(target, subject, fields) {
  return new Promise((resolve) => {
    const id = "probe-" + ++counter;
    const timer = setTimeout(() => finish(null), 700);
    function finish(reply) {
      clearTimeout(timer);
      window.removeEventListener("message", listen);
      resolve(reply);
    }
    function listen(event) {
      const data = event.data;
      if (data && data.message_id === id && data.subject === subject + ".response") {
        finish({ origin: event.origin, data: event.data });
      }
    }
    window.addEventListener("message", listen);
    target.postMessage(Object.assign({ subject, message_id: id }, fields), "*");
  });
}
function report(results) {
  document.body.dataset.result = JSON.stringify(results);
}
"""
PROBE = """
(async () => {
  const top = window.parent;
  report({
    capabilities: await ask(top, "lti.capabilities", {}),
    old_capabilities: await ask(top, "org.imsglobal.lti.capabilities", {}),
    put: await ask(top, "lti.put_data", { key: "state_abc", value: "abc" }),
    get: await ask(top, "lti.get_data", { key: "state_abc" }),
    old_get: await ask(top, "org.imsglobal.lti.get_data", { key: "state_abc" }),
    missing: await ask(top, "lti.get_data", { key: "nothing" }),
    unknown: await ask(top, "lti.close", {}),
  });
})();
"""
# From another origin, or from a frame inside the tool frame.
OTHER = """
(async () => {
  report({ other: await ask(window.parent, "lti.get_data", { key: "state_abc" }) });
})();
"""
NESTED = """
(async () => {
  report({ capabilities: await ask(window.top, "lti.capabilities", {}) });
})();
"""


def _page(script: str, extra: str = "") -> str:
    """Return a tool page that runs ``script`` after the helpers."""
    return (
        f"<!doctype html><html><body>{extra}"
        f"<script>{ASK}{script}</script></body></html>"
    )


@Request.application
def _tool(request: Request) -> Response:
    """The stand-in tool: the probe at the login URL, and two helper pages."""
    pages = {
        "/lti/login": _page(PROBE, '<iframe id="nested" src="/nested"></iframe>'),
        "/other": _page(OTHER),
        "/nested": _page(NESTED),
    }
    body = pages.get(request.path)
    if body is None:
        return Response("not found", status=404)
    return Response(body, mimetype="text/html")


class _Server:
    """A WSGI app served on 127.0.0.1 from a thread."""

    def __init__(self, app: Any, port: int) -> None:
        self._server: BaseWSGIServer = make_server(
            "127.0.0.1", port, app, threaded=True
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Shut the server down."""
        self._server.shutdown()
        self._thread.join(5)
        self._server.server_close()


@pytest.fixture(scope="module")
def sites(
    tmp_path_factory: pytest.TempPathFactory, tool_key_server: ToolKeyServer
) -> Iterator[tuple[str, str, Flask]]:
    """Start the platform and the stand-in tool; yield their URLs and the app."""
    platform_port, tool_port = free_port(), free_port()
    platform_url = f"http://localhost:{platform_port}"
    tool_url = f"http://127.0.0.1:{tool_port}"
    app = create_app(
        {
            "DEVPLATFORM_URL": platform_url,
            "DEVPLATFORM_TOOL_URL": tool_url,
            "DEVPLATFORM_DATA_DIR": str(tmp_path_factory.mktemp("platform")),
            "DEVPLATFORM_SECRET": "browser-test-secret",
            "DEVPLATFORM_TOOL_JWKS_URL": tool_key_server.url,
        }
    )
    servers = [_Server(app, platform_port), _Server(_tool, tool_port)]
    yield platform_url, tool_url, app
    for server in servers:
        server.stop()


@pytest.fixture
def page(browser: Any, sites: tuple[str, str, Flask]) -> Iterator[Any]:
    """Return a fresh browser page; storage tampering is off again afterwards."""
    context = browser.new_context()
    yield context.new_page()
    context.close()
    sites[2].extensions["devplatform"].runtime.update({"storage_tamper": "none"})


def _open(page: Any, platform_url: str, storage: str = "on") -> Any:
    """Open a launch on the course page and return the tool frame."""
    page.goto(f"{platform_url}/launch?user=learner&link=_18938_1&storage={storage}")
    return page.frame_locator("#tool-frame")


def _results(frame: Any, marker: str = "") -> dict[str, Any]:
    """Wait for the probe in ``frame`` to finish and return its replies.

    With ``marker``, wait for results that name it.
    """
    selector = f"body[data-result*='{marker}']" if marker else "body[data-result]"
    body = frame.locator(selector)
    body.wait_for(state="attached", timeout=TIMEOUT_MS)
    results: dict[str, Any] = json.loads(body.get_attribute("data-result"))
    return results


def test_the_course_page_answers_every_message(
    page: Any, sites: tuple[str, str, Flask]
):
    platform_url, _, _ = sites
    results = _results(_open(page, platform_url))

    assert {reply["origin"] for reply in results.values()} == {platform_url}
    assert results["capabilities"]["data"] == {
        "subject": "lti.capabilities.response",
        "message_id": "probe-1",
        "supported_messages": [
            {"subject": "lti.capabilities"},
            {"subject": "lti.put_data"},
            {"subject": "lti.get_data"},
        ],
    }
    old = results["old_capabilities"]["data"]
    assert old["subject"] == "org.imsglobal.lti.capabilities.response"
    assert [m["subject"] for m in old["supported_messages"]] == [
        "org.imsglobal.lti.capabilities",
        "org.imsglobal.lti.put_data",
        "org.imsglobal.lti.get_data",
    ]
    assert results["put"]["data"] == {
        "subject": "lti.put_data.response",
        "message_id": "probe-3",
        "key": "state_abc",
        "value": "abc",
    }
    assert results["get"]["data"]["value"] == "abc"
    assert results["old_get"]["data"]["subject"] == (
        "org.imsglobal.lti.get_data.response"
    )
    assert results["old_get"]["data"]["value"] == "abc"
    assert results["missing"]["data"] == {
        "subject": "lti.get_data.response",
        "message_id": "probe-6",
        "key": "nothing",
    }
    unknown = results["unknown"]["data"]
    assert unknown["subject"] == "lti.close.response"
    assert unknown["error"]["code"] == "unsupported_subject"


@pytest.mark.parametrize(
    ("tamper", "expected"), [("drop", None), ("mismatch", "abc-tampered")]
)
def test_tampering_spoils_get_data(
    page: Any, sites: tuple[str, str, Flask], tamper: str, expected: Any
):
    platform_url, _, app = sites
    app.extensions["devplatform"].runtime.update({"storage_tamper": tamper})

    results = _results(_open(page, platform_url))

    assert results["put"]["data"]["value"] == "abc"
    assert results["get"]["data"].get("value") == expected
    assert results["get"]["data"]["key"] == "state_abc"


def test_values_are_kept_apart_per_origin(page: Any, sites: tuple[str, str, Flask]):
    platform_url, tool_url, _ = sites
    frame = _open(page, platform_url)
    _results(frame)

    # The same stand-in tool under another origin reads nothing back.
    other_origin = tool_url.replace("127.0.0.1", "localhost")
    page.frame(name="tool_frame").evaluate(
        "url => { window.location.href = url; }", other_origin + "/other"
    )
    results = _results(page.frame_locator("#tool-frame"), marker='"other"')

    assert results["other"]["origin"] == platform_url
    assert "value" not in results["other"]["data"]


def test_frames_inside_the_tool_frame_get_no_answer(
    page: Any, sites: tuple[str, str, Flask]
):
    platform_url, _, _ = sites
    nested = _open(page, platform_url).frame_locator("#nested")

    assert _results(nested) == {"capabilities": None}


def test_the_page_itself_gets_no_answer(page: Any, sites: tuple[str, str, Flask]):
    platform_url, _, _ = sites
    page.goto(f"{platform_url}/")
    page.add_script_tag(content=ASK)

    reply = page.evaluate('ask(window, "lti.capabilities", {})')

    assert reply is None


def test_no_answer_when_storage_is_off(page: Any, sites: tuple[str, str, Flask]):
    platform_url, _, _ = sites
    results = _results(_open(page, platform_url, storage="off"))

    assert set(results.values()) == {None}
