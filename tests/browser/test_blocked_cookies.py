"""In Chromium with the tool's cookies blocked inside the platform's frame:
platform storage, the new-window fallback, and the refusals.

Chromium keeps Partitioned cookies even when third-party cookies are off, so
the tests block every cookie of the tool when it is embedded in the platform
with a content-setting exception, as a user or an administrator would; the
same tool opened first-party keeps its cookies.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, expect

from tests.browser.conftest import CHROMIUM_FLAGS, chromium_path
from tests.stack import Stack, start_stack

# A browser that stops answering (rare, seen on loaded machines) is retried
# once; any other failure is not.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.flaky(reruns=1, only_rerun=["Timeout"]),
]


def blocking_preferences(stack: Stack) -> dict[str, Any]:
    """Block the tool's cookies when its frame sits in the platform's page."""
    pattern = f"{stack.tool_url},{stack.platform_url}"
    return {
        "profile": {
            "content_settings": {"exceptions": {"cookies": {pattern: {"setting": 2}}}}
        }
    }


def open_context(
    playwright: Playwright, directory: Path, preferences: dict[str, Any] | None
) -> BrowserContext:
    if preferences is not None:
        (directory / "Default").mkdir(parents=True)
        (directory / "Default" / "Preferences").write_text(json.dumps(preferences))
    return playwright.chromium.launch_persistent_context(
        str(directory),
        executable_path=chromium_path(),
        headless=True,
        args=CHROMIUM_FLAGS,
    )


@pytest.fixture
def blocked(
    playwright_driver: Playwright, stack: Stack, tmp_path: Path
) -> Iterator[Page]:
    context = open_context(playwright_driver, tmp_path, blocking_preferences(stack))
    yield context.new_page()
    context.close()


def launch(page: Page, stack: Stack, user: str, storage: str) -> None:
    page.goto(
        f"{stack.platform_url}/launch?user={user}&link=_18938_1"
        f"&method=POST&storage={storage}"
    )


def test_blocked_cookies_launch_through_platform_storage(
    blocked: Page, stack: Stack
) -> None:
    stack.admin("settings", {"storage_tamper": "none"})
    launch(blocked, stack, "learner", "on")
    tool = blocked.frame_locator("#tool-frame")

    expect(tool.locator("#greeting")).to_have_text("Hello, Lars Learner", timeout=15000)
    expect(tool.locator("#state-binding")).to_have_text("platform-storage")
    # Everything after the launch works without a cookie: the quiz posts a score.
    stack.admin("reset-gradebook")
    for name, value in {"q0": "1", "q1": "0", "q2": "2"}.items():
        tool.locator(f'input[name="{name}"][value="{value}"]').check()
    tool.locator("#activity-submit").click()
    expect(tool.locator("#activity-result")).to_have_attribute(
        "data-state", "graded", timeout=15000
    )


def test_blocked_cookies_instructor_features_work(blocked: Page, stack: Stack) -> None:
    stack.admin("settings", {"storage_tamper": "none"})
    launch(blocked, stack, "instructor", "on")
    tool = blocked.frame_locator("#tool-frame")

    expect(tool.locator("#state-binding")).to_have_text(
        "platform-storage", timeout=15000
    )
    expect(tool.locator("#line-items tbody tr")).to_have_count(2, timeout=15000)
    tool.locator('[data-feature="roster"]').click()
    expect(tool.locator("#feature-result")).to_contain_text("Roster (5)")


def test_blocked_cookies_without_storage_offer_a_new_window(
    blocked: Page, stack: Stack
) -> None:
    launch(blocked, stack, "learner", "off")
    tool = blocked.frame_locator("#tool-frame")
    expect(tool.locator("#error-code")).to_have_text(
        "launch.state_missing", timeout=15000
    )

    with blocked.expect_popup() as opened:
        tool.locator("#relaunch").click()
    window = opened.value

    expect(window.locator("#greeting")).to_have_text(
        "Hello, Lars Learner", timeout=15000
    )
    expect(window.locator("#state-binding")).to_have_text("cookie")


def test_cookies_allowed_and_storage_off_use_the_cookie(
    page: Page, stack: Stack
) -> None:
    launch(page, stack, "learner", "off")
    tool = page.frame_locator("#tool-frame")

    expect(tool.locator("#greeting")).to_have_text("Hello, Lars Learner", timeout=15000)
    expect(tool.locator("#state-binding")).to_have_text("cookie")


@pytest.mark.parametrize(
    ("tamper", "code"),
    [("drop", "launch.state_missing"), ("mismatch", "launch.state_mismatch")],
)
def test_missing_or_mismatched_state_in_storage_is_refused(
    blocked: Page, stack: Stack, tamper: str, code: str
) -> None:
    stack.admin("settings", {"storage_tamper": tamper})
    try:
        launch(blocked, stack, "learner", "on")
        tool = blocked.frame_locator("#tool-frame")
        expect(tool.locator("#storage-code")).to_have_text(code, timeout=15000)
        expect(tool.locator("#relaunch")).to_be_visible()
    finally:
        stack.admin("settings", {"storage_tamper": "none"})


@pytest.fixture
def foreign_stack(tmp_path: Path) -> Iterator[Stack]:
    # The tool trusts another origin than the one whose frame will answer.
    running = start_stack(
        tmp_path / "stack",
        {"GUNICORN_WORKERS": "2"},
        platform_origin="http://localhost:9",
    )
    yield running
    running.tool.stop()
    running.platform.stop()


def test_a_reply_from_a_foreign_origin_is_ignored(
    playwright_driver: Playwright, foreign_stack: Stack, tmp_path: Path
) -> None:
    context = open_context(
        playwright_driver, tmp_path / "profile", blocking_preferences(foreign_stack)
    )
    try:
        page = context.new_page()
        launch(page, foreign_stack, "learner", "on")
        tool = page.frame_locator("#tool-frame")

        expect(tool.locator("#storage-code")).to_have_text(
            "launch.storage_unavailable", timeout=15000
        )
    finally:
        context.close()
