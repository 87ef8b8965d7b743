"""The LTI 1.3 tool for Blackboard Learn: the application factory."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import config_class, settings_from_environ

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
LOG_FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings, checks, extensions, blueprints, error pages."""
    from app import cli, error_pages, pages, tool
    from app.extensions import cache, http
    from app.keys import ToolKeys
    from app.lti import jwks, launch, oidc
    from app.registry import Registry
    from app.services import learn_oauth
    from app.settings import prepare_config

    app_env = (test_config or {}).get("APP_ENV") or os.environ.get("APP_ENV")
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config_class(app_env))
    app.config.update(settings_from_environ(os.environ))
    if test_config:
        app.config.update(test_config)
    prepare_config(app)
    _configure_logging(app)

    cache.init_app(app)
    http.init_app(app)
    Registry(
        Path(app.config["LTI_PLATFORMS_FILE"]),
        allow_http=app.config["APP_ENV"] != "production",
    ).init_app(app)
    tool_keys = ToolKeys(Path(app.config["TOOL_KEYS_DIR"]))
    tool_keys.init_app(app)
    _ensure_signing_key(app, tool_keys)

    hops = app.config["PROXY_FIX_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )

    app.register_blueprint(oidc.bp)
    app.register_blueprint(launch.bp)
    app.register_blueprint(jwks.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(learn_oauth.bp)
    tool.init_app(app)
    error_pages.init_app(app)
    cli.init_app(app)
    return app


def _configure_logging(app: Flask) -> None:
    """Log to stdout unless a server (gunicorn) has set handlers already."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    if root.level == logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _ensure_signing_key(app: Flask, tool_keys: Any) -> None:
    """Development makes a key on first run; production only warns."""
    if tool_keys.published():
        return
    if app.config["APP_ENV"] == "development":
        kid = tool_keys.generate()
        logger.info("generated development signing key %s", kid)
    elif app.config["APP_ENV"] == "production":
        logger.warning(
            "TOOL_KEYS_DIR %s has no key: the JWKS is empty and nothing can be "
            "signed; run 'flask --app wsgi keys generate'",
            app.config["TOOL_KEYS_DIR"],
        )
