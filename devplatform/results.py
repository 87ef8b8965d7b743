"""AGS results: a stored score as the tool reads it back, on the item's scale."""

from __future__ import annotations

import logging
from typing import Any

from .lineitems import LineItem
from .scores import Score

logger = logging.getLogger(__name__)

DECIMALS = 4


def scaled_score(item: LineItem, score: Score) -> float | None:
    """Return the score on the line item's scale, as Learn's gradebook shows it.

    ``8`` out of ``10`` on a 30-point item is ``24``; None without a score.
    """
    if score.score_given is None or score.score_maximum is None:
        return None
    value = score.score_given * item.fields.score_maximum / score.score_maximum
    return tidy_number(value)


def tidy_number(value: float) -> float:
    """Return ``value`` rounded, and as an int when it is a whole number."""
    rounded = round(value, DECIMALS)
    return int(rounded) if float(rounded).is_integer() else rounded


def result_json(
    item: LineItem, score: Score, platform_url: str, *, with_comment: bool = True
) -> dict[str, Any]:
    """Return one result; ``with_comment`` False leaves the comment out."""
    result: dict[str, Any] = {
        "id": item.service_url(platform_url, f"/results/{score.user_id}"),
        "scoreOf": item.url(platform_url),
        "userId": score.user_id,
        "resultMaximum": item.fields.score_maximum,
    }
    scaled = scaled_score(item, score)
    if scaled is not None:
        result["resultScore"] = scaled
    if with_comment and score.comment is not None:
        result["comment"] = score.comment
    return result
