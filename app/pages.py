"""The setup page (what to enter in the Developer Portal) and the health check."""

from __future__ import annotations

import logging
import os

from flask import Blueprint, Response, current_app, jsonify, render_template

from app.errors import ToolKeyError
from app.extensions import cache
from app.keys import get_tool_keys
from app.lti.oidc import redirect_uri
from app.registry import get_registry

logger = logging.getLogger(__name__)

bp = Blueprint("pages", __name__)


@bp.get("/")
def setup() -> str:
    """List the URLs to register in the Developer Portal, and the platforms."""
    tool_url = current_app.config["TOOL_URL"]
    urls = {
        "Domain": tool_url.split("://", 1)[1],
        "Login Initiation URL": f"{tool_url}/lti/login",
        "Tool Redirect URL": redirect_uri(),
        "Tool JWKS URL": f"{tool_url}/.well-known/jwks.json",
        "Target Link URI": redirect_uri(),
        "Learn REST redirect URI (3-legged OAuth)": f"{tool_url}/learn/callback",
    }
    # Production lists no registrations or key ids to strangers.
    public = current_app.config["APP_ENV"] == "production"
    return render_template(
        "setup.html",
        urls=urls,
        public=public,
        registration_count=len(get_registry().all()),
        registrations=() if public else get_registry().all(),
        keys=() if public else get_tool_keys().status(),
        app_env=current_app.config["APP_ENV"],
    )


def _cache_reachable() -> bool:
    key = f"health:{os.getpid()}"
    try:
        cache.set(key, "ok", timeout=30)
        return bool(cache.get(key) == "ok")
    except Exception:  # any backend failure means "not reachable"
        logger.warning("health check: cache not reachable", exc_info=True)
        return False


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """JSON health: the cache is reachable, and whether a signing key exists."""
    cache_ok = _cache_reachable()
    try:
        get_tool_keys().current()
        signing_key = True
    except ToolKeyError:
        signing_key = False
    body = {
        "status": "ok" if cache_ok else "unavailable",
        "cache": cache_ok,
        "signing_key": signing_key,
    }
    return jsonify(body), 200 if cache_ok else 503
