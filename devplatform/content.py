"""The course outline: the seeded tool links and what deep linking placed."""

from __future__ import annotations

import logging
import threading

from .course import LINKS, ResourceLink, WebLink

logger = logging.getLogger(__name__)

FIRST_PLACED_NUMBER = 19001


class CourseContent:
    """Thread-safe course content: tool links (seeded first) and web links.

    Placed items get the pks ``_19001_1``, ``_19002_1``, ... in the order
    they are reserved, tool links and web links alike.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._links: dict[str, ResourceLink] = {}
        self._web_links: dict[str, WebLink] = {}
        self._next_number = FIRST_PLACED_NUMBER
        self.reset()

    def reset(self) -> list[str]:
        """Go back to the seeded links; return the placed links' line item pks."""
        with self._lock:
            line_items = [
                link.line_item
                for link in self._links.values()
                if link.placed and link.line_item is not None
            ]
            self._links = dict(LINKS)
            self._web_links = {}
            self._next_number = FIRST_PLACED_NUMBER
        return line_items

    def reserve_id(self) -> str:
        """Return the pk the next placed item gets."""
        with self._lock:
            pk = f"_{self._next_number}_1"
            self._next_number += 1
        return pk

    def add_link(self, link: ResourceLink) -> None:
        """Put ``link`` in the outline, after the links already there."""
        with self._lock:
            self._links[link.id] = link
        logger.info("placed tool link %s %r", link.id, link.title)

    def add_web_link(self, link: WebLink) -> None:
        """Put the web link ``link`` in the outline."""
        with self._lock:
            self._web_links[link.id] = link
        logger.info("placed web link %s %r", link.id, link.title)

    def find(self, pk: str) -> ResourceLink | None:
        """Return the tool link ``pk``, or None."""
        with self._lock:
            return self._links.get(pk)

    def links(self) -> list[ResourceLink]:
        """Return every tool link, the seeded ones first."""
        with self._lock:
            return list(self._links.values())

    def web_links(self) -> list[WebLink]:
        """Return every placed web link, oldest first."""
        with self._lock:
            return list(self._web_links.values())
