"""Every rule of the launch checklist: one launch breaking exactly that rule,
and the exact error class it must raise (PROTOCOL.md B4, B5)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from flask import Flask

from app import errors
from app.lti.nonces import remember_nonce
from app.lti.validation import VerifiedLaunch, validate_launch
from tests.platform import (
    CLIENT_ID,
    DEPLOYMENT_ID,
    DROP,
    LTI,
    FakePlatform,
    write_platforms,
)

DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
STATE = "state-" + "s" * 40
NONCE = "nonce-" + "n" * 40


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        remember_nonce(NONCE, STATE, {})
        yield


def validate(token: str | None, **kwargs: Any) -> VerifiedLaunch:
    kwargs.setdefault("state", STATE)
    kwargs.setdefault("bound_state", STATE)
    return validate_launch(
        token, kwargs.pop("state"), kwargs.pop("bound_state"), **kwargs
    )


def assert_rejected(
    error_class: type[errors.LaunchError], token: str | None, **kwargs: Any
) -> errors.LaunchError:
    with pytest.raises(errors.LaunchError) as caught:
        validate(token, **kwargs)
    assert type(caught.value) is error_class, caught.value
    assert caught.value.code.startswith("launch.")
    return caught.value


def test_a_valid_launch_passes(ctx: None, platform: FakePlatform) -> None:
    verified = validate(platform.sign(platform.claims(NONCE)))

    assert verified.registration.client_id == CLIENT_ID
    assert verified.deployment_id == DEPLOYMENT_ID
    assert verified.claims["sub"] == "a1b2c3d4e5f60718293a4b5c6d7e8f90"


# 1. state ------------------------------------------------------------------


def test_state_absent_from_the_form(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE))
    assert_rejected(errors.StateMissingError, token, state=None)


def test_no_state_bound_to_the_browser(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE))
    assert_rejected(errors.StateMissingError, token, bound_state=None)


def test_state_differs_from_the_bound_one(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE))
    assert_rejected(errors.StateMismatchError, token, bound_state="other-state")


# 2. token and algorithm ----------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "not-a-jwt", "a.b.c"])
def test_malformed_id_token(ctx: None, token: str | None) -> None:
    assert_rejected(errors.MalformedTokenError, token)


def test_alg_none_is_refused(ctx: None, platform: FakePlatform) -> None:
    token = jwt.encode(
        platform.claims(NONCE), None, algorithm="none", headers={"kid": platform.kid}
    )
    assert_rejected(errors.AlgorithmNotAllowedError, token)


def test_hs256_signed_with_the_public_key_is_refused(
    ctx: None, platform: FakePlatform
) -> None:
    public_jwk = json.dumps(platform.key_server.jwks["keys"][0]).encode()
    header = {"alg": "HS256", "kid": platform.kid, "typ": "JWT"}
    token = _sign_hmac(header, platform.claims(NONCE), public_jwk)
    assert_rejected(errors.AlgorithmNotAllowedError, token)


def _sign_hmac(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    import base64
    import hashlib
    import hmac

    def part(data: Any) -> str:
        raw = json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signing_input = f"{part(header)}.{part(claims)}"
    digest = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    signature = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return f"{signing_input}.{signature}"


def test_algorithm_not_registered_is_refused(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE), alg="RS512")
    assert_rejected(errors.AlgorithmNotAllowedError, token)


def test_rs512_passes_when_the_registration_allows_it(
    app: Flask, tmp_path: Path, platform: FakePlatform
) -> None:
    platforms_file = Path(app.config["LTI_PLATFORMS_FILE"])
    write_platforms(
        platforms_file, platform.key_server.url, algorithms=["RS256", "RS512"]
    )
    with app.test_request_context():
        remember_nonce(NONCE, STATE, {})
        verified = validate(platform.sign(platform.claims(NONCE), alg="RS512"))
    assert verified.registration.algorithms == ("RS256", "RS512")


# 3. registration -----------------------------------------------------------


def test_unknown_issuer(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE, iss="https://evil.example"))
    assert_rejected(errors.UnknownIssuerError, token)


def test_audience_of_another_tool(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE, aud="another-tool"))
    assert_rejected(errors.UnknownIssuerError, token)


def test_issuer_missing(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE, iss=DROP))
    assert_rejected(errors.ClaimMissingError, token)


# 4. key and signature ------------------------------------------------------


def test_signature_by_another_key_under_the_same_kid(
    ctx: None, platform: FakePlatform
) -> None:
    impostor = platform.add_key(publish=False)
    token = platform.sign(
        platform.claims(NONCE), kid=impostor, headers={"kid": platform.kid}
    )
    assert_rejected(errors.InvalidSignatureError, token)


def test_unknown_kid_refetches_once_then_fails(
    ctx: None, platform: FakePlatform
) -> None:
    validate(platform.sign(platform.claims(NONCE)))
    hits_after_first = platform.key_server.hits
    unpublished = platform.add_key(publish=False)

    for _ in range(3):
        token = platform.sign(platform.claims(NONCE), kid=unpublished)
        assert_rejected(errors.UnknownKeyError, token)

    assert hits_after_first == 1
    assert platform.key_server.hits == 2  # one refetch, not one per launch


def test_rotated_key_is_found_with_one_refetch(
    app: Flask, platform: FakePlatform
) -> None:
    with app.test_request_context():
        remember_nonce(NONCE, STATE, {})
        validate(platform.sign(platform.claims(NONCE)))
        new_kid = platform.add_key()
        remember_nonce("second-" + NONCE, STATE, {})
        token = platform.sign(platform.claims("second-" + NONCE), kid=new_kid)
        validate(token)
    assert platform.key_server.hits == 2


def test_key_set_unreachable_with_nothing_cached(
    ctx: None, platform: FakePlatform
) -> None:
    platform.key_server.down = True
    token = platform.sign(platform.claims(NONCE))
    assert_rejected(errors.KeySetUnavailableError, token)


def test_cached_keys_keep_working_when_the_key_set_is_down(
    app: Flask, platform: FakePlatform
) -> None:
    app.config["LTI_KEY_SET_MAX_AGE"] = 0  # every launch wants a fresh copy
    with app.test_request_context():
        remember_nonce(NONCE, STATE, {})
        validate(platform.sign(platform.claims(NONCE)))
        platform.key_server.down = True
        remember_nonce("again-" + NONCE, STATE, {})
        validate(platform.sign(platform.claims("again-" + NONCE)))
    assert platform.key_server.hits == 2


# 5-6. audience and authorized party ----------------------------------------


def test_audience_as_a_one_element_array(ctx: None, platform: FakePlatform) -> None:
    validate(platform.sign(platform.claims(NONCE, aud=[CLIENT_ID])))


def test_untrusted_extra_audience(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(
        platform.claims(NONCE, aud=[CLIENT_ID, "someone-else"], azp=CLIENT_ID)
    )
    assert_rejected(errors.AudienceError, token)


def test_audience_of_the_wrong_type(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE, aud=42))
    assert_rejected(errors.AudienceError, token)


def test_several_audiences_without_azp(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE, aud=[CLIENT_ID, "someone-else"]))
    assert_rejected(errors.AuthorizedPartyError, token)


def test_several_audiences_with_a_foreign_azp(
    ctx: None, platform: FakePlatform
) -> None:
    token = platform.sign(
        platform.claims(NONCE, aud=[CLIENT_ID, "someone-else"], azp="someone-else")
    )
    assert_rejected(errors.AuthorizedPartyError, token)


def test_single_audience_with_a_different_azp_is_accepted_and_logged(
    ctx: None, platform: FakePlatform, caplog: pytest.LogCaptureFixture
) -> None:
    validate(platform.sign(platform.claims(NONCE, azp="a-blackboard-guid")))
    assert "azp differs" in caplog.text


# 7. time ---------------------------------------------------------------------


def test_expired_token(ctx: None, platform: FakePlatform) -> None:
    now = int(time.time())
    token = platform.sign(platform.claims(NONCE, iat=now - 400, exp=now - 61))
    assert_rejected(errors.TokenExpiredError, token)


def test_expiry_within_the_leeway_passes(ctx: None, platform: FakePlatform) -> None:
    now = int(time.time())
    validate(platform.sign(platform.claims(NONCE, iat=now - 300, exp=now - 30)))


def test_exp_missing(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE, exp=DROP))
    assert_rejected(errors.ClaimMissingError, token)


def test_exp_not_a_number(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE, exp="tomorrow"))
    assert_rejected(errors.ClaimInvalidError, token)


def test_issued_in_the_future(ctx: None, platform: FakePlatform) -> None:
    now = int(time.time())
    token = platform.sign(platform.claims(NONCE, iat=now + 120, exp=now + 400))
    assert_rejected(errors.IssuedInFutureError, token)


def test_issued_too_long_ago(ctx: None, platform: FakePlatform) -> None:
    now = int(time.time())
    token = platform.sign(platform.claims(NONCE, iat=now - 3600, exp=now + 300))
    assert_rejected(errors.TokenTooOldError, token)


def test_checks_use_the_given_clock(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE))
    assert_rejected(errors.TokenExpiredError, token, now=time.time() + 3600)


# 8. nonce --------------------------------------------------------------------


def test_nonce_missing(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(DROP))
    assert_rejected(errors.NonceMissingError, token)


def test_nonce_not_issued_by_the_tool(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims("made-up-by-the-platform"))
    assert_rejected(errors.NonceUnknownError, token)


def test_nonce_issued_for_another_state(app: Flask, platform: FakePlatform) -> None:
    with app.test_request_context():
        remember_nonce(NONCE, "another-login-state", {})
        token = platform.sign(platform.claims(NONCE))
        assert_rejected(errors.NonceMismatchError, token)


def test_nonce_used_twice(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE))
    validate(token)
    assert_rejected(errors.NonceReplayedError, token)


# 9-12. deployment, version, message type, target link ------------------------


def test_deployment_missing(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE, **{LTI + "deployment_id": DROP}))
    assert_rejected(errors.DeploymentMissingError, token)


def test_deployment_too_long(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE, **{LTI + "deployment_id": "d" * 256}))
    assert_rejected(errors.DeploymentMissingError, token)


def test_deployment_unknown(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE, **{LTI + "deployment_id": "nope"}))
    assert_rejected(errors.DeploymentUnknownError, token)


def test_second_deployment_of_the_same_client_passes(
    ctx: None, platform: FakePlatform
) -> None:
    token = platform.sign(
        platform.claims(NONCE, **{LTI + "deployment_id": "second-school"})
    )
    assert validate(token).deployment_id == "second-school"


def test_wrong_version(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(platform.claims(NONCE, **{LTI + "version": "1.1"}))
    assert_rejected(errors.VersionError, token)


@pytest.mark.parametrize("message_type", [DROP, "LtiSubmissionNotice", ""])
def test_unsupported_message_type(
    ctx: None, platform: FakePlatform, message_type: Any
) -> None:
    token = platform.sign(
        platform.claims(NONCE, **{LTI + "message_type": message_type})
    )
    assert_rejected(errors.MessageTypeError, token)


@pytest.mark.parametrize("claim", ["resource_link", "roles", "target_link_uri"])
def test_resource_link_launch_missing_a_required_claim(
    ctx: None, platform: FakePlatform, claim: str
) -> None:
    token = platform.sign(platform.claims(NONCE, **{LTI + claim: DROP}))
    error = assert_rejected(errors.ClaimMissingError, token)
    assert claim in error.message


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("resource_link", {"title": "no id"}),
        ("roles", "Instructor"),
        ("context", {"title": "no id"}),
    ],
)
def test_resource_link_launch_with_a_malformed_claim(
    ctx: None, platform: FakePlatform, claim: str, value: Any
) -> None:
    token = platform.sign(platform.claims(NONCE, **{LTI + claim: value}))
    assert_rejected(errors.ClaimInvalidError, token)


def test_deep_linking_launch_needs_its_settings(
    ctx: None, platform: FakePlatform
) -> None:
    token = platform.sign(
        platform.claims(
            NONCE,
            **{
                LTI + "message_type": "LtiDeepLinkingRequest",
                LTI + "resource_link": DROP,
            },
        )
    )
    assert_rejected(errors.ClaimMissingError, token)


def test_deep_linking_settings_need_a_return_url(
    ctx: None, platform: FakePlatform
) -> None:
    settings = {
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe"],
    }
    token = platform.sign(
        platform.claims(
            NONCE,
            **{
                LTI + "message_type": "LtiDeepLinkingRequest",
                DL_SETTINGS: settings,
            },
        )
    )
    assert_rejected(errors.ClaimInvalidError, token)


def test_target_link_uri_on_another_origin(ctx: None, platform: FakePlatform) -> None:
    token = platform.sign(
        platform.claims(NONCE, **{LTI + "target_link_uri": "https://evil.example/x"})
    )
    assert_rejected(errors.TargetLinkUriError, token)


def test_every_launch_error_has_its_own_code() -> None:
    leaves = _subclasses(errors.LaunchError)
    codes = [leaf.code for leaf in leaves]
    assert len(codes) == len(set(codes))
    assert all(code.startswith("launch.") for code in codes)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found
