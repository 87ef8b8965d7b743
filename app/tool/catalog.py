"""The demo's activities: what a placed link opens, and what it is worth.

A forker replaces this with the tool's own content. A resource link names its
activity in the custom parameter ``activity`` (set by the placement, or by a
deep-linking response), never in its URL.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """One multiple-choice question; ``answer`` is the index of the right choice."""

    prompt: str
    choices: tuple[str, ...]
    answer: int


@dataclass(frozen=True)
class Activity:
    """A short quiz that posts its score to the gradebook."""

    id: str
    title: str
    description: str
    questions: tuple[Question, ...]
    points_per_question: int = 10

    @property
    def score_maximum(self) -> int:
        """The most points the activity gives."""
        return self.points_per_question * len(self.questions)

    def grade(self, answers: dict[int, int]) -> int:
        """Points earned for ``answers`` (question index to choice index)."""
        return self.points_per_question * sum(
            1 for i, q in enumerate(self.questions) if answers.get(i) == q.answer
        )


ACTIVITIES = {
    activity.id: activity
    for activity in (
        Activity(
            id="quiz-1",
            title="Quiz 1: How a launch works",
            description="Three questions on the login initiation and the id_token.",
            questions=(
                Question(
                    "Which request starts an LTI 1.3 launch?",
                    (
                        "The tool's JWKS fetch",
                        "The third-party login initiation",
                        "A score POST",
                    ),
                    1,
                ),
                Question(
                    "What ties the id_token to the login that asked for it?",
                    ("The nonce", "The course id", "The user's email"),
                    0,
                ),
                Question(
                    "On Learn, what tells one school from another?",
                    ("The issuer", "The client id", "The deployment id"),
                    2,
                ),
            ),
        ),
        Activity(
            id="quiz-2",
            title="Quiz 2: Roles and grades",
            description="Three questions on course roles and the grade service.",
            questions=(
                Question(
                    "Which roles decide course rights?",
                    ("Institution roles", "Context (membership) roles", "System roles"),
                    1,
                ),
                Question(
                    "Which media type does a score POST use?",
                    (
                        "application/vnd.ims.lis.v1.score+json",
                        "application/vnd.ims.lis.v2.score+json",
                        "application/json",
                    ),
                    0,
                ),
                Question(
                    "Why is a comment always sent with a score to Learn?",
                    (
                        "It is required by the spec",
                        "Learn erases the comment otherwise",
                        "For the logs",
                    ),
                    1,
                ),
            ),
        ),
    )
}
DEFAULT_ACTIVITY = "quiz-1"


def activity_for(custom: dict[str, object]) -> Activity | None:
    """The activity a launch's custom parameters name; the default when they
    name none; None when they name one the tool does not have."""
    name = custom.get("activity")
    if name is None:
        return ACTIVITIES[DEFAULT_ACTIVITY]
    return ACTIVITIES.get(str(name))
