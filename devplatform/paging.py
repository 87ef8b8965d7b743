"""Paging of LTI service containers: page size, offset and ``Link`` headers."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Small on purpose, so that a tool's paging code runs on a four-member course.
DEFAULT_PAGE_SIZE = 2
MAX_PAGE_SIZE = 100
OFFSET = "offset"
LIMIT = "limit"


@dataclass(frozen=True)
class Page:
    """Which slice of a container a request asks for."""

    offset: int
    limit: int

    def take(self, items: Sequence[T]) -> tuple[list[T], int | None]:
        """Return this page of ``items`` and the offset of the next page, if any."""
        end = self.offset + self.limit
        next_offset = end if end < len(items) else None
        return list(items[self.offset : end]), next_offset


def read_page(args: Mapping[str, str]) -> Page:
    """Return the page that ``offset`` and ``limit`` ask for.

    ``limit`` above ``MAX_PAGE_SIZE`` is lowered to it, as a page size hint.

    :raises ValueError: naming the parameter that is not a fitting integer.
    """
    offset = _read_int(args, OFFSET, 0, minimum=0)
    limit = _read_int(args, LIMIT, DEFAULT_PAGE_SIZE, minimum=1)
    return Page(offset, min(limit, MAX_PAGE_SIZE))


def page_url(base_url: str, args: MultiDict[str, str], offset: int) -> str:
    """Return ``base_url`` with every parameter of ``args`` and a new offset."""
    return query_url(base_url, args, {OFFSET: str(offset)})


def query_url(
    base_url: str, args: MultiDict[str, str], changes: Mapping[str, str | None]
) -> str:
    """Return ``base_url`` with ``args`` in their order, then ``changes``.

    A change replaces the parameter of that name; None only removes it.
    """
    pairs = [(k, v) for k, v in args.items(multi=True) if k not in changes]
    pairs += [(k, v) for k, v in changes.items() if v is not None]
    return f"{base_url}?{urlencode(pairs)}"


def link_header(links: Mapping[str, str]) -> str:
    """Return a ``Link`` header value with one ``<url>; rel="..."`` per entry."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())


def _read_int(args: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    """Return query parameter ``name`` as an integer of at least ``minimum``."""
    raw = args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value
