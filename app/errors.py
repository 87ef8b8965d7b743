"""The tool's one exception tree; every failure has a stable code.

Codes are machine-readable and never change once published; the error pages,
JSON answers and the WARNING log lines all carry them.
"""

from __future__ import annotations

from typing import Any


class LtiError(Exception):
    """Root of every error the tool raises on purpose."""

    code = "lti.error"
    status = 400
    title = "The request could not be completed"
    hint = ""

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or self.title
        self.details = details
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        """Return the error as the JSON body sent to programs."""
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.hint:
            body["hint"] = self.hint
        relaunch = getattr(self, "relaunch_url", None)
        if relaunch:
            body["relaunch_url"] = relaunch
        return body


# --- configuration -------------------------------------------------------


class ConfigurationError(LtiError):
    """A setting is missing or wrong; raised at start-up, naming the setting."""

    code = "config.invalid"
    status = 500
    title = "The tool is not configured correctly"

    def __init__(self, setting: str, message: str) -> None:
        self.setting = setting
        super().__init__(f"{setting}: {message}", setting=setting)


# --- the tool's own keys -------------------------------------------------


class ToolKeyError(LtiError):
    """The tool has no usable signing key."""

    code = "keys.unavailable"
    status = 503
    title = "The tool has no signing key"
    hint = "Run 'flask --app wsgi keys generate' on the tool's server."


# --- OIDC login initiation -----------------------------------------------


class LoginError(LtiError):
    """The third-party login initiation was refused."""

    code = "login.invalid"
    title = "The login request from the platform was refused"


class LoginParameterMissingError(LoginError):
    """A required login initiation parameter is absent."""

    code = "login.parameter_missing"
    title = "The login request lacks a required parameter"
    hint = "The platform must send iss, login_hint and target_link_uri."


class UnknownPlatformError(LoginError):
    """No registration matches the issuer and client id."""

    code = "login.platform_unknown"
    title = "This platform is not registered with the tool"
    hint = (
        "Register the platform on the tool (flask platforms add) with the "
        "Application ID shown in the Blackboard Developer Portal as client id."
    )


class UnknownDeploymentError(LoginError):
    """The deployment id is not registered for this platform."""

    code = "login.deployment_unknown"
    title = "This deployment of the tool is not registered"
    hint = (
        "Give the tool's administrator the Deployment ID shown in Learn under "
        "Administrator Panel > LTI Tool Providers, so it can be added."
    )


# --- launch validation ---------------------------------------------------


class LaunchError(LtiError):
    """A launch was refused; one subclass per rule of the launch checklist."""

    code = "launch.invalid"
    title = "The launch could not be verified"


class PlatformErrorResponse(LaunchError):
    """The platform answered the authentication request with an error."""

    code = "launch.platform_error"
    title = "The platform refused to authenticate the launch"
    hint = "Check that the tool is approved and enabled in Learn, then retry."


class StateMissingError(LaunchError):
    """No state came back, or none is bound to this browser."""

    code = "launch.state_missing"
    # A first-party login URL to retry the launch in a new window, when known.
    relaunch_url: str | None = None
    title = "The launch session was not found in this browser"
    hint = (
        "The browser may block the tool's cookies inside Learn's frame. "
        "Try opening the tool in a new window, or allow cookies for it."
    )


class StateMismatchError(LaunchError):
    """The state sent back differs from the one bound to this browser."""

    code = "launch.state_mismatch"
    title = "The launch does not belong to this browser session"
    hint = "Start the launch again from the course."


class MalformedTokenError(LaunchError):
    """The id_token is absent or is not a well-formed JWT."""

    code = "launch.token_malformed"
    title = "The launch carries no readable id_token"


class AlgorithmNotAllowedError(LaunchError):
    """The token is signed with an algorithm the registration does not allow."""

    code = "launch.algorithm_not_allowed"
    title = "The launch is signed with an algorithm that is not allowed"
    hint = "Check the signing algorithm chosen in the Developer Portal."


class UnknownIssuerError(LaunchError):
    """No registration matches the token's issuer and audience."""

    code = "launch.platform_unknown"
    title = "The launch comes from a platform the tool does not know"
    hint = UnknownPlatformError.hint


