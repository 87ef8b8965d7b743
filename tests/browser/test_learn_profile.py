"""In Chromium: three-legged Learn authorization from inside the iframe."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.stack import Stack

# A browser that stops answering (rare, seen on loaded machines) is retried
# once; any other failure is not.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.flaky(reruns=1, only_rerun=["Timeout"]),
]


def test_my_learn_profile_with_consent_then_refresh(stack: Stack, page: Page) -> None:
    stack.admin("settings", {"token_lifetime": 3, "skip_consent": False})
    stack.admin("reset-stats")
    page.goto(f"{stack.platform_url}/launch?user=learner&link=_18938_1&method=POST")
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#greeting")).to_have_text("Hello, Lars Learner", timeout=15000)

    # No Learn token yet: the tool sends the frame to Learn's consent page.
    tool.locator('[data-feature="profile"]').click()
    tool.locator("#consent-allow").click()

    result = tool.locator("#feature-result")
    expect(result).to_have_attribute("data-state", "ok", timeout=15000)
    expect(result).to_contain_text("Your Learn profile")
    expect(result).to_contain_text("Lars")
    grants = stack.platform_stats()["learn_tokens_by_grant"]
    assert grants.get("authorization_code") == 1

    # The access token expires; the next call uses the refresh token, no consent.
    time.sleep(3.5)
    tool.locator('[data-feature="course"]').click()
    expect(result).to_have_attribute("data-feature", "course", timeout=15000)
    tool.locator('[data-feature="profile"]').click()
    expect(result).to_have_attribute("data-feature", "profile", timeout=15000)
    expect(result).to_contain_text("Lars")
    grants = stack.platform_stats()["learn_tokens_by_grant"]
    assert grants.get("refresh_token") == 1
    assert grants.get("authorization_code") == 1
    stack.admin("settings", {"token_lifetime": 3600})


def test_declining_consent_says_so(stack: Stack, page: Page) -> None:
    stack.admin("settings", {"skip_consent": False})
    page.goto(f"{stack.platform_url}/launch?user=ta&link=_18938_1&method=POST")
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#greeting")).to_contain_text("Tara", timeout=15000)

    tool.locator('[data-feature="profile"]').click()
    tool.locator("#consent-deny").click()

    expect(tool.locator("#learn-message")).to_contain_text("access_denied")
    tool.locator("#return-form button").click()
    expect(tool.locator("#greeting")).to_contain_text("Tara")
