"""Developer Portal management endpoints: the platform keyset."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify

from .state import get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("management", __name__)


@bp.get("/api/v1/management/applications/<client_id>/jwks.json")
def jwks(client_id: str) -> Response | tuple[Response, int]:
    """Return the public keys that verify this application's id_tokens."""
    platform = get_platform()
    if client_id != platform.settings.client_id:
        logger.warning("JWKS asked for unknown client_id %r", client_id)
        return jsonify(error="unknown application", client_id=client_id), 404

    platform.stats.increment("jwks_requests")
    return jsonify(platform.keys.jwks())
