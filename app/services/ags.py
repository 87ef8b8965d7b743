"""Assignment and Grade Services 2.0: line items, scores and results.

Complete, and correct on Blackboard Learn:
- line items are listed (with every filter, across ``rel="next"`` pages),
  read, created, updated (PUT with the full item) and deleted;
- scores carry every field, an ISO 8601 timestamp with milliseconds and an
  offset, and always a comment (Learn erases the comment of a score sent
  without one);
- results are read across pages and filtered by user here, since Learn drops
  comments when the platform filters;
- ``/scores`` and ``/results`` are added to the line item URL's path, keeping
  its query string; paging never leaves the host the claim named.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from app import errors
from app.lti.claims import AGS_ENDPOINT, Launch
from app.lti.urls import add_query
from app.services.calls import send_with_token
from app.services.lti_services import lti_token_source
from app.services.lti_token import LtiTokenSource
from app.services.responses import json_body, same_origin_link

logger = logging.getLogger(__name__)

SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/"
SCOPE_LINEITEM = SCOPE + "lineitem"
SCOPE_LINEITEM_READONLY = SCOPE + "lineitem.readonly"
SCOPE_RESULT_READONLY = SCOPE + "result.readonly"
SCOPE_SCORE = SCOPE + "score"

LINEITEM_CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
RESULT_CONTAINER_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"

ACTIVITY_PROGRESS = ("Initialized", "Started", "InProgress", "Submitted", "Completed")
GRADING_PROGRESS = ("FullyGraded", "Pending", "PendingManual", "Failed", "NotReady")
MAX_PAGES = 100


@dataclass
class LineItem:
    """A gradebook column."""

    label: str
    score_maximum: float
    id: str | None = None
    resource_link_id: str | None = None
    resource_id: str | None = None
    tag: str | None = None
    start_date_time: str | None = None
    end_date_time: str | None = None
    grades_released: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    _FIELDS = {
        "id": "id",
        "label": "label",
        "scoreMaximum": "score_maximum",
        "resourceLinkId": "resource_link_id",
        "resourceId": "resource_id",
        "tag": "tag",
        "startDateTime": "start_date_time",
        "endDateTime": "end_date_time",
        "gradesReleased": "grades_released",
    }

    def to_json(self) -> dict[str, Any]:
        """The item as the service wants it; unknown fields kept as received."""
        body = dict(self.extra)
        for name, attribute in self._FIELDS.items():
            value = getattr(self, attribute)
            if value is not None:
                body[name] = value
        return body

    @classmethod
    def from_json(cls, data: Any) -> LineItem:
        """Read a line item from the service."""
        if not isinstance(data, dict):
            raise errors.ServiceError("grades: a line item is not a JSON object")
        known: dict[str, Any] = {
            a: data.get(n) for n, a in cls._FIELDS.items() if n in data
        }
        extra = {k: v for k, v in data.items() if k not in cls._FIELDS}
        try:
            known["score_maximum"] = float(data["scoreMaximum"])
            known["label"] = str(data["label"])
        except (KeyError, TypeError, ValueError) as e:
            raise errors.ServiceError(
                "grades: a line item lacks label or scoreMaximum"
            ) from e
        return cls(**known, extra=extra)


@dataclass
class Score:
    """A score for one user on one line item."""

    user_id: str
    activity_progress: str
    grading_progress: str
    score_given: float | None = None
    score_maximum: float | None = None
    comment: str = ""
    timestamp: str | None = None
    submission: dict[str, str] | None = None
    scoring_user_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The score body, with a timestamp to the millisecond."""
        if self.activity_progress not in ACTIVITY_PROGRESS:
            raise ValueError(f"activityProgress {self.activity_progress!r}")
        if self.grading_progress not in GRADING_PROGRESS:
            raise ValueError(f"gradingProgress {self.grading_progress!r}")
        if self.score_given is not None and not self.score_maximum:
            raise ValueError("scoreMaximum is required with scoreGiven")

        body: dict[str, Any] = {
            "userId": self.user_id,
            "activityProgress": self.activity_progress,
            "gradingProgress": self.grading_progress,
            "timestamp": self.timestamp or now_timestamp(),
            # Always sent: Learn erases the comment of a score without one.
            "comment": self.comment,
        }
        if self.score_given is not None:
            body["scoreGiven"] = self.score_given
            body["scoreMaximum"] = self.score_maximum
        if self.submission:
            body["submission"] = self.submission
        if self.scoring_user_id:
            body["scoringUserId"] = self.scoring_user_id
        return body


