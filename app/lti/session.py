"""Verified launches kept server side, and the launch token that names one.

After the launch no cookie is needed: the tool page receives a signed,
short-lived launch token, and every later request of that launch carries it
(header ``X-Launch-Token``, or a ``launch_token`` form or query field). The
token only names a launch id; the launch itself stays in the shared cache.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app, g, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app import errors
from app.extensions import cache
from app.lti.claims import Launch
from app.lti.validation import VerifiedLaunch

TOKEN_HEADER = "X-Launch-Token"
TOKEN_FIELD = "launch_token"
_SALT = "lti-launch-token"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def store_launch(verified: VerifiedLaunch, binding: str = "cookie") -> Launch:
    """Keep a verified launch in the shared cache under a new launch id."""
    launch = Launch(
        launch_id=secrets.token_urlsafe(18),
        issuer=verified.registration.issuer,
        client_id=verified.registration.client_id,
        deployment_id=verified.deployment_id,
        claims=verified.claims,
        binding=binding,
    )
    ttl = int(current_app.config["LTI_LAUNCH_TTL"])
    cache.set(f"lti:launch:{launch.launch_id}", launch.to_json(), timeout=ttl)
    return launch


def issue_launch_token(launch: Launch) -> str:
    """A signed token naming the launch, for the page to carry."""
    return str(_serializer().dumps({"lid": launch.launch_id}))


def load_launch(token: str) -> Launch:
    """The launch a token names.

    :raises LaunchTokenInvalidError: the token is forged or malformed.
    :raises LaunchTokenExpiredError: the token or its launch has expired.
    """
    max_age = int(current_app.config["LTI_LAUNCH_TTL"])
    try:
        data: Any = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as e:
        raise errors.LaunchTokenExpiredError("the launch token has expired") from e
    except BadSignature as e:
        raise errors.LaunchTokenInvalidError("the launch token is not valid") from e

    launch_id = data.get("lid") if isinstance(data, dict) else None
    if not isinstance(launch_id, str):
        raise errors.LaunchTokenInvalidError("the launch token names no launch")
    return load_launch_by_id(launch_id)


def load_launch_by_id(launch_id: str) -> Launch:
    """The stored launch with this id.

    :raises LaunchTokenExpiredError: it has expired from the cache.
    """
    stored = cache.get(f"lti:launch:{launch_id}")
    if stored is None:
        raise errors.LaunchTokenExpiredError("the launch is no longer stored")
    return Launch.from_json(stored)


def launch_token_from_request() -> str | None:
    """The launch token sent with the current request, if any."""
    return (
        request.headers.get(TOKEN_HEADER)
        or request.form.get(TOKEN_FIELD)
        or request.args.get(TOKEN_FIELD)
    )


def current_launch() -> Launch:
    """The launch of the current request, from its launch token."""
    if "launch" not in g:
        token = launch_token_from_request()
        if not token:
            raise errors.LaunchTokenMissingError("no launch token sent")
        g.launch = load_launch(token)
    launch: Launch = g.launch
    return launch
