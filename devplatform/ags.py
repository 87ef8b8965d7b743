"""AGS line items: list, create, read, replace and delete the course's columns."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, request

from .agsaccess import (
    LINEITEM_CONTAINER_TYPE,
    LINEITEM_ROUTE,
    LINEITEM_TYPE,
    LINEITEMS_ROUTE,
    load_item,
    media_response,
    read_document,
    require_accept,
    require_content_type,
    requires,
)
from .documents import DocumentError
from .lineitems import LineItem, line_item_json, parse_line_item
from .paging import link_header, page_url, read_page
from .services import LINEITEM_READONLY_SCOPE, LINEITEM_SCOPE, lineitems_url
from .state import get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("ags", __name__)

# Container query parameters; each is named like the line item field it matches.
FILTERS = ("resource_link_id", "resource_id", "tag")


@bp.get(LINEITEMS_ROUTE)
@requires(LINEITEM_SCOPE, LINEITEM_READONLY_SCOPE)
def list_line_items(course_pk: str) -> Response:
    """Return one page of line items, filtered, with a ``rel="next"`` link."""
    require_accept(LINEITEM_CONTAINER_TYPE)
    try:
        page = read_page(request.args)
    except ValueError as e:
        abort(400, description=str(e))

    platform = get_platform()
    base_url = platform.settings.url
    items = [item for item in platform.gradebook.items() if _wanted(item)]
    shown, next_offset = page.take(items)

    documents = [line_item_json(item, base_url) for item in shown]
    response = media_response(documents, LINEITEM_CONTAINER_TYPE)
    if next_offset is not None:
        next_url = page_url(lineitems_url(base_url), request.args, next_offset)
        response.headers["Link"] = link_header({"next": next_url})
    return response


@bp.post(LINEITEMS_ROUTE)
@requires(LINEITEM_SCOPE)
def create_line_item(course_pk: str) -> Response:
    """Store a new line item and answer 201 with it, ``id`` included."""
    require_content_type(LINEITEM_TYPE)
    require_accept(LINEITEM_TYPE)
    try:
        fields = parse_line_item(read_document())
    except DocumentError as e:
        abort(400, description=str(e))

    platform = get_platform()
    item = platform.gradebook.create(fields)
    document = line_item_json(item, platform.settings.url)
    response = media_response(document, LINEITEM_TYPE, status=201)
    response.headers["Location"] = document["id"]
    return response


@bp.get(LINEITEM_ROUTE)
@requires(LINEITEM_SCOPE, LINEITEM_READONLY_SCOPE)
def get_line_item(course_pk: str, item_pk: str) -> Response:
    """Return one line item."""
    require_accept(LINEITEM_TYPE)
    item = load_item(item_pk)
    return media_response(
        line_item_json(item, get_platform().settings.url), LINEITEM_TYPE
    )


@bp.put(LINEITEM_ROUTE)
@requires(LINEITEM_SCOPE)
def replace_line_item(course_pk: str, item_pk: str) -> Response:
    """Replace a line item with the full representation sent."""
    require_content_type(LINEITEM_TYPE)
    require_accept(LINEITEM_TYPE)
    item = load_item(item_pk)
    platform = get_platform()

    body = read_document()
    item_url = item.url(platform.settings.url)
    if isinstance(body, dict) and body.get("id", item_url) != item_url:
        abort(400, description=f"id {body['id']!r} is not this line item's {item_url}")
    try:
        fields = parse_line_item(body)
    except DocumentError as e:
        abort(400, description=str(e))

    replaced = platform.gradebook.replace(item.pk, fields)
    if replaced is None:
        abort(404, description=f"Could not find line item with ID: {item_pk}")
    return media_response(
        line_item_json(replaced, platform.settings.url), LINEITEM_TYPE
    )


@bp.delete(LINEITEM_ROUTE)
@requires(LINEITEM_SCOPE)
def delete_line_item(course_pk: str, item_pk: str) -> Response:
    """Delete a line item and every score in it."""
    item = load_item(item_pk)
    if not get_platform().gradebook.delete(item.pk):
        abort(404, description=f"Could not find line item with ID: {item_pk}")
    return Response(status=204)


def _wanted(item: LineItem) -> bool:
    """Return whether ``item`` passes the container's query filters."""
    for name in FILTERS:
        wanted = request.args.get(name)
        if wanted is not None and getattr(item.fields, name) != wanted:
            return False
    return True
