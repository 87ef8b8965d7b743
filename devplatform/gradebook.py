"""The course's grade columns (line items) and the latest score per learner."""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Literal

from .course import PLACEMENT_ID
from .lineitems import LineItem, LineItemFields
from .scores import Score

logger = logging.getLogger(__name__)

QUIZ_ITEM = "_7454_1"
PARTICIPATION_ITEM = "_7455_1"

# The quiz's URL is the launch's ``lineitem`` claim; the participation
# column's URL carries a query string, as some Learn line item URLs do.
SEEDED_ITEMS = (
    LineItem(
        QUIZ_ITEM,
        LineItemFields(
            label="Quiz 1: How a launch works",
            score_maximum=30,
            resource_link_id="_18938_1",
            resource_id="quiz-1",
            tag="quiz",
        ),
    ),
    LineItem(
        PARTICIPATION_ITEM,
        LineItemFields(label="Participation", score_maximum=10),
        query=f"placement={PLACEMENT_ID}",
    ),
)
FIRST_NEW_NUMBER = 7456

Outcome = Literal["applied", "stale", "missing"]


class Gradebook:
    """Thread-safe line items and, per (line item, user), the score in force.

    A score replaces the stored one as a whole, so a score without a comment
    clears the comment, as Learn does.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, LineItem] = {}
        self._scores: dict[tuple[str, str], Score] = {}
        self._next_number = FIRST_NEW_NUMBER
        self.reset()

    def reset(self) -> None:
        """Go back to the seeded line items, with no scores."""
        with self._lock:
            self._items = {item.pk: item for item in SEEDED_ITEMS}
            self._scores = {}
            self._next_number = FIRST_NEW_NUMBER

    def items(self) -> list[LineItem]:
        """Return every line item, oldest first."""
        with self._lock:
            return list(self._items.values())

    def find(self, pk: str) -> LineItem | None:
        """Return the line item ``pk``, or None."""
        with self._lock:
            return self._items.get(pk)

    def create(self, fields: LineItemFields) -> LineItem:
        """Store a new line item under the next free pk and return it."""
        with self._lock:
            item = LineItem(f"_{self._next_number}_1", fields)
            self._next_number += 1
            self._items[item.pk] = item
        logger.info("created line item %s %r", item.pk, fields.label)
        return item

    def replace(self, pk: str, fields: LineItemFields) -> LineItem | None:
        """Replace every field of line item ``pk``; None if there is none."""
        with self._lock:
            current = self._items.get(pk)
            if current is None:
                return None
            item = dataclasses.replace(current, fields=fields)
            self._items[pk] = item
        return item

    def delete(self, pk: str) -> bool:
        """Remove line item ``pk`` and its scores; False if there is none."""
        with self._lock:
            if self._items.pop(pk, None) is None:
                return False
            self._scores = {
                key: score for key, score in self._scores.items() if key[0] != pk
            }
        logger.info("deleted line item %s", pk)
        return True

    def record(self, pk: str, score: Score) -> Outcome:
        """Store ``score`` unless the stored one is as recent or later."""
        with self._lock:
            if pk not in self._items:
                return "missing"
            key = (pk, score.user_id)
            stored = self._scores.get(key)
            if stored is not None and score.instant <= stored.instant:
                return "stale"
            self._scores[key] = score
        return "applied"

    def scores(self, pk: str | None = None) -> list[tuple[str, Score]]:
        """Return (line item pk, score) pairs of one item or all, by first score."""
        with self._lock:
            return [
                (item_pk, score)
                for (item_pk, _), score in self._scores.items()
                if pk is None or item_pk == pk
            ]