class KeySetUnavailableError(LaunchError):
    """The platform's key set could not be fetched and none is cached."""

    code = "launch.key_set_unavailable"
    status = 503
    title = "The platform's public keys could not be fetched"
    hint = "Check the key set URL of the registration; retry in a minute."


class UnknownKeyError(LaunchError):
    """The token's kid is not in the platform's key set, even after a refetch."""

    code = "launch.key_unknown"
    title = "The launch is signed with a key the platform does not publish"


class InvalidSignatureError(LaunchError):
    """The signature does not verify with the platform's key."""

    code = "launch.signature_invalid"
    title = "The launch's signature is not valid"


class AudienceError(LaunchError):
    """The client id is not in aud, or aud names an untrusted party."""

    code = "launch.audience_invalid"
    title = "The launch is addressed to another tool"


class AuthorizedPartyError(LaunchError):
    """azp is missing or differs from the client id on a multi-audience token."""

    code = "launch.azp_invalid"
    title = "The launch's authorized party is not this tool"


class TokenExpiredError(LaunchError):
    """The id_token's exp has passed."""

    code = "launch.token_expired"
    title = "The launch has expired"
    hint = "Launch again; if it keeps failing, check the server's clock (NTP)."


class IssuedInFutureError(LaunchError):
    """The id_token's iat lies in the future beyond the allowed skew."""

    code = "launch.issued_in_future"
    title = "The launch was issued in the future"
    hint = "The clocks of the platform and the tool disagree; check NTP."


class TokenTooOldError(LaunchError):
    """The id_token was issued too long ago."""

    code = "launch.token_too_old"
    title = "The launch is too old"
    hint = TokenExpiredError.hint


class NonceMissingError(LaunchError):
    """The id_token carries no nonce."""

    code = "launch.nonce_missing"
    title = "The launch has no nonce"


class NonceUnknownError(LaunchError):
    """The nonce was not issued by this tool, or its login has expired."""

    code = "launch.nonce_unknown"
    title = "The launch was not started by this tool, or took too long"
    hint = "Start the launch again from the course."


class NonceMismatchError(LaunchError):
    """The nonce was issued for another login than this state."""

    code = "launch.nonce_mismatch"
    title = "The launch does not match its login request"


class NonceReplayedError(LaunchError):
    """The nonce has already been used: the id_token is being replayed."""

    code = "launch.nonce_replayed"
    title = "This launch has already been used"
    hint = "Each launch can be used once. Start it again from the course."


class DeploymentMissingError(LaunchError):
    """The deployment_id claim is absent or malformed."""

    code = "launch.deployment_missing"
    title = "The launch names no deployment"


class DeploymentUnknownError(LaunchError):
    """The deployment_id is not registered for this platform."""

    code = "launch.deployment_unknown"
    title = UnknownDeploymentError.title
    hint = UnknownDeploymentError.hint


class VersionError(LaunchError):
    """The LTI version claim is not 1.3.0."""

    code = "launch.version_unsupported"
    title = "The launch uses an unsupported LTI version"


class MessageTypeError(LaunchError):
    """The message type is missing or not one the tool supports."""

    code = "launch.message_type_unsupported"
    title = "The tool does not support this kind of launch"


class ClaimMissingError(LaunchError):
    """A claim the message type requires is absent."""

    code = "launch.claim_missing"
    title = "The launch lacks a required claim"

    def __init__(self, claim: str, message: str | None = None) -> None:
        self.claim = claim
        super().__init__(message or f"missing claim {claim}", claim=claim)


class ClaimInvalidError(LaunchError):
    """A claim is present but has the wrong shape or value."""

    code = "launch.claim_invalid"
    title = "The launch has an invalid claim"

    def __init__(self, claim: str, message: str | None = None) -> None:
        self.claim = claim
        super().__init__(message or f"invalid claim {claim}", claim=claim)


class TargetLinkUriError(LaunchError):
    """target_link_uri points outside the tool's own origin."""

    code = "launch.target_link_uri_foreign"
    title = "The launch targets a URL outside this tool"
    hint = "Check the placement's Target Link URI in the Developer Portal."


# --- after the launch ----------------------------------------------------


class SessionError(LtiError):
    """A follow-up request does not carry a valid launch token."""

    code = "session.invalid"
    status = 401
    title = "This page needs a launch from the course"
    hint = "Open the tool again from the course in Learn."


