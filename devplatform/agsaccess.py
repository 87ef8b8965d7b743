"""What every AGS call goes through: the token, scopes, media types, the item."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec

from flask import Response, abort, json, request

from .bearer import authenticate
from .course import COURSE
from .learnerrors import invalid_bearer, learn_error
from .lineitems import LineItem
from .services import AGS_PATH
from .state import get_platform

logger = logging.getLogger(__name__)

P = ParamSpec("P")

# Flask routes of the line item container and of one line item.
LINEITEMS_ROUTE = AGS_PATH + "<course_pk>/lineItems"
LINEITEM_ROUTE = LINEITEMS_ROUTE + "/<item_pk>"

LINEITEM_CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
RESULT_CONTAINER_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


def requires(
    *scopes: str,
) -> Callable[[Callable[P, Response]], Callable[P, Response]]:
    """Guard an AGS view: any one of ``scopes`` lets a live LTI token in.

    The guard counts the call and answers a queued ``ags`` fault first; then
    401 for a missing or dead token, 403 without the scope, 404 for another
    course (the view's ``course_pk``).
    """

    def decorate(view: Callable[P, Response]) -> Callable[P, Response]:
        @functools.wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> Response:
            platform = get_platform()
            platform.stats.increment("ags_requests")
            fault = platform.faults.next("ags")
            if fault is not None:
                return learn_error(fault, f"injected fault {fault}")

            header = request.headers.get("Authorization")
            token = authenticate(platform, header, "lti")
            if token is None:
                logger.warning("AGS call %s without a valid token", request.path)
                return invalid_bearer()
            if not any(scope in token.scopes for scope in scopes):
                needed = " or ".join(scopes)
                return learn_error(403, f"The access token lacks the scope {needed}")

            course_pk = kwargs.get("course_pk")
            if course_pk != COURSE.pk:
                return learn_error(404, f"Could not find course with ID: {course_pk}")
            return view(*args, **kwargs)

        return guarded

    return decorate


def load_item(pk: str) -> LineItem:
    """Return line item ``pk``; 404 if it is unknown or its query was dropped."""
    item = get_platform().gradebook.find(pk)
    if item is None:
        abort(404, description=f"Could not find line item with ID: {pk}")
    if not item.matches_query(request.args):
        abort(
            404,
            description=(
                f"Could not find line item with ID: {pk} (its URL ends with "
                f"?{item.query}: keep the query string)"
            ),
        )
    return item


def require_content_type(media_type: str) -> None:
    """Answer 415 unless the request body is of ``media_type``."""
    if request.mimetype != media_type:
        got = request.mimetype or "none"
        abort(415, description=f"Content-Type must be {media_type}, got {got}")


def require_accept(media_type: str) -> None:
    """Answer 406 when an ``Accept`` header is sent and rules out ``media_type``."""
    if "Accept" not in request.headers:
        return
    if request.accept_mimetypes.best_match([media_type]) is None:
        accept = request.headers["Accept"]
        abort(406, description=f"Cannot answer {accept}; this gives {media_type}")


def read_document() -> Any:
    """Return the request body parsed as JSON, or None if it is not JSON."""
    return request.get_json(force=True, silent=True)


def media_response(document: Any, media_type: str, status: int = 200) -> Response:
    """Return ``document`` as JSON labelled with ``media_type``."""
    return Response(json.dumps(document), status=status, mimetype=media_type)
