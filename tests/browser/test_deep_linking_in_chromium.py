"""In Chromium: an instructor places two activities from the platform's course
page; a learner opens one, and the score reaches the line item made for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.stack import Stack

# A browser that stops answering (rare, seen on loaded machines) is retried
# once; any other failure is not.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.flaky(reruns=1, only_rerun=["Timeout"]),
]

QUIZ_2_ANSWERS = {"q0": "1", "q1": "0", "q2": "1"}


@pytest.fixture
def fresh_course(stack: Stack) -> Iterator[Stack]:
    stack.admin("reset-content")
    stack.admin("reset-gradebook")
    yield stack
    stack.admin("reset-content")


def admin_get(stack: Stack, path: str) -> dict[str, object]:
    result: dict[str, object] = requests.get(
        f"{stack.platform_url}/admin/{path}", timeout=5
    ).json()
    return result


def test_instructor_places_two_items_and_a_learner_is_graded(
    fresh_course: Stack, page: Page
) -> None:
    stack = fresh_course
    page.goto(f"{stack.platform_url}/?user=instructor")
    page.locator("#add-content").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#picker")).to_be_visible(timeout=15000)

    tool.locator('input[name="activity"][value="quiz-1"]').check()
    tool.locator('input[name="activity"][value="quiz-2"]').check()
    tool.locator('input[name="quiz-2.title"]').fill("Quiz 2 (graded)")
    tool.locator('input[name="quiz-2.points"]').fill("30")
    tool.locator('input[name="quiz-1.gradable"]').uncheck()
    tool.locator("#picker-add").click()

    expect(tool.locator("#deep-link-result")).to_have_attribute(
        "data-added", "2", timeout=15000
    )
    response = admin_get(stack, "deep-linking")
    assert response["ok"] is True
    content = admin_get(stack, "content")
    placed = [
        link
        for link in content["links"]  # type: ignore[attr-defined]
        if link["title"] in ("Quiz 1: How a launch works", "Quiz 2 (graded)")
        and link["id"].startswith("_190")
    ]
    assert len(placed) == 2
    graded = next(link for link in placed if link["title"] == "Quiz 2 (graded)")
    assert graded["custom"]["activity"] == "quiz-2" and graded["line_item"]

    # The learner opens the placed, gradable item from the course page.
    page.goto(
        f"{stack.platform_url}/launch?user=learner&link={graded['id']}&method=POST"
    )
    expect(tool.locator("#activity-title")).to_have_text(
        "Quiz 2: Roles and grades", timeout=15000
    )
    for name, value in QUIZ_2_ANSWERS.items():
        tool.locator(f'input[name="{name}"][value="{value}"]').check()
    tool.locator("#activity-submit").click()
    expect(tool.locator("#activity-result")).to_have_attribute(
        "data-state", "graded", timeout=15000
    )

    scores = admin_get(stack, "gradebook")["scores"]
    (score,) = [
        s
        for s in scores  # type: ignore[attr-defined]
        if s["line_item"] == graded["line_item"]
    ]
    assert score["score_given"] == 30 and score["score_maximum"] == 30


def test_a_learner_cannot_place_content(fresh_course: Stack, page: Page) -> None:
    page.goto(
        f"{fresh_course.platform_url}/launch?user=learner&deep_link=1&method=POST"
    )

    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#error-code")).to_have_text("session.forbidden", timeout=15000)


def test_cancel_places_nothing(fresh_course: Stack, page: Page) -> None:
    page.goto(f"{fresh_course.platform_url}/?user=instructor")
    page.locator("#add-content").click()
    tool = page.frame_locator("#tool-frame")
    expect(tool.locator("#picker")).to_be_visible(timeout=15000)

    tool.locator("#picker-cancel").click()

    expect(tool.locator("#deep-link-result")).to_have_attribute(
        "data-added", "0", timeout=15000
    )
