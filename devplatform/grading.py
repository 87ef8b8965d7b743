"""AGS scores and results: a tool posts scores and reads the results back."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, jsonify, request

from .agsaccess import (
    LINEITEM_ROUTE,
    RESULT_CONTAINER_TYPE,
    SCORE_TYPE,
    load_item,
    media_response,
    read_document,
    require_accept,
    require_content_type,
    requires,
)
from .course import find_user_by_uuid
from .documents import DocumentError
from .paging import link_header, page_url, read_page
from .results import result_json
from .scores import parse_score
from .services import RESULT_READONLY_SCOPE, SCORE_SCOPE, lineitem_url
from .state import get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("grading", __name__)

ATTEMPTS_EXHAUSTED = "The maximum number of allowed attempts has been reached"


@bp.post(LINEITEM_ROUTE + "/scores")
@requires(SCORE_SCOPE)
def post_score(course_pk: str, item_pk: str) -> Response:
    """Apply a score unless a later one is stored; 200 with no body either way.

    Learn's answers: 400 ``User could not be found: <id>`` for someone not in
    the course, and 422 once the item's attempt limit is reached.
    """
    require_content_type(SCORE_TYPE)
    item = load_item(item_pk)
    try:
        score = parse_score(read_document())
    except DocumentError as e:
        abort(400, description=str(e))
    if find_user_by_uuid(score.user_id) is None:
        abort(400, description=f"User could not be found: {score.user_id}")

    platform = get_platform()
    if item.pk in platform.runtime.current.attempt_limit_items:
        response = jsonify(status=422, message=ATTEMPTS_EXHAUSTED)
        response.status_code = 422
        return response

    outcome = platform.gradebook.record(item.pk, score)
    if outcome == "missing":
        abort(404, description=f"Could not find line item with ID: {item_pk}")
    if outcome == "stale":
        logger.info(
            "ignored score for %s on %s: timestamp %s is not after the stored one",
            score.user_id,
            item.pk,
            score.timestamp,
        )
    return _empty_ok()


@bp.get(LINEITEM_ROUTE + "/results")
@requires(RESULT_READONLY_SCOPE)
def list_results(course_pk: str, item_pk: str) -> Response:
    """Return one page of the item's results, optionally of one user.

    As on Learn, filtering by ``user_id`` leaves ``comment`` out.
    """
    require_accept(RESULT_CONTAINER_TYPE)
    item = load_item(item_pk)
    try:
        page = read_page(request.args)
    except ValueError as e:
        abort(400, description=str(e))

    platform = get_platform()
    base_url = platform.settings.url
    user_id = request.args.get("user_id")
    scores = [
        score
        for _, score in platform.gradebook.scores(item.pk)
        if user_id is None or score.user_id == user_id
    ]
    shown, next_offset = page.take(scores)

    documents = [
        result_json(item, score, base_url, with_comment=user_id is None)
        for score in shown
    ]
    response = media_response(documents, RESULT_CONTAINER_TYPE)
    if next_offset is not None:
        results_url = lineitem_url(base_url, item.pk) + "/results"
        next_url = page_url(results_url, request.args, next_offset)
        response.headers["Link"] = link_header({"next": next_url})
    return response


def _empty_ok() -> Response:
    """Return 200 with an empty body and no Content-Type."""
    response = Response(status=200)
    del response.headers["Content-Type"]
    return response
