"""HTTP error pages: JSON for the API and admin paths, HTML elsewhere."""

from __future__ import annotations

import logging
import secrets

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

logger = logging.getLogger(__name__)

JSON_PREFIXES = ("/admin/", "/api/v1/management/", "/api/v1/gateway/oauth2/")
LEARN_API_PREFIX = "/learn/api/"
# The 3-legged authorization step is a browser page, although it sits under
# the API path.
HTML_PREFIXES = ("/learn/api/public/v1/oauth2/authorization",)


def register_error_handlers(app: Flask) -> None:
    """Answer every HTTP error with a short page naming the problem."""
    app.register_error_handler(HTTPException, _handle_http_error)


def _handle_http_error(error: HTTPException) -> Response:
    """Render ``error`` as Learn JSON, JSON or HTML depending on the path."""
    code = error.code or 500
    path = request.path
    if path.startswith(LEARN_API_PREFIX) and not path.startswith(HTML_PREFIXES):
        response = jsonify(
            status=code, message=error.description, extraInfo=secrets.token_hex(16)
        )
    elif path.startswith(JSON_PREFIXES):
        response = jsonify(error=error.name, description=error.description)
    else:
        page = render_template(
            "error.html", title=f"{code} {error.name}", message=error.description
        )
        response = Response(page, mimetype="text/html")

    # Keep headers such as Allow on 405, but not the error's own Content-Type.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    response.status_code = code
    return response
