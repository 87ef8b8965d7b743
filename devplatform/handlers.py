"""HTTP error pages: JSON for the API and admin paths, HTML elsewhere."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

logger = logging.getLogger(__name__)

JSON_PREFIXES = ("/admin/", "/api/v1/management/", "/api/v1/gateway/oauth2/")


def register_error_handlers(app: Flask) -> None:
    """Answer every HTTP error with a short page naming the problem."""
    app.register_error_handler(HTTPException, _handle_http_error)


def _handle_http_error(error: HTTPException) -> tuple[Response | str, int]:
    """Render ``error`` as JSON or HTML depending on the path."""
    code = error.code or 500
    if request.path.startswith(JSON_PREFIXES):
        return jsonify(error=error.name, description=error.description), code

    page = render_template(
        "error.html", title=f"{code} {error.name}", message=error.description
    )
    return page, code
