"""The tool's side of AGS calls in the devplatform tests: URLs, types, bodies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from requests.utils import parse_header_links

from tests.devplatform.toolside import AGS, bearer

PLATFORM = "http://localhost:5001"
LINEITEMS = "/learn/api/v1/lti/courses/_122_1/lineItems"
QUIZ = LINEITEMS + "/_7454_1"
PARTICIPATION = LINEITEMS + "/_7455_1"
PLACEMENT = "?placement=_553_1"

CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"

LINEITEM = AGS + "lineitem"
LINEITEM_READONLY = AGS + "lineitem.readonly"
RESULT_READONLY = AGS + "result.readonly"
SCORE = AGS + "score"

LEARNER = "8379c4ba57cc492fb621f01c0064cee7"
PREVIEW = "0bb2babfd0274c4aaaf15cd3f78eeec7"
DROPPED = "c2a41e7d9b8f4f0da3c65e21b7d04f19"

START = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def stamp(milliseconds: int = 0) -> str:
    """Return an ISO 8601 UTC timestamp ``milliseconds`` after a fixed start."""
    moment = START + timedelta(milliseconds=milliseconds)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def score(
    user_id: str = LEARNER, at: int = 0, given: float | None = 20, **extra: Any
) -> dict[str, Any]:
    """Return a valid score body; ``extra`` adds or replaces members."""
    body: dict[str, Any] = {
        "userId": user_id,
        "timestamp": stamp(at),
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
    }
    if given is not None:
        body.update(scoreGiven=given, scoreMaximum=30)
    body.update(extra)
    return {k: v for k, v in body.items() if v is not None}


def headers(token: str, **more: str) -> dict[str, str]:
    """Return the bearer header with more headers, ``Content_Type`` style."""
    values = bearer(token)
    values.update({name.replace("_", "-"): value for name, value in more.items()})
    return values


def links(response: Any) -> dict[str, str]:
    """Return the response's ``Link`` header as {rel: url}."""
    header = response.headers.get("Link", "")
    return {link["rel"]: link["url"] for link in parse_header_links(header)}


def path_of(url: str) -> str:
    """Return the path and query of an absolute platform URL."""
    assert url.startswith(PLATFORM), url
    return url[len(PLATFORM) :]
