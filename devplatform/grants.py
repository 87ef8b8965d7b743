"""What the 3-legged OAuth steps hand each other: requests, codes, refreshes."""

from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)

LEARN_SCOPES = ("read", "write", "delete", "offline")
OFFLINE = "offline"


@dataclass(frozen=True)
class AuthorizationRequest:
    """An authorization code request that passed every check."""

    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    code_challenge: str | None


@dataclass(frozen=True)
class PendingAuthorization:
    """A request waiting for the login page (no user yet) or the consent page."""

    request: AuthorizationRequest
    user_uuid: str | None = None


@dataclass(frozen=True)
class AuthorizationGrant:
    """What an authorization code stands for."""

    request: AuthorizationRequest
    user_uuid: str


@dataclass(frozen=True)
class RefreshGrant:
    """What a refresh token stands for."""

    user_uuid: str
    scopes: tuple[str, ...]
    redirect_uri: str
