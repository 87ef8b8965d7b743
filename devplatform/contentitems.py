"""The checks on a deep-linking response's content items, one rule at a time.

Learn takes two types: ``ltiResourceLink`` (a tool link, maybe graded) and
``link`` (a plain web link).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from .dlerrors import ContentItemError, ResponseClaimError
from .dlrequests import DeepLinkRequest
from .documents import DocumentError, is_number
from .lineitems import LineItemFields, parse_line_item

logger = logging.getLogger(__name__)

LTI_LINK = "ltiResourceLink"
WEB_LINK = "link"
DEFAULT_PORTS = {"http": 80, "https": 443}
WINDOW_STRINGS = ("targetName", "windowFeatures")


@dataclass(frozen=True)
class LtiLinkItem:
    """An ``ltiResourceLink`` that passed every check."""

    title: str
    text: str
    url: str | None
    custom: dict[str, str] = field(default_factory=dict)
    presentation: dict[str, Any] = field(default_factory=dict)
    available: dict[str, str] = field(default_factory=dict)
    line_item: LineItemFields | None = None


@dataclass(frozen=True)
class WebLinkItem:
    """A ``link`` item that passed every check."""

    title: str
    text: str
    url: str


ContentItem = LtiLinkItem | WebLinkItem


def parse_content_items(
    items: list[Any], request: DeepLinkRequest, tool_url: str
) -> list[ContentItem]:
    """Check every item against what ``request`` accepted and return them.

    :raises ResponseClaimError: several items where the request took one.
    :raises ContentItemError: naming the first item and rule that failed.
    """
    if len(items) > 1 and not request.accept_multiple:
        raise ResponseClaimError(
            "content_items", f"has {len(items)} items, but the request accepts one"
        )
    return [_parse_item(i, item, request, tool_url) for i, item in enumerate(items, 1)]


def _parse_item(
    index: int, item: Any, request: DeepLinkRequest, tool_url: str
) -> ContentItem:
    """Check one item: an object of an accepted type, then its own rules."""
    if not isinstance(item, Mapping):
        raise ContentItemError(index, "must be a JSON object")
    kind = item.get("type")
    if kind not in request.accept_types:
        accepted = ", ".join(request.accept_types)
        raise ContentItemError(index, f"type {kind!r} is not accepted ({accepted})")

    title = _check_text(index, item, "title")
    text = _check_text(index, item, "text")
    if kind == WEB_LINK:
        return WebLinkItem(title, text, _check_web_url(index, item.get("url")))

    return LtiLinkItem(
        title=title,
        text=text,
        url=_check_tool_url(index, item.get("url"), tool_url),
        custom=_check_custom(index, item.get("custom")),
        presentation=_check_presentation(index, item),
        available=_check_available(index, item.get("available")),
        line_item=_check_line_item(index, item.get("lineItem"), title, request),
    )


def _check_text(index: int, item: Mapping[str, Any], name: str) -> str:
    """``title`` or ``text`` is absent, null or a string."""
    value = item.get(name)
    if value is not None and not isinstance(value, str):
        raise ContentItemError(index, f"{name} must be a string, got {value!r}")
    return value or ""


def _check_web_url(index: int, url: Any) -> str:
    """A ``link`` has an absolute http(s) URL."""
    if not isinstance(url, str) or _origin(url) is None:
        raise ContentItemError(index, f"url must be an absolute http(s) URL: {url!r}")
    return url


def _check_tool_url(index: int, url: Any, tool_url: str) -> str | None:
    """A tool link's URL, when given, is on the tool's origin, with no query."""
    if url is None:
        return None
    if not isinstance(url, str) or _origin(url) is None:
        raise ContentItemError(index, f"url must be an absolute http(s) URL: {url!r}")
    if _origin(url) != _origin(tool_url):
        raise ContentItemError(index, f"url {url!r} is not on the tool's origin")

    query = urlsplit(url).query
    if query:
        raise ContentItemError(
            index,
            f"url must not carry a query string (?{query}): Learn breaks later "
            "launches of such links; put the parameters in custom",
        )
    return url


def _check_custom(index: int, custom: Any) -> dict[str, str]:
    """``custom`` is absent, or an object whose values are all strings."""
    if custom is None:
        return {}
    if not isinstance(custom, Mapping):
        raise ContentItemError(index, "custom must be a JSON object")
    for name, value in custom.items():
        if not isinstance(value, str):
            raise ContentItemError(
                index, f"custom.{name} must be a string, got {value!r}"
            )
    return dict(custom)


def _check_presentation(index: int, item: Mapping[str, Any]) -> dict[str, Any]:
    """``iframe`` or ``window``, if given, are objects with sensible members."""
    for target in ("iframe", "window"):
        value = item.get(target)
        if value is None:
            continue
        if not isinstance(value, Mapping):
            raise ContentItemError(index, f"{target} must be a JSON object")
        for name in ("width", "height"):
            size = value.get(name)
            if size is not None and (not is_number(size) or size <= 0):
                raise ContentItemError(
                    index, f"{target}.{name} must be a number > 0, got {size!r}"
                )
        for name in WINDOW_STRINGS:
            if name in value and not isinstance(value[name], str):
                raise ContentItemError(index, f"{target}.{name} must be a string")
        return {"documentTarget": target, **value}
    return {}


def _check_available(index: int, available: Any) -> dict[str, str]:
    """``available`` holds ISO 8601 date-times, the end after the start."""
    if available is None:
        return {}
    if not isinstance(available, Mapping):
        raise ContentItemError(index, "available must be a JSON object")

    moments: dict[str, datetime] = {}
    for name in ("startDateTime", "endDateTime"):
        value = available.get(name)
        if value is None:
            continue
        moment = _parse_date(value)
        if moment is None:
            raise ContentItemError(
                index,
                f"available.{name} must be an ISO 8601 date-time with an offset, "
                f"got {value!r}",
            )
        moments[name] = moment

    if len(moments) == 2 and moments["endDateTime"] <= moments["startDateTime"]:
        raise ContentItemError(
            index, "available.endDateTime must come after startDateTime"
        )
    return {name: available[name] for name in moments}


def _check_line_item(
    index: int, line_item: Any, title: str, request: DeepLinkRequest
) -> LineItemFields | None:
    """A ``lineItem`` is accepted, and a valid line item labelled by default."""
    if line_item is None:
        return None
    if not request.accept_lineitem:
        raise ContentItemError(
            index, "lineItem is not accepted: the request said accept_lineitem false"
        )
    if not isinstance(line_item, Mapping):
        raise ContentItemError(index, "lineItem must be a JSON object")

    # The platform sets resourceLinkId itself, to the link it creates.
    document = {k: v for k, v in line_item.items() if k != "resourceLinkId"}
    if document.get("label") is None:
        document["label"] = title or "Untitled"
    try:
        return parse_line_item(document)
    except DocumentError as e:
        raise ContentItemError(index, f"lineItem.{e}") from e


def _parse_date(value: Any) -> datetime | None:
    """Return an ISO 8601 date-time with an offset, or None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _origin(url: str) -> tuple[str, str, int] | None:
    """Return (scheme, host, port) of an http(s) URL, or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]
