"""Build id_token claims shaped the way Blackboard Learn sends them."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from .course import COURSE, COURSE_OFFERING, ResourceLink, User
from .dlrequests import DeepLinkRequest
from .services import AGS_SCOPES, lineitem_url, lineitems_url, memberships_url
from .settings import Settings

logger = logging.getLogger(__name__)

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ONE_TIME_SESSION_TOKEN = "https://blackboard.com/lti/claim/one_time_session_token"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DEEP_LINKING_SETTINGS = (
    "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
)
DOCUMENT_TARGETS = ("iframe", "window")

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
    session_token_uuid: bool = True,
) -> dict[str, Any]:
    """Return the claims of an LtiResourceLinkRequest for ``user`` on ``link``.

    Pure apart from ``session_token``: when it is None a random one is made.
    With ``session_token_uuid`` False the one-time session token claim lacks
    its ``,<user uuid>`` part, as some Learn releases send it. A link placed
    by deep linking with a ``url`` launches with that URL as target link URI.
    """
    claims = _common_claims(
        user, nonce, settings, now, session_token, session_token_uuid
    )
    claims.update(
        {
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "target_link_uri": link.url or settings.target_link_uri,
            LTI + "resource_link": {
                "id": link.id,
                "title": link.title,
                "description": link.description,
            },
            LTI + "custom": {name: str(value) for name, value in link.custom.items()},
            AGS_CLAIM: _ags_endpoint(settings, link.line_item),
        }
    )
    return claims


def build_deep_linking_claims(
    user: User,
    request: DeepLinkRequest,
    nonce: str,
    settings: Settings,
    now: int,
    *,
    session_token: str | None = None,
    session_token_uuid: bool = True,
) -> dict[str, Any]:
    """Return the claims of an LtiDeepLinkingRequest for ``user``.

    Like a resource link launch but without ``resource_link`` or ``custom``,
    with an AGS claim that names no line item, and with the settings claim
    built from ``request``.
    """
    claims = _common_claims(
        user, nonce, settings, now, session_token, session_token_uuid
    )
    claims.update(
        {
            LTI + "message_type": "LtiDeepLinkingRequest",
            LTI + "target_link_uri": settings.target_link_uri,
            DEEP_LINKING_SETTINGS: {
                "deep_link_return_url": settings.deep_link_return_url,
                "accept_types": list(request.accept_types),
                "accept_presentation_document_targets": list(DOCUMENT_TARGETS),
                "accept_multiple": request.accept_multiple,
                "accept_lineitem": request.accept_lineitem,
                "auto_create": False,
                "title": f"Add content to {COURSE.label}",
                "text": f"Content for {COURSE.title}",
                "data": request.data,
            },
            AGS_CLAIM: _ags_endpoint(settings, None),
        }
    )
    return claims


def _common_claims(
    user: User,
    nonce: str,
    settings: Settings,
    now: int,
    session_token: str | None,
    session_token_uuid: bool,
) -> dict[str, Any]:
    """Return the claims every launch carries, whatever its message type."""
    if session_token is None:
        session_token = secrets.token_hex(16)
    if session_token_uuid:
        session_token = f"{session_token},{user.uuid}"

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
        LTI + "version": "1.3.0",
        LTI + "deployment_id": settings.deployment_id,
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
        LTI + "lis": {
            "person_sourcedid": user.sourcedid,
            "course_offering_sourcedid": COURSE.sourcedid,
        },
        ONE_TIME_SESSION_TOKEN: session_token,
        NRPS_CLAIM: {
            "context_memberships_url": memberships_url(settings.url),
            "service_versions": ["2.0"],
        },
    }


def _ags_endpoint(settings: Settings, line_item: str | None) -> dict[str, Any]:
    """Return the AGS endpoint claim; only a graded link names its line item."""
    endpoint: dict[str, Any] = {
        "scope": list(AGS_SCOPES),
        "lineitems": lineitems_url(settings.url),
    }
    if line_item is not None:
        endpoint["lineitem"] = lineitem_url(settings.url, line_item)
    return endpoint
