"""Platform storage: keeping the login's state in the platform's frame.

When the browser blocks the tool's cookies inside the platform's iframe, the
platform may offer storage through postMessage (``lti_storage_target``). The
tool's pages then talk only to origins it trusts for the deployment: those
registered (``platform_origins``) and the Learn host seen in earlier verified
launches of that deployment (``tool_platform.url``).

The login parameters are also kept for a while, so that a launch that found
neither cookie nor storage can be retried first-party in a new window.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import current_app

from app.extensions import cache
from app.lti.claims import Launch
from app.lti.nonces import fingerprint
from app.registry import Registration

ORIGIN_TTL = 90 * 24 * 3600
STORAGE_TARGET = "lti_storage_target"
RELAUNCH_PARAMETERS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "client_id",
    "lti_deployment_id",
)


def _origin_key(issuer: str, client_id: str, deployment_id: str) -> str:
    return "lti:origin:" + fingerprint(f"{issuer}\x1f{client_id}\x1f{deployment_id}")


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL, or None when it is not http(s)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def remember_platform_origin(launch: Launch) -> None:
    """Trust the launch's Learn host for this deployment's later logins."""
    url = launch.tool_platform.get("url")
    origin = origin_of(url) if isinstance(url, str) else None
    if origin:
        key = _origin_key(launch.issuer, launch.client_id, launch.deployment_id)
        cache.set(key, origin, timeout=ORIGIN_TTL)


def trusted_origins(registration: Registration, deployment_id: str | None) -> list[str]:
    """The origins whose frames may hold this login's state."""
    origins = list(registration.platform_origins)
    if deployment_id:
        learned = cache.get(
            _origin_key(registration.issuer, registration.client_id, deployment_id)
        )
        if isinstance(learned, str) and learned not in origins:
            origins.append(learned)
    return origins


def remember_login(state: str, params: dict[str, Any]) -> None:
    """Keep the login's parameters: to retry it in a new window if needed, and
    its storage target, for a platform that names it only at login."""
    kept = {
        k: params[k] for k in (*RELAUNCH_PARAMETERS, STORAGE_TARGET) if params.get(k)
    }
    ttl = int(current_app.config["LTI_STATE_TTL"])
    cache.set(f"lti:login:{fingerprint(state)}", kept, timeout=ttl)


def _login(state: str | None) -> dict[str, Any]:
    kept = cache.get(f"lti:login:{fingerprint(state)}") if state else None
    return kept if isinstance(kept, dict) else {}


def relaunch_url(state: str | None) -> str | None:
    """A first-party login URL that repeats the login of ``state``."""
    kept = {k: v for k, v in _login(state).items() if k in RELAUNCH_PARAMETERS}
    return "/lti/login?" + urlencode(kept) if kept else None


def login_storage_target(state: str | None) -> str | None:
    """The ``lti_storage_target`` the login of ``state`` was offered, if any."""
    target = _login(state).get(STORAGE_TARGET)
    return target if isinstance(target, str) else None