class LaunchTokenMissingError(SessionError):
    """No launch token was sent."""

    code = "session.launch_token_missing"


class LaunchTokenInvalidError(SessionError):
    """The launch token is forged, or signed with another secret."""

    code = "session.launch_token_invalid"


class LaunchTokenExpiredError(SessionError):
    """The launch token or the launch it names has expired."""

    code = "session.launch_expired"
    title = "This launch has expired"


class ForbiddenError(LtiError):
    """The launching user's course role does not allow this action."""

    code = "session.forbidden"
    status = 403
    title = "Your role in this course does not allow this"


# --- calls to the platform and to Learn ----------------------------------


class ServiceError(LtiError):
    """A call to a platform service failed; carries its status and an excerpt."""

    code = "service.failed"
    status = 502
    title = "A call to the platform failed"

    def __init__(
        self,
        message: str,
        *,
        upstream_status: int | None = None,
        excerpt: str = "",
    ) -> None:
        self.upstream_status = upstream_status
        self.excerpt = excerpt[:300]
        super().__init__(message, upstream_status=upstream_status)


class TokenRequestError(ServiceError):
    """The token endpoint refused, or kept failing, a token request."""

    code = "service.token_request_failed"
    title = "The tool could not get an access token from the platform"
    hint = (
        "For grades and rosters, check the tool's JWKS URL and key in the "
        "Developer Portal; for Learn data, the application key and secret."
    )


class ScopeNotGrantedError(ServiceError):
    """The access token does not carry the scope this call needs."""

    code = "service.scope_not_granted"
    status = 403
    title = "The platform did not grant the access this feature needs"
    hint = (
        "In Learn, the administrator must allow the tool's access to grades "
        "or memberships on the tool's LTI registration."
    )


class ServiceNotOfferedError(ServiceError):
    """The launch offers no claim for this service."""

    code = "service.not_offered"
    status = 403
    title = "This feature is not enabled for the tool in this course"
    hint = ScopeNotGrantedError.hint


class ServiceUnavailableError(ServiceError):
    """The service could not be reached, or kept answering 429 or 503."""

    code = "service.unavailable"
    status = 503
    title = "The platform's service is not answering"
    hint = "Try again in a minute."


class ForeignHostError(ServiceError):
    """A service URL (such as a paging link) points to another host."""

    code = "service.foreign_host"
    title = "The platform sent a link to another host; it was not followed"


class LearnNotConfiguredError(ServiceError):
    """LEARN_APP_KEY or LEARN_APP_SECRET is not set."""

    code = "service.learn_not_configured"
    status = 503
    title = "Learn REST access is not configured on the tool"
    hint = (
        "Set LEARN_APP_KEY and LEARN_APP_SECRET to the Application Key and "
        "Secret from the Blackboard Developer Portal."
    )


class LearnNotRegisteredError(ServiceError):
    """Learn says the application is not registered with the site."""

    code = "service.learn_not_registered"
    title = "This Learn site has not enabled the tool's REST application"
    hint = (
        "A Learn administrator must create a REST API Integration "
        "(Administrator Panel > REST API Integrations) with the tool's "
        "Application ID, and End User Access set to Yes."
    )


class LearnAuthorizationRequiredError(ServiceError):
    """The user has not yet allowed the tool to act for them in Learn."""

    code = "service.learn_authorization_required"
    status = 401
    title = "Allow the tool to read your Learn data first"


class LearnAuthorizationError(ServiceError):
    """The Learn authorization (three-legged OAuth) did not complete."""

    code = "service.learn_authorization_failed"
    status = 400
    title = "The authorization with Learn did not complete"
    hint = "Open the tool again from the course and retry."


class UnknownUserError(ServiceError):
    """Learn: a score for a user not enrolled in the course (400)."""

    code = "service.user_not_found"
    status = 400
    title = "That user is not enrolled in this course"


class AttemptLimitError(ServiceError):
    """Learn: the line item's attempt limit has been reached (422)."""

    code = "service.attempt_limit"
    status = 409
    title = "No attempts left for this activity"
    hint = "An instructor can allow more attempts on the item in Learn."


class ServiceNotFoundError(ServiceError):
    """The platform answered 404 for a service resource."""

    code = "service.not_found"
    status = 404
    title = "The platform does not know that item"
