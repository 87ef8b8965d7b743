"""JSON controls for the course outline and the last deep-linking response."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, jsonify

from .course import ResourceLink, WebLink
from .services import lineitem_url
from .state import Platform, get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("contentadmin", __name__, url_prefix="/admin")


@bp.get("/content")
def content() -> Response:
    """Return the course's tool links (seeded and placed) and web links."""
    return jsonify(_content_document(get_platform()))


@bp.post("/reset-content")
def reset_content() -> Response:
    """Go back to the seeded links and drop the placed links' line items."""
    platform = get_platform()
    line_items = platform.content.reset()
    for pk in line_items:
        platform.gradebook.delete(pk)
    logger.info("course content reset; removed line items %s", line_items)
    return jsonify({**_content_document(platform), "removed_line_items": line_items})


@bp.get("/deep-linking")
def last_deep_linking_response() -> Response:
    """Return the last deep-linking response: header, claims and outcome."""
    return jsonify(get_platform().deep_link_log.snapshot())


def _content_document(platform: Platform) -> dict[str, Any]:
    """Return the outline as JSON, tool links first."""
    url = platform.settings.url
    return {
        "links": [_link_json(link, url) for link in platform.content.links()],
        "web_links": [_web_link_json(link) for link in platform.content.web_links()],
    }


def _link_json(link: ResourceLink, platform_url: str) -> dict[str, Any]:
    """Return one tool link; ``line_item_url`` is its launches' lineitem claim."""
    return {
        "id": link.id,
        "title": link.title,
        "text": link.description,
        "url": link.url,
        "custom": link.custom,
        "presentation": link.presentation,
        "available": link.available,
        "line_item": link.line_item,
        "line_item_url": (
            lineitem_url(platform_url, link.line_item) if link.line_item else None
        ),
        "placed": link.placed,
    }


def _web_link_json(link: WebLink) -> dict[str, Any]:
    """Return one web link."""
    return {"id": link.id, "title": link.title, "text": link.text, "url": link.url}
