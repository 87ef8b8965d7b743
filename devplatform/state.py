"""Per-app platform state, kept in ``app.extensions``."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from flask import current_app

from .accesstokens import TokenStore
from .content import CourseContent
from .dllog import DeepLinkLog
from .dlrequests import DeepLinkRequests
from .faults import FaultQueue
from .gradebook import Gradebook
from .grants import AuthorizationGrant, PendingAuthorization, RefreshGrant
from .issued import IssuedSecrets
from .jtis import JtiRegistry
from .keys import KeyStore
from .onetime import OneTimeStore
from .ratelimit import RateLimiter
from .runtime import RuntimeSettings
from .settings import Settings
from .stats import Stats
from .toolkeys import ToolKeys

logger = logging.getLogger(__name__)

EXTENSION_NAME = "devplatform"

CODE_MAX_AGE = 600
PENDING_MAX_AGE = 600
SESSION_TOKEN_MAX_AGE = 600
REFRESH_TOKEN_MAX_AGE = 30 * 24 * 60 * 60


def _wall_clock() -> int:
    """Return the current Unix time in whole seconds."""
    return int(time.time())


@dataclass
class Platform:
    """Everything the views share: settings, keys, counters, stores and a clock.

    Every store is thread-safe: the platform runs as one threaded process.
    """

    settings: Settings
    keys: KeyStore
    stats: Stats
    runtime: RuntimeSettings
    rate_limiter: RateLimiter
    tool_keys: ToolKeys
    clock: Callable[[], int] = field(default=_wall_clock)
    tokens: TokenStore = field(default_factory=TokenStore)
    jtis: JtiRegistry = field(default_factory=JtiRegistry)
    faults: FaultQueue = field(default_factory=FaultQueue)
    session_tokens: OneTimeStore[str] = field(
        default_factory=lambda: OneTimeStore(SESSION_TOKEN_MAX_AGE)
    )
    pending: OneTimeStore[PendingAuthorization] = field(
        default_factory=lambda: OneTimeStore(PENDING_MAX_AGE)
    )
    codes: OneTimeStore[AuthorizationGrant] = field(
        default_factory=lambda: OneTimeStore(CODE_MAX_AGE)
    )
    refresh_tokens: OneTimeStore[RefreshGrant] = field(
        default_factory=lambda: OneTimeStore(REFRESH_TOKEN_MAX_AGE)
    )
    gradebook: Gradebook = field(default_factory=Gradebook)
    issued: IssuedSecrets = field(default_factory=IssuedSecrets)
    content: CourseContent = field(default_factory=CourseContent)
    deep_link_requests: DeepLinkRequests = field(default_factory=DeepLinkRequests)
    deep_link_nonces: JtiRegistry = field(default_factory=JtiRegistry)
    deep_link_log: DeepLinkLog = field(default_factory=DeepLinkLog)


def build_platform(settings: Settings, keys: KeyStore) -> Platform:
    """Return fresh platform state for ``settings`` with empty stores.

    The token, code and session token stores report what they issue to
    ``issued``.
    """
    stats = Stats()
    issued = IssuedSecrets()
    return Platform(
        settings=settings,
        keys=keys,
        stats=stats,
        runtime=RuntimeSettings(settings.token_lifetime),
        rate_limiter=RateLimiter(settings.rate_limit),
        tool_keys=ToolKeys(
            settings.tool_jwks_url,
            on_fetch=lambda: stats.increment("tool_jwks_fetches"),
        ),
        tokens=TokenStore(on_issue=issued.recorder("access_token")),
        session_tokens=OneTimeStore(
            SESSION_TOKEN_MAX_AGE, on_put=issued.recorder("one_time_session_token")
        ),
        codes=OneTimeStore(CODE_MAX_AGE, on_put=issued.recorder("authorization_code")),
        refresh_tokens=OneTimeStore(
            REFRESH_TOKEN_MAX_AGE, on_put=issued.recorder("refresh_token")
        ),
        issued=issued,
    )


def get_platform() -> Platform:
    """Return the platform state of the current app."""
    return cast(Platform, current_app.extensions[EXTENSION_NAME])
