"""A local stand-in for Blackboard Learn that launches an LTI 1.3 tool."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from . import (
    admin,
    ags,
    auth,
    authorize,
    contentadmin,
    deeplinking,
    grades,
    grading,
    learntoken,
    ltitoken,
    management,
    nrps,
    pages,
    rest,
)
from .handlers import register_error_handlers
from .keys import KeyStore
from .settings import (
    DEFAULT_CLIENT_ID,
    DEFAULT_DEPLOYMENT_ID,
    DEFAULT_LEARN_APP_KEY,
    DEFAULT_LEARN_APP_SECRET,
    load_settings,
)
from .state import EXTENSION_NAME, build_platform

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_DEPLOYMENT_ID",
    "DEFAULT_LEARN_APP_KEY",
    "DEFAULT_LEARN_APP_SECRET",
    "create_app",
]

logger = logging.getLogger(__name__)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the platform app from environment variables and ``config``."""
    app = Flask(__name__)
    settings = load_settings(config)

    app.config.from_mapping(
        SECRET_KEY=settings.secret,
        DEVPLATFORM_URL=settings.url,
        DEVPLATFORM_TOOL_URL=settings.tool_url,
        DEVPLATFORM_ISSUER=settings.issuer,
        DEVPLATFORM_CLIENT_ID=settings.client_id,
        DEVPLATFORM_DEPLOYMENT_ID=settings.deployment_id,
        DEVPLATFORM_DATA_DIR=str(settings.data_dir),
        DEVPLATFORM_TOOL_JWKS_URL=settings.tool_jwks_url,
        DEVPLATFORM_LEARN_APP_KEY=settings.learn_app_key,
        DEVPLATFORM_TOKEN_LIFETIME=settings.token_lifetime,
        DEVPLATFORM_RATE_LIMIT=settings.rate_limit,
    )
    if config:
        extra = {k: v for k, v in config.items() if not k.startswith("DEVPLATFORM_")}
        app.config.from_mapping(extra)

    keys = KeyStore(settings.data_dir)
    app.extensions[EXTENSION_NAME] = build_platform(settings, keys)

    for module in (
        pages,
        auth,
        management,
        ltitoken,
        nrps,
        ags,
        grading,
        learntoken,
        authorize,
        rest,
        admin,
        grades,
        deeplinking,
        contentadmin,
    ):
        app.register_blueprint(module.bp)
    register_error_handlers(app)

    logger.info(
        "devplatform at %s for tool %s, client_id %s, signing kid %s",
        settings.url,
        settings.tool_url,
        settings.client_id,
        keys.signing_key.kid,
    )
    return app
