"""Where a resource link's scores go: its line item, found or created."""

from __future__ import annotations

import logging
import time

from app.errors import ServiceUnavailableError
from app.extensions import cache, cache_add
from app.lti.claims import Launch
from app.lti.nonces import fingerprint
from app.services.ags import AgsClient, LineItem
from app.tool.catalog import Activity

logger = logging.getLogger(__name__)

CREATE_LOCK_SECONDS = 30


def find_line_item(client: AgsClient, launch: Launch) -> str | None:
    """The link's line item: the one the launch names, else the one with this
    resource link id; None when there is none yet."""
    if client.lineitem_url:
        return client.lineitem_url
    link_id = str(launch.resource_link.get("id", ""))
    existing = client.line_items(resource_link_id=link_id)
    return existing[0].id if existing and existing[0].id else None


def line_item_for_link(client: AgsClient, launch: Launch, activity: Activity) -> str:
    """The link's line item, created for the activity when there is none.

    Two learners submitting first at the same moment must not create two
    columns, so creation holds a lock in the shared cache.
    """
    found = find_line_item(client, launch)
    if found:
        return found

    link_id = str(launch.resource_link.get("id", ""))
    lock = "lock:lineitem:" + fingerprint(f"{launch.issuer}|{link_id}")
    deadline = time.monotonic() + CREATE_LOCK_SECONDS
    while not cache_add(lock, 1, CREATE_LOCK_SECONDS):
        time.sleep(0.2)
        found = find_line_item(client, launch)
        if found:
            return found
        if time.monotonic() > deadline:
            raise ServiceUnavailableError("another request is creating the line item")
    try:
        found = find_line_item(client, launch)
        if found:
            return found
        created = client.create_line_item(
            LineItem(
                label=activity.title,
                score_maximum=activity.score_maximum,
                resource_link_id=link_id,
                resource_id=activity.id,
                tag="quiz",
            )
        )
    finally:
        cache.delete(lock)
    logger.info("created line item for resource link %s", link_id)
    if not created.id:
        raise ServiceUnavailableError("the platform created a line item without an id")
    return created.id
