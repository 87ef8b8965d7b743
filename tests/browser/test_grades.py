"""In Chromium: a learner's quiz and an instructor's grade reach the platform's
gradebook, seen on the platform's own gradebook page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.stack import Stack

# A browser that stops answering (rare, seen on loaded machines) is retried
# once; any other failure is not.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.flaky(reruns=1, only_rerun=["Timeout"]),
]

RIGHT_ANSWERS = {"q0": "1", "q1": "0", "q2": "2"}


@pytest.fixture
def fresh_gradebook(stack: Stack) -> Iterator[Stack]:
    stack.admin("reset-gradebook")
    yield stack


def test_learner_quiz_score_appears_in_the_gradebook(
    fresh_gradebook: Stack, page: Page
) -> None:
    stack = fresh_gradebook
    page.goto(f"{stack.platform_url}/launch?user=learner&link=_18938_1&method=POST")
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#activity-title")).to_be_visible(timeout=15000)
    expect(tool.locator("#activity-result")).to_have_attribute("data-state", "none")

    for name, value in RIGHT_ANSWERS.items():
        tool.locator(f'input[name="{name}"][value="{value}"]').check()
    tool.locator("#activity-submit").click()

    result = tool.locator("#activity-result")
    expect(result).to_have_attribute("data-state", "graded", timeout=15000)
    expect(result).to_contain_text("30 / 30")

    page.goto(f"{stack.platform_url}/gradebook")
    cell = page.locator('td.score[data-user="learner"][data-item="_7454_1"]')
    expect(cell).to_have_text("30")


def test_instructor_grades_a_learner_with_a_comment(
    fresh_gradebook: Stack, page: Page
) -> None:
    stack = fresh_gradebook
    page.goto(f"{stack.platform_url}/launch?user=instructor&link=_18938_1&method=POST")
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#gradebook")).to_have_attribute(
        "data-loaded", "true", timeout=15000
    )
    expect(tool.locator("#line-items tbody tr")).to_have_count(2)

    tool.locator("#grade-user").select_option(label="Lars Learner")
    tool.locator("#grade-item").select_option(label="Participation")
    tool.locator('#grade-form input[name="score"]').fill("8")
    tool.locator('#grade-form input[name="maximum"]').fill("10")
    tool.locator('#grade-form input[name="comment"]').fill("Good participation")
    tool.locator("#grade-form button").click()
    expect(tool.locator("#gradebook-status")).to_have_attribute(
        "data-state", "ok", timeout=15000
    )

    page.goto(f"{stack.platform_url}/gradebook")
    cell = page.locator('td.score[data-user="learner"][data-item="_7455_1"]')
    expect(cell).to_have_text("8")
    expect(cell).to_have_attribute("data-comment", "Good participation")


def test_instructor_adds_and_renames_a_column(
    fresh_gradebook: Stack, page: Page
) -> None:
    stack = fresh_gradebook
    page.goto(f"{stack.platform_url}/launch?user=instructor&link=_18938_1&method=POST")
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#line-items tbody tr")).to_have_count(2, timeout=15000)

    tool.locator('#create-line-item input[name="label"]').fill("Lab report")
    tool.locator("#create-line-item button").click()
    expect(tool.locator("#line-items tbody tr")).to_have_count(3, timeout=15000)

    page.once("dialog", lambda dialog: dialog.accept("Lab report (final)"))
    tool.locator('tr[data-label="Lab report"] button', has_text="Rename").click()
    expect(tool.locator('tr[data-label="Lab report (final)"]')).to_be_visible(
        timeout=15000
    )
