"""Where a resource link's scores go: its line item, found or created."""

from __future__ import annotations

import logging

from app.lti.claims import Launch
from app.services.ags import AgsClient, LineItem
from app.tool.catalog import Activity

logger = logging.getLogger(__name__)


def line_item_for_link(client: AgsClient, launch: Launch, activity: Activity) -> str:
    """The URL of the link's line item: the one the launch names, else the one
    with this resource link id, else a new one created for the activity."""
    if client.lineitem_url:
        return client.lineitem_url

    link_id = str(launch.resource_link.get("id", ""))
    existing = client.line_items(resource_link_id=link_id)
    if existing and existing[0].id:
        return existing[0].id

    created = client.create_line_item(
        LineItem(
            label=activity.title,
            score_maximum=activity.score_maximum,
            resource_link_id=link_id,
            resource_id=activity.id,
            tag="quiz",
        )
    )
    logger.info("created line item for resource link %s", link_id)
    if not created.id:
        raise ValueError("the platform created a line item without an id")
    return created.id
