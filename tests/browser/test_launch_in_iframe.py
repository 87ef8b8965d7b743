"""In Chromium: the local platform launches the tool inside its iframe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.stack import Stack

# A browser that stops answering (rare, seen on loaded machines) is retried
# once; any other failure is not.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.flaky(reruns=1, only_rerun=["Timeout"]),
]


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize(
    ("user", "name", "view", "role"),
    [
        ("instructor", "Ingrid Instructor", "#instructor-view", "Instructor"),
        ("learner", "Lars Learner", "#learner-view", "Learner"),
        ("ta", "Tara Assistant", "#instructor-view", "Teaching assistant"),
        ("preview", "Student Preview", "#learner-view", "Student Preview"),
    ],
)
def test_launch_in_the_platforms_iframe(
    stack: Stack, page: Page, method: str, user: str, name: str, view: str, role: str
) -> None:
    page.goto(f"{stack.platform_url}/launch?user={user}&link=_18938_1&method={method}")
    tool = page.frame_locator("#tool-frame")

    expect(tool.locator("#greeting")).to_have_text(f"Hello, {name}", timeout=15000)
    expect(tool.locator(view)).to_be_visible()
    expect(tool.locator("#course-role")).to_have_text(role)
    # The page's follow-up request works with the launch token, not a cookie.
    tool.locator("#launch-details summary").click()
    expect(tool.locator("#session-check")).to_have_attribute("data-state", "ok")


def test_launch_by_clicking_in_the_course(stack: Stack, page: Page) -> None:
    page.goto(stack.platform_url + "/")
    page.select_option("#user", "learner")
    page.locator('[data-launch="_18938_1"]').click()

    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#greeting")).to_have_text("Hello, Lars Learner", timeout=15000)
