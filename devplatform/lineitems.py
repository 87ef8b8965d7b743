"""AGS line items: the checks on a tool's document and the JSON the tool reads."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from .documents import DocumentError, is_number
from .services import lineitem_url

logger = logging.getLogger(__name__)

# The optional string members of a line item, by JSON name.
OPTIONAL_STRINGS = {
    "resourceLinkId": "resource_link_id",
    "resourceId": "resource_id",
    "tag": "tag",
}
DATES = {
    "startDateTime": "start_date_time",
    "endDateTime": "end_date_time",
}


@dataclass(frozen=True)
class LineItemFields:
    """What a tool may set on a line item; None means the member is absent."""

    label: str
    score_maximum: float
    resource_link_id: str | None = None
    resource_id: str | None = None
    tag: str | None = None
    start_date_time: str | None = None
    end_date_time: str | None = None
    grades_released: bool | None = None


@dataclass(frozen=True)
class LineItem:
    """A stored line item: its Learn pk, its fields, and its URL's query string.

    Learn can hand out line item URLs that carry a query string; ``query`` is
    that string without the ``?``, and requests must keep it.
    """

    pk: str
    fields: LineItemFields
    query: str = ""

    def url(self, platform_url: str) -> str:
        """Return the line item's ``id``: its URL, query string included."""
        return self.service_url(platform_url, "")

    def service_url(self, platform_url: str, suffix: str) -> str:
        """Return the URL of ``/scores`` or ``/results``, keeping the query."""
        url = lineitem_url(platform_url, self.pk) + suffix
        return f"{url}?{self.query}" if self.query else url

    def query_params(self) -> dict[str, str]:
        """Return the parameters of the URL's query string."""
        return dict(parse_qsl(self.query))

    def matches_query(self, args: Mapping[str, str]) -> bool:
        """Return whether a request's query keeps every parameter of the URL's."""
        return all(args.get(k) == v for k, v in self.query_params().items())


def parse_line_item(body: Any) -> LineItemFields:
    """Check a line item document and return the fields it sets.

    :raises DocumentError: naming the first member that is missing or wrong.
    """
    if not isinstance(body, Mapping):
        raise DocumentError("body", "must be a JSON object")

    values: dict[str, Any] = {
        "label": _check_label(body.get("label")),
        "score_maximum": _check_score_maximum(body.get("scoreMaximum")),
    }
    for name, attribute in OPTIONAL_STRINGS.items():
        values[attribute] = _check_optional_string(name, body.get(name))
    for name, attribute in DATES.items():
        values[attribute] = _check_date(name, body.get(name))
    values["grades_released"] = _check_optional_bool(
        "gradesReleased", body.get("gradesReleased")
    )
    return LineItemFields(**values)


def line_item_json(item: LineItem, platform_url: str) -> dict[str, Any]:
    """Return the line item as the AGS service shows it, absent members left out."""
    fields = item.fields
    document: dict[str, Any] = {
        "id": item.url(platform_url),
        "label": fields.label,
        "scoreMaximum": fields.score_maximum,
    }
    for name, attribute in {**OPTIONAL_STRINGS, **DATES}.items():
        value = getattr(fields, attribute)
        if value is not None:
            document[name] = value
    if fields.grades_released is not None:
        document["gradesReleased"] = fields.grades_released
    return document


def _check_label(value: Any) -> str:
    """``label`` is a string with something besides white space."""
    if not isinstance(value, str) or not value.strip():
        raise DocumentError("label", "is required and must not be blank")
    return value


def _check_score_maximum(value: Any) -> float:
    """``scoreMaximum`` is a number above zero."""
    if value is None:
        raise DocumentError("scoreMaximum", "is required")
    if not is_number(value) or value <= 0:
        raise DocumentError("scoreMaximum", f"must be a number > 0, got {value!r}")
    number: float = value
    return number


def _check_optional_string(name: str, value: Any) -> str | None:
    """An optional member is absent, null or a string."""
    if value is not None and not isinstance(value, str):
        raise DocumentError(name, f"must be a string, got {value!r}")
    return value


def _check_date(name: str, value: Any) -> str | None:
    """A date member is absent, null or an ISO 8601 date-time with an offset."""
    text = _check_optional_string(name, value)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise DocumentError(
            name, f"must be an ISO 8601 date-time, got {text!r}"
        ) from None
    if moment.tzinfo is None:
        raise DocumentError(name, f"needs a UTC offset or Z, got {text!r}")
    return text


def _check_optional_bool(name: str, value: Any) -> bool | None:
    """An optional flag is absent, null, true or false."""
    if value is not None and not isinstance(value, bool):
        raise DocumentError(name, f"must be true or false, got {value!r}")
    return value
