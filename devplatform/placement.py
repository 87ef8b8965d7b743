"""Accepted content items become course content and, if graded, line items."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from .content import CourseContent
from .contentitems import ContentItem, WebLinkItem
from .course import ResourceLink, WebLink
from .gradebook import Gradebook

logger = logging.getLogger(__name__)

UNTITLED = "Untitled"


@dataclass(frozen=True)
class Placed:
    """One item put in the course: its pk, title and any new line item pk."""

    id: str
    title: str
    type: str
    line_item: str | None = None


def place_items(
    items: list[ContentItem], content: CourseContent, gradebook: Gradebook
) -> list[Placed]:
    """Add every item to the outline, in order; graded links get a column."""
    placed = []
    for item in items:
        pk = content.reserve_id()
        if isinstance(item, WebLinkItem):
            title = item.title or item.url
            content.add_web_link(WebLink(pk, title, item.text, item.url))
            placed.append(Placed(pk, title, "link"))
            continue

        line_item = None
        if item.line_item is not None:
            fields = dataclasses.replace(item.line_item, resource_link_id=pk)
            line_item = gradebook.create(fields).pk
        link = ResourceLink(
            id=pk,
            title=item.title or UNTITLED,
            description=item.text,
            custom=item.custom,
            line_item=line_item,
            url=item.url,
            presentation=item.presentation,
            available=item.available,
            placed=True,
        )
        content.add_link(link)
        placed.append(Placed(pk, link.title, "ltiResourceLink", line_item))
    return placed
