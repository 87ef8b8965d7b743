"""Build id_token claims shaped the way Blackboard Learn sends them."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from .course import COURSE, COURSE_OFFERING, ResourceLink, User
from .settings import Settings

logger = logging.getLogger(__name__)

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ONE_TIME_SESSION_TOKEN = "https://blackboard.com/lti/claim/one_time_session_token"

ID_TOKEN_LIFETIME = 300
LOCALE = "en-US"

PLATFORM_GUID = "8897ff90e43d414b8b6ad86748d679c9"
PLATFORM_NAME = "DEV Learn (devplatform)"
PLATFORM_VERSION = "3900.104.0-rel.1+dev"
PLATFORM_CONTACT = "lms-admin@dev101.example.edu"


def build_id_token_claims(
    user: User,
    link: ResourceLink,
    nonce: str,
    settings: Settings,
    now: int,
    *,
    session_token: str | None = None,
) -> dict[str, Any]:
    """Return the claims of an LtiResourceLinkRequest for ``user`` on ``link``.

    Pure apart from ``session_token``: when it is None a random one is made.
    """
    if session_token is None:
        session_token = secrets.token_hex(16)

    return {
        "iss": settings.issuer,
        "aud": settings.client_id,
        "sub": user.uuid,
        "iat": now,
        "exp": now + ID_TOKEN_LIFETIME,
        "nonce": nonce,
        "name": user.name,
        "given_name": user.given_name,
        "family_name": user.family_name,
        "email": user.email,
        "locale": LOCALE,
        LTI + "message_type": "LtiResourceLinkRequest",
        LTI + "version": "1.3.0",
        LTI + "deployment_id": settings.deployment_id,
        LTI + "target_link_uri": settings.target_link_uri,
        LTI + "resource_link": {
            "id": link.id,
            "title": link.title,
            "description": link.description,
        },
        LTI + "roles": list(user.roles),
        LTI + "context": {
            "id": COURSE.uuid,
            "label": COURSE.label,
            "title": COURSE.title,
            "type": [COURSE_OFFERING],
        },
        LTI + "tool_platform": {
            "guid": PLATFORM_GUID,
            "name": PLATFORM_NAME,
            "version": PLATFORM_VERSION,
            "product_family_code": "BlackboardLearn",
            "url": settings.url + "/",
            "contact_email": PLATFORM_CONTACT,
        },
        LTI + "launch_presentation": {
            "document_target": "iframe",
            "return_url": settings.return_url,
            "locale": LOCALE,
        },
        LTI + "custom": {name: str(value) for name, value in link.custom.items()},
        LTI + "lis": {
            "person_sourcedid": user.sourcedid,
            "course_offering_sourcedid": COURSE.sourcedid,
        },
        ONE_TIME_SESSION_TOKEN: f"{session_token},{user.uuid}",
    }
