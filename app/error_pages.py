"""Turn errors into a page for people or JSON for programs; never a bare 500."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from app.errors import ConfigurationError, LaunchError, LoginError, LtiError

logger = logging.getLogger(__name__)


def wants_json() -> bool:
    """Whether the client asked for JSON rather than a page."""
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > (request.accept_mimetypes["text/html"])
    )


def _render(status: int, body: dict[str, Any], title: str) -> tuple[Response, int]:
    if wants_json():
        return jsonify(body), status
    page = render_template("error.html", status=status, title=title, error=body)
    return Response(page, mimetype="text/html"), status


def handle_lti_error(error: LtiError) -> tuple[Response, int]:
    """Answer a failure of ours with its code, message and what to check."""
    if isinstance(error, LaunchError | LoginError):
        context = g.get("lti_context") or {}
        logger.warning(
            "launch rejected code=%s issuer=%s client_id=%s deployment_id=%s reason=%s",
            error.code,
            context.get("issuer"),
            context.get("client_id"),
            context.get("deployment_id"),
            error.message,
        )
    elif isinstance(error, ConfigurationError):
        logger.error("configuration error at run time: %s", error.message)
    else:
        logger.info("request refused code=%s reason=%s", error.code, error.message)
    return _render(error.status, error.to_dict(), error.title)


def handle_http_error(error: HTTPException) -> tuple[Response, int] | HTTPException:
    """Answer 404, 405 and the like in the same form as our own errors."""
    if error.code is None or error.code < 400:
        return error
    body = {"error": f"http.{error.code}", "message": error.description or ""}
    response, status = _render(error.code, body, error.name)
    for name, value in error.get_headers():
        if name.lower() == "allow":
            response.headers[name] = value
    return response, status


def handle_unexpected(error: Exception) -> tuple[Response, int]:
    """A bug: log it with its traceback, and show a calm page."""
    logger.exception("unexpected error on %s %s", request.method, request.path)
    body = {
        "error": "server.unexpected",
        "message": "The tool met an unexpected error; it has been logged.",
    }
    return _render(500, body, "Something went wrong in the tool")


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(LtiError, handle_lti_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
