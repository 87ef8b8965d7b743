"""JSON controls for tests and developers: keys, counters, settings and faults."""

from __future__ import annotations

import dataclasses
import logging

from flask import Blueprint, Response, jsonify, request

from .faults import parse_faults
from .keys import KeyStoreError
from .runtime import parse_changes
from .state import Platform, get_platform
from .toolkeys import ToolKeyError

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


@bp.get("/settings")
def get_settings() -> Response:
    """Return the settings that can change at runtime."""
    return jsonify(_settings(get_platform()))


@bp.post("/settings")
def update_settings() -> Response | tuple[Response, int]:
    """Change any of token_lifetime, rate_limit and the behaviour switches."""
    platform = get_platform()
    try:
        changes = parse_changes(request.get_json(silent=True))
    except ValueError as e:
        return jsonify(error=str(e)), 400

    rate_limit = changes.pop("rate_limit", None)
    if rate_limit is not None:
        platform.rate_limiter.configure(rate_limit)
    platform.runtime.update(changes)
    logger.info("runtime settings changed: %s", sorted(changes))
    return jsonify(_settings(platform))


@bp.get("/faults")
def get_faults() -> Response:
    """Return the status codes still queued per endpoint."""
    return jsonify(get_platform().faults.pending())


@bp.post("/faults")
def add_faults() -> Response | tuple[Response, int]:
    """Queue status codes that the next requests to an endpoint answer."""
    platform = get_platform()
    try:
        faults = parse_faults(request.get_json(silent=True))
    except ValueError as e:
        return jsonify(error=str(e)), 400

    platform.faults.add(faults)
    logger.info("queued faults: %s", faults)
    return jsonify(platform.faults.pending())


@bp.delete("/faults")
def clear_faults() -> Response:
    """Drop every queued fault."""
    platform = get_platform()
    platform.faults.clear()
    return jsonify(platform.faults.pending())


@bp.post("/fetch-tool-jwks")
def fetch_tool_jwks() -> Response | tuple[Response, int]:
    """Read the tool JWKS now, as the Developer Portal does at registration."""
    try:
        kids = get_platform().tool_keys.refresh()
    except ToolKeyError as e:
        return jsonify(error=str(e)), 502
    return jsonify(kids=kids)


@bp.post("/revoke-tokens")
def revoke_tokens() -> Response:
    """Invalidate every issued access token (refresh tokens stay valid)."""
    revoked = get_platform().tokens.revoke_all()
    logger.info("revoked %d access tokens", revoked)
    return jsonify(revoked=revoked)


@bp.get("/issued-secrets")
def issued_secrets() -> Response:
    """Return every token, code and session token value issued since start."""
    issued = get_platform().issued.snapshot()
    every = [value for values in issued.values() for value in values]
    return jsonify(**issued, all=every)


def _settings(platform: Platform) -> dict[str, object]:
    """Return the runtime settings with the rate limit, as JSON-ready values."""
    values = dataclasses.asdict(platform.runtime.current)
    for name, value in values.items():
        if isinstance(value, tuple):
            values[name] = list(value)
    values["rate_limit"] = platform.rate_limiter.limit
    return values
