"""The demo tool a forker replaces: what a verified launch shows.

``init_app`` registers the tool's blueprint and tells the protocol layer which
view answers each kind of launch. Nothing below ``app/tool`` knows about it.
"""

from __future__ import annotations

from flask import Flask

from app.lti.claims import DEEP_LINKING_REQUEST, RESOURCE_LINK_REQUEST
from app.lti.launch import register_launch_handler
from app.tool import activity, api, gradebook, picker, views


def init_app(app: Flask) -> None:
    """Register the tool's pages and its launch handlers."""
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(activity.bp)
    app.register_blueprint(gradebook.bp)
    app.register_blueprint(picker.bp)
    register_launch_handler(app, RESOURCE_LINK_REQUEST, views.show_tool_page)
    register_launch_handler(app, DEEP_LINKING_REQUEST, picker.show_picker)
