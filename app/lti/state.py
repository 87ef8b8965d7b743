"""Binding the login's state to the browser with a cookie.

Each login gets its own cookie, named after a hash of its state, so two tool
frames launching at once on one page do not overwrite each other. Over https
the cookie is ``Secure; SameSite=None; HttpOnly; Partitioned``, as the launch
POST arrives cross-site inside the platform's iframe.
"""

from __future__ import annotations

from flask import Request, current_app
from werkzeug.wrappers import Response

from app.lti.nonces import fingerprint

COOKIE_PREFIX = "lti_state_"
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def state_cookie_name(state: str) -> str:
    """The cookie that carries ``state``."""
    return COOKIE_PREFIX + fingerprint(state)[:20]


def cookies_can_be_secure(request: Request) -> bool:
    """Whether the browser will keep a Secure cookie from this request.

    Over https always; outside production, also over http on loopback, where
    browsers treat the origin as secure.
    """
    if request.is_secure:
        return True
    host = (request.host or "").rsplit(":", 1)[0]
    return current_app.config["APP_ENV"] != "production" and host in LOOPBACK_HOSTS


def bind_state(response: Response, request: Request, state: str) -> None:
    """Set the state cookie on the login's response."""
    secure = cookies_can_be_secure(request)
    response.set_cookie(
        state_cookie_name(state),
        state,
        max_age=int(current_app.config["LTI_STATE_TTL"]),
        path="/lti/",
        secure=secure,
        httponly=True,
        samesite="None" if secure else "Lax",
        partitioned=secure,
    )


def read_bound_state(request: Request, state: str | None) -> str | None:
    """The state this browser holds for the launch's state, if any."""
    if not state:
        return None
    return request.cookies.get(state_cookie_name(state))


def unbind_state(response: Response, request: Request, state: str) -> None:
    """Remove the state cookie once the launch has used it."""
    secure = cookies_can_be_secure(request)
    response.delete_cookie(
        state_cookie_name(state),
        path="/lti/",
        secure=secure,
        httponly=True,
        samesite="None" if secure else "Lax",
        partitioned=secure,
    )
