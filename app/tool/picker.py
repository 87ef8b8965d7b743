"""The deep-linking picker: instructors choose activities to place in Learn.

Each chosen activity becomes an ``ltiResourceLink`` whose URL is the tool's
launch URL with no query string (Learn breaks later launches of URLs with
one); what to open goes into ``custom``. A gradable item carries a
``lineItem``, without which Learn creates no gradebook column.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.datastructures import MultiDict

from app.errors import ForbiddenError, LtiError
from app.lti import roles
from app.lti.claims import Launch
from app.lti.deep_linking import DeepLinkingSettings, build_response
from app.lti.session import current_launch, issue_launch_token
from app.tool.catalog import ACTIVITIES, Activity

bp = Blueprint("tool_picker", __name__, url_prefix="/deep-linking")

DIFFICULTIES = ("introductory", "standard", "challenging")
RESOURCE_LINK = "ltiResourceLink"
# Pages that carry a launch token: never cached, never sent as a referrer.
PRIVATE_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


class BadSelectionError(LtiError):
    """The picker's form was filled in wrongly."""

    code = "deep_linking.bad_selection"
    title = "The selection could not be used"


def _require_content_rights(launch: Launch) -> None:
    if not roles.is_content_developer(launch.roles):
        raise ForbiddenError(
            "only the course's instructors can add content from the tool"
        )


def show_picker(launch: Launch) -> Response:
    """The picker page for a deep-linking launch (instructors only)."""
    _require_content_rights(launch)
    settings = DeepLinkingSettings.of(launch)
    page = render_template(
        "picker.html",
        launch=launch,
        settings=settings,
        activities=list(ACTIVITIES.values()),
        difficulties=DIFFICULTIES,
        accepts_links=settings.accepts(RESOURCE_LINK),
        launch_token=issue_launch_token(launch),
    )
    return Response(page, mimetype="text/html", headers=PRIVATE_PAGE_HEADERS)


def _browser_zone(form: MultiDict[str, str]) -> timezone:
    """The picker's time zone: its script sends the browser's UTC offset."""
    try:
        minutes = int(form.get("tz_offset", "0"))
    except ValueError:
        minutes = 0
    if abs(minutes) > 14 * 60:
        minutes = 0
    return timezone(timedelta(minutes=minutes)) if minutes else UTC


def _date(form: MultiDict[str, str], name: str) -> str | None:
    value = form.get(name, "").strip()
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as e:
        raise BadSelectionError(f"{name} is not a date and time") from e
    if when.tzinfo is None:
        when = when.replace(tzinfo=_browser_zone(form))
    return when.isoformat()


def _points(form: MultiDict[str, str], name: str) -> float:
    try:
        points = float(form.get(name, ""))
    except ValueError as e:
        raise BadSelectionError(f"{name} must be a number") from e
    if points <= 0:
        raise BadSelectionError(f"{name} must be greater than 0")
    return points


def content_item(
    activity: Activity, form: MultiDict[str, str], settings: DeepLinkingSettings
) -> dict[str, Any]:
    """The ltiResourceLink content item for one chosen activity."""
    prefix = f"{activity.id}."
    title = form.get(prefix + "title", "").strip() or activity.title
    difficulty = form.get(prefix + "difficulty", "standard")
    if difficulty not in DIFFICULTIES:
        raise BadSelectionError(f"unknown difficulty {difficulty!r}")

    item: dict[str, Any] = {
        "type": RESOURCE_LINK,
        "title": title,
        "text": activity.description,
        "url": str(current_app.config["TOOL_URL"]) + "/lti/launch",
        "custom": {"activity": activity.id, "difficulty": difficulty},
    }
    if "iframe" in settings.accept_targets:
        item["iframe"] = {"width": 900, "height": 700}
    elif "window" in settings.accept_targets:
        item["window"] = {"targetName": "_blank"}

    if form.get(prefix + "gradable") and settings.accept_lineitem:
        item["lineItem"] = {
            "scoreMaximum": _points(form, prefix + "points"),
            "label": title,
            "resourceId": activity.id,
            "tag": "quiz",
        }

    start, end = _date(form, prefix + "start"), _date(form, prefix + "end")
    if start and end and end <= start:
        raise BadSelectionError(f"{title}: the end must come after the start")
    if start or end:
        item["available"] = {
            k: v for k, v in (("startDateTime", start), ("endDateTime", end)) if v
        }
    return item


@bp.post("/respond")
def respond() -> Response:
    """Sign the response (chosen items, a cancel, or an error) and send it back."""
    launch = current_launch()
    _require_content_rights(launch)
    settings = DeepLinkingSettings.of(launch)
    form = request.form
    action = form.get("action", "add")

    if action == "cancel":
        token = build_response(launch, [], msg="No content was added.")
    elif not settings.accepts(RESOURCE_LINK):
        token = build_response(
            launch,
            [],
            errormsg="This placement does not accept the tool's content.",
            errorlog=f"accept_types {list(settings.accept_types)} lacks "
            f"{RESOURCE_LINK}",
        )
    else:
        chosen = [ACTIVITIES[i] for i in form.getlist("activity") if i in ACTIVITIES]
        if not chosen:
            raise BadSelectionError("choose at least one activity, or cancel")
        if len(chosen) > 1 and not settings.accept_multiple:
            raise BadSelectionError("this placement takes one activity only")
        items = [content_item(activity, form, settings) for activity in chosen]
        token = build_response(launch, items, msg=f"Added {len(items)} item(s).")

    page = render_template(
        "deep_link_return.html", return_url=settings.return_url, jwt=token
    )
    return Response(page, mimetype="text/html")
