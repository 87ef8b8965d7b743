"""The checklist an OIDC authentication request must pass before a launch."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from .content import CourseContent
from .course import USERS, ResourceLink, User
from .errors import (
    InvalidMessageHintError,
    MissingParameterError,
    UnknownClientError,
    UnknownUserError,
    UnregisteredRedirectError,
    WrongParameterError,
)
from .hints import HintError, MessageHint, read_hint
from .settings import Settings

logger = logging.getLogger(__name__)

FIXED_VALUES = (
    ("scope", "openid"),
    ("response_type", "id_token"),
    ("response_mode", "form_post"),
    ("prompt", "none"),
)


@dataclass(frozen=True)
class AuthRequest:
    """An authentication request that passed every check.

    ``link`` is None for a deep-linking request; ``storage`` says whether
    the platform offers storage to this launch.
    """

    user: User
    link: ResourceLink | None
    nonce: str
    state: str
    redirect_uri: str
    storage: bool = False

    @property
    def deep_link(self) -> bool:
        """Return whether the request asks for an LtiDeepLinkingRequest."""
        return self.link is None


def validate_auth_request(
    params: Mapping[str, str], settings: Settings, now: int, content: CourseContent
) -> AuthRequest:
    """Check ``params`` in order and return the launch they ask for.

    :raises AuthRequestError: a leaf naming the first failed check.
    """
    _check_client_id(params, settings)
    redirect_uri = _check_redirect_uri(params, settings)

    for name, expected in FIXED_VALUES:
        _check_fixed_value(params, name, expected)

    nonce = _require(params, "nonce")
    state = _require(params, "state")

    user = _check_login_hint(params)
    hint = _check_message_hint(params, user, settings, now)
    link = _check_link(hint, content)

    return AuthRequest(user, link, nonce, state, redirect_uri, hint.storage)


def _require(params: Mapping[str, str], name: str) -> str:
    """Return parameter ``name``, which must be present and non-empty."""
    value = params.get(name, "")
    if not value:
        raise MissingParameterError(name)
    return value


def _check_client_id(params: Mapping[str, str], settings: Settings) -> None:
    """The client_id is the one registered for the tool."""
    client_id = params.get("client_id")
    if client_id != settings.client_id:
        raise UnknownClientError(client_id)


def _check_redirect_uri(params: Mapping[str, str], settings: Settings) -> str:
    """The redirect_uri equals the registered one, byte for byte."""
    redirect_uri = params.get("redirect_uri")
    if redirect_uri != settings.redirect_uri:
        raise UnregisteredRedirectError(redirect_uri, settings.redirect_uri)
    return redirect_uri


def _check_fixed_value(params: Mapping[str, str], name: str, expected: str) -> None:
    """Parameter ``name`` has the single value LTI 1.3 allows."""
    value = _require(params, name)
    if value != expected:
        raise WrongParameterError(name, value, expected)


def _check_login_hint(params: Mapping[str, str]) -> User:
    """The login_hint names a known user."""
    login_hint = _require(params, "login_hint")
    user = USERS.get(login_hint)
    if user is None:
        raise UnknownUserError(login_hint)
    return user


def _check_message_hint(
    params: Mapping[str, str], user: User, settings: Settings, now: int
) -> MessageHint:
    """The lti_message_hint is ours, fresh and for this user."""
    value = _require(params, "lti_message_hint")
    try:
        hint = read_hint(settings.secret, value, now)
    except HintError as e:
        raise InvalidMessageHintError(str(e)) from e

    if hint.user_key != user.key:
        raise InvalidMessageHintError("lti_message_hint is for another login_hint")
    return hint


def _check_link(hint: MessageHint, content: CourseContent) -> ResourceLink | None:
    """The hint asks for deep linking, or names a link in the course."""
    if hint.link_id is None:
        return None
    link = content.find(hint.link_id)
    if link is None:
        raise InvalidMessageHintError("lti_message_hint names an unknown link")
    return link
