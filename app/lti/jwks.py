"""The tool's public key set, registered in the Developer Portal as Tool JWKS URL."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from app.keys import get_tool_keys

bp = Blueprint("jwks", __name__)


@bp.get("/.well-known/jwks.json")
def jwks() -> Response:
    """Publish every active public key with kid, alg and use."""
    response = jsonify(get_tool_keys().jwks())
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
