"""JSON controls for tests and developers: key rotation and request counters."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify

from .keys import KeyStoreError
from .state import get_platform

logger = logging.getLogger(__name__)

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.post("/rotate-key")
def rotate_key() -> Response:
    """Make a new signing key and keep publishing the old ones."""
    key = get_platform().keys.rotate()
    return jsonify(kid=key.kid)


@bp.post("/retire-key/<kid>")
def retire_key(kid: str) -> Response | tuple[Response, int]:
    """Stop publishing a key that no longer signs."""
    try:
        get_platform().keys.retire(kid)
    except KeyStoreError as e:
        return jsonify(error=str(e)), 400
    return jsonify(retired=kid)


@bp.get("/stats")
def stats() -> Response:
    """Return the request counters and the current signing kid."""
    platform = get_platform()
    return jsonify(
        **platform.stats.snapshot(),
        signing_kid=platform.keys.signing_key.kid,
        published_kids=[key.kid for key in platform.keys.published_keys()],
    )


@bp.post("/reset-stats")
def reset_stats() -> Response:
    """Set every request counter back to zero."""
    get_platform().stats.reset()
    return jsonify(reset=True)