@dataclass(frozen=True)
class Result:
    """A user's current result on a line item."""

    user_id: str
    result_score: float | None
    result_maximum: float | None
    comment: str | None
    id: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        """Read a result from the service."""
        return cls(
            user_id=str(data.get("userId", "")),
            result_score=data.get("resultScore"),
            result_maximum=data.get("resultMaximum"),
            comment=data.get("comment"),
            id=data.get("id"),
        )


def now_timestamp() -> str:
    """The current time in ISO 8601 with milliseconds and offset."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def service_url(line_item_url: str, endpoint: str) -> str:
    """``<line item>/<endpoint>``, keeping the line item URL's query string."""
    parts = urlsplit(line_item_url)
    path = parts.path.rstrip("/") + "/" + endpoint
    return urlunsplit(parts._replace(path=path))


class AgsClient:
    """The grade services a launch offers, called with the launch's token."""

    def __init__(self, launch: Launch, token_source: LtiTokenSource | None = None):
        claim = launch.claims.get(AGS_ENDPOINT)
        if not isinstance(claim, dict):
            raise errors.ServiceNotOfferedError(
                "the launch offers no grade service (AGS)"
            )
        self.claim = claim
        self.lineitems_url: str | None = claim.get("lineitems") or None
        self.lineitem_url: str | None = claim.get("lineitem") or None
        self.offered = frozenset(claim.get("scope") or ())
        self.tokens = token_source or lti_token_source(launch)

    # --- plumbing ----------------------------------------------------------

    def _own_url(self, url: str) -> str:
        """Refuse a line item URL on another host than the claim's."""
        claimed = self.lineitems_url or self.lineitem_url
        if not claimed:
            raise errors.ServiceNotOfferedError("the launch names no grade service URL")
        return same_origin_link(claimed, url)

    def _token_for(self, *scopes: str) -> None:
        """Check that one of ``scopes`` is offered and granted."""
        offered = [s for s in scopes if s in self.offered]
        if not offered:
            raise errors.ServiceNotOfferedError(
                f"the launch does not offer {' or '.join(scopes)}"
            )
        granted = self.tokens.get().scopes
        if not any(s in granted for s in offered):
            raise errors.ScopeNotGrantedError(
                f"the platform did not grant {' or '.join(offered)}"
            )

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        response = send_with_token(method, url, self.tokens, **kwargs)
        if response.status_code == 400 and "User could not be found" in response.text:
            raise errors.UnknownUserError(
                "the user is not enrolled in this course", upstream_status=400
            )
        if response.status_code == 422 and "attempts" in response.text:
            raise errors.AttemptLimitError(
                "the maximum number of attempts has been reached", upstream_status=422
            )
        if response.status_code == 404:
            raise errors.ServiceNotFoundError(
                "grades: no such line item", upstream_status=404
            )
        return response

    def _container_url(self) -> str:
        if not self.lineitems_url:
            raise errors.ServiceNotOfferedError(
                "the launch offers no line item container (lineitems)"
            )
        return self.lineitems_url

    def _pages(self, url: str, media_type: str, what: str) -> list[Any]:
        first = url
        items: list[Any] = []
        next_url: str | None = url
        for _ in range(MAX_PAGES):
            if next_url is None:
                return items
            response = self._send("GET", next_url, headers={"Accept": media_type})
            page = json_body(response, what)
            if not isinstance(page, list):
                raise errors.ServiceError(f"{what}: the answer is not a list")
            items += page
            link = response.links.get("next", {}).get("url")
            next_url = same_origin_link(first, link) if link else None
        raise errors.ServiceError(f"{what}: more than {MAX_PAGES} pages")

    # --- line items ----------------------------------------------------------

    def line_items(
        self,
        resource_link_id: str | None = None,
        resource_id: str | None = None,
        tag: str | None = None,
        limit: int | None = None,
    ) -> list[LineItem]:
        """The course's line items, filtered as asked, across all pages."""
        self._token_for(SCOPE_LINEITEM_READONLY, SCOPE_LINEITEM)
        filters = {
            "resource_link_id": resource_link_id,
            "resource_id": resource_id,
            "tag": tag,
            "limit": str(limit) if limit else None,
        }
        url = add_query(self._container_url(), {k: v for k, v in filters.items() if v})
        pages = self._pages(url, LINEITEM_CONTAINER_TYPE, "line items")
        return [LineItem.from_json(item) for item in pages]

    def get_line_item(self, url: str) -> LineItem:
        """One line item by its URL (its id)."""
        self._token_for(SCOPE_LINEITEM_READONLY, SCOPE_LINEITEM)
        response = self._send(
            "GET", self._own_url(url), headers={"Accept": LINEITEM_TYPE}
        )
        return LineItem.from_json(json_body(response, "line item"))

    def create_line_item(self, item: LineItem) -> LineItem:
        """Create a line item in the course's container."""
        self._token_for(SCOPE_LINEITEM)
        response = self._send(
            "POST",
            self._container_url(),
            json=item.to_json(),
            headers={"Content-Type": LINEITEM_TYPE, "Accept": LINEITEM_TYPE},
        )
        return LineItem.from_json(json_body(response, "create line item"))

    def update_line_item(self, item: LineItem) -> LineItem:
        """Replace a line item with ``item`` (PUT with the full item)."""
        self._token_for(SCOPE_LINEITEM)
        if not item.id:
            raise ValueError("a line item needs its id to be updated")
        response = self._send(
            "PUT",
            self._own_url(item.id),
            json=item.to_json(),
            headers={"Content-Type": LINEITEM_TYPE, "Accept": LINEITEM_TYPE},
        )
        return LineItem.from_json(json_body(response, "update line item"))

    def delete_line_item(self, url: str) -> None:
        """Delete a line item and its results."""
        self._token_for(SCOPE_LINEITEM)
        json_or_empty(self._send("DELETE", self._own_url(url)), "delete line item")

    # --- scores and results -------------------------------------------------

    def post_score(self, line_item_url: str, score: Score) -> None:
        """Send a score for a user on a line item."""
        self._token_for(SCOPE_SCORE)
        response = self._send(
            "POST",
            service_url(self._own_url(line_item_url), "scores"),
            json=score.to_json(),
            headers={"Content-Type": SCORE_TYPE},
        )
        json_or_empty(response, "post score")

    def results(self, line_item_url: str, user_id: str | None = None) -> list[Result]:
        """The results of a line item (of one user when given), all pages.

        The user filter is applied here: Learn drops comments when the
        platform filters by ``user_id``.
        """
        self._token_for(SCOPE_RESULT_READONLY)
        url = service_url(self._own_url(line_item_url), "results")
        pages = self._pages(url, RESULT_CONTAINER_TYPE, "results")
        results = [Result.from_json(r) for r in pages if isinstance(r, dict)]
        if user_id is not None:
            results = [r for r in results if r.user_id == user_id]
        return results


def json_or_empty(response: requests.Response, what: str) -> None:
    """Accept any 2xx answer, with or without a body."""
    if response.ok:
        return
    json_body(response, what)
