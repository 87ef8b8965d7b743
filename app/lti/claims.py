"""Claim names of LTI 1.3 id_tokens, and the verified launch built from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
TARGET_LINK_URI = LTI + "target_link_uri"
RESOURCE_LINK = LTI + "resource_link"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
TOOL_PLATFORM = LTI + "tool_platform"
LAUNCH_PRESENTATION = LTI + "launch_presentation"
CUSTOM = LTI + "custom"
LIS = LTI + "lis"

DEEP_LINKING_SETTINGS = (
    "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
)
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_SERVICE = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
ONE_TIME_SESSION_TOKEN = "https://blackboard.com/lti/claim/one_time_session_token"

LTI_VERSION = "1.3.0"
RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"


@dataclass(frozen=True)
class Launch:
    """A verified launch: the id_token's claims and where it came from."""

    launch_id: str
    issuer: str
    client_id: str
    deployment_id: str
    claims: dict[str, Any]
    # How the login's state came back: "cookie" or "platform-storage".
    binding: str = "cookie"

    def _object(self, claim: str) -> dict[str, Any]:
        value = self.claims.get(claim)
        return value if isinstance(value, dict) else {}

    @property
    def message_type(self) -> str:
        """The LTI message type, such as LtiResourceLinkRequest."""
        return str(self.claims.get(MESSAGE_TYPE, ""))

    @property
    def user_id(self) -> str:
        """The platform's id for the user (sub); on Learn, the user UUID."""
        return str(self.claims.get("sub", ""))

    @property
    def user_name(self) -> str:
        """The user's display name, or the best the claims offer."""
        for claim in ("name", "given_name", "email"):
            value = self.claims.get(claim)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return "there"

    @property
    def roles(self) -> list[str]:
        """The role URIs of the launching user."""
        roles = self.claims.get(ROLES, [])
        return (
            [r for r in roles if isinstance(r, str)] if isinstance(roles, list) else []
        )

    @property
    def context(self) -> dict[str, Any]:
        """The course (id, label, title, type), or empty."""
        return self._object(CONTEXT)

    @property
    def resource_link(self) -> dict[str, Any]:
        """The placed link (id, title, description), or empty."""
        return self._object(RESOURCE_LINK)

    @property
    def tool_platform(self) -> dict[str, Any]:
        """The platform instance; on Learn, ``url`` is the Learn host."""
        return self._object(TOOL_PLATFORM)

    @property
    def custom(self) -> dict[str, Any]:
        """Custom parameters of the placement."""
        return self._object(CUSTOM)

    @property
    def launch_presentation(self) -> dict[str, Any]:
        """How the platform shows the tool (document_target, return_url)."""
        return self._object(LAUNCH_PRESENTATION)

    @property
    def target_link_uri(self) -> str:
        """The signed target link URI."""
        return str(self.claims.get(TARGET_LINK_URI, ""))

    def to_json(self) -> dict[str, Any]:
        """The launch as stored in the cache."""
        return {
            "launch_id": self.launch_id,
            "issuer": self.issuer,
            "client_id": self.client_id,
            "deployment_id": self.deployment_id,
            "claims": self.claims,
            "binding": self.binding,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Launch:
        """Rebuild a launch stored with :meth:`to_json`."""
        return cls(
            launch_id=data["launch_id"],
            issuer=data["issuer"],
            client_id=data["client_id"],
            deployment_id=data["deployment_id"],
            claims=data["claims"],
            binding=data.get("binding", "cookie"),
        )
