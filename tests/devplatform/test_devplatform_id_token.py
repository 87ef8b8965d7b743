"""The id_token, verified with the platform's own JWKS and read claim by claim."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from devplatform import DEFAULT_CLIENT_ID, DEFAULT_DEPLOYMENT_ID

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
JWKS_URL = f"/api/v1/management/applications/{DEFAULT_CLIENT_ID}/jwks.json"
USER_UUIDS = {
    "instructor": "f9f17be4844f460ebfde9e407c4d1e01",
    "learner": "8379c4ba57cc492fb621f01c0064cee7",
    "ta": "4b55b4803f3f4c4f97009d489756eeea",
    "preview": "0bb2babfd0274c4aaaf15cd3f78eeec7",
}


@pytest.fixture
def launch(client: Any, auth_params: Any, authenticate: Any):
    """Return a function that launches and returns (header, verified claims)."""

    def run(user: str = "learner", link: str = "_18938_1") -> tuple[dict, dict]:
        _, form = authenticate(auth_params(user=user, link=link))
        token = form.fields["id_token"]
        header = jwt.get_unverified_header(token)

        jwks = client.get(JWKS_URL).json
        (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
        claims = jwt.decode(
            token,
            jwt.PyJWK(jwk).key,
            algorithms=["RS256"],
            audience=DEFAULT_CLIENT_ID,
            issuer="https://blackboard.com",
            options={"require": ["exp", "iat", "sub", "nonce"]},
        )
        return header, claims

    return run


def test_header_names_the_signing_key(launch: Any, platform: Any):
    header, _ = launch()

    assert header == {
        "alg": "RS256",
        "typ": "JWT",
        "kid": platform.keys.signing_key.kid,
    }


def test_oidc_claims(launch: Any, clock: Any):
    _, claims = launch()

    assert claims["iss"] == "https://blackboard.com"
    assert claims["aud"] == DEFAULT_CLIENT_ID
    assert claims["sub"] == USER_UUIDS["learner"]
    assert claims["iat"] == clock.now
    assert claims["exp"] == clock.now + 300
    assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int)
    assert claims["nonce"] == "nonce-xyz789"
    assert claims["name"] == "Lars Learner"
    assert claims["given_name"] == "Lars"
    assert claims["family_name"] == "Learner"
    assert claims["email"] == "lars.learner@dev101.example.edu"
    assert claims["locale"] == "en-US"


def test_core_lti_claims(launch: Any):
    _, claims = launch()

    assert claims[LTI + "message_type"] == "LtiResourceLinkRequest"
    assert claims[LTI + "version"] == "1.3.0"
    assert claims[LTI + "deployment_id"] == DEFAULT_DEPLOYMENT_ID
    assert claims[LTI + "target_link_uri"] == "http://127.0.0.1:5000/lti/launch"


def test_resource_link_and_custom(launch: Any):
    _, claims = launch(link="_18938_1")

    link = claims[LTI + "resource_link"]
    assert link["id"] == "_18938_1"
    assert link["title"] == "Quiz 1: How a launch works"
    assert link["description"]
    assert claims[LTI + "custom"] == {"activity": "quiz-1"}


def test_second_link_has_its_own_custom_values(launch: Any):
    _, claims = launch(link="_18939_1")

    assert claims[LTI + "resource_link"]["id"] == "_18939_1"
    assert claims[LTI + "custom"] == {"activity": "reading-1", "chapter": "2"}
    assert all(isinstance(v, str) for v in claims[LTI + "custom"].values())


def test_context(launch: Any):
    _, claims = launch()

    assert claims[LTI + "context"] == {
        "id": "13ef9bbcee6e44539b9eb24bed52e50d",
        "label": "DEV-101",
        "title": "Introduction to LTI",
        "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
    }


def test_tool_platform(launch: Any):
    _, claims = launch()

    platform = claims[LTI + "tool_platform"]
    assert platform["product_family_code"] == "BlackboardLearn"
    assert platform["version"] == "3900.104.0-rel.1+dev"
    assert platform["url"] == "http://localhost:5001/"
    assert len(platform["guid"]) == 32
    assert platform["name"]
    assert "@" in platform["contact_email"]


def test_launch_presentation(launch: Any):
    _, claims = launch()

    assert claims[LTI + "launch_presentation"] == {
        "document_target": "iframe",
        "return_url": "http://localhost:5001/course/return",
        "locale": "en-US",
    }


def test_lis(launch: Any):
    _, claims = launch()

    assert claims[LTI + "lis"] == {
        "person_sourcedid": "lars.learner",
        "course_offering_sourcedid": "DEV-101-2025",
    }


def test_one_time_session_token_ends_with_user_uuid(launch: Any):
    _, first = launch()
    _, second = launch()

    claim = "https://blackboard.com/lti/claim/one_time_session_token"
    token, uuid = first[claim].split(",")
    assert uuid == USER_UUIDS["learner"]
    assert len(token) >= 16
    assert first[claim] != second[claim]


@pytest.mark.parametrize(
    ("user", "roles"),
    [
        (
            "instructor",
            [
                MEMBERSHIP + "Instructor",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty",
                "http://purl.imsglobal.org/vocab/lis/v2/system/person#User",
            ],
        ),
        (
            "learner",
            [
                MEMBERSHIP + "Learner",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student",
                "http://purl.imsglobal.org/vocab/lis/v2/system/person#User",
            ],
        ),
        (
            "ta",
            [
                MEMBERSHIP + "Instructor",
                "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor"
                "#TeachingAssistant",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Staff",
            ],
        ),
        (
            "preview",
            [
                MEMBERSHIP + "Learner",
                "http://purl.imsglobal.org/vocab/lti/system/person#TestUser",
            ],
        ),
    ],
)
def test_roles_and_sub_per_user(launch: Any, user: str, roles: list[str]):
    _, claims = launch(user=user)

    assert claims[LTI + "roles"] == roles
    assert claims["sub"] == USER_UUIDS[user]


def test_no_unexpected_claims(launch: Any):
    _, claims = launch()

    assert set(claims) == {
        "iss",
        "aud",
        "sub",
        "iat",
        "exp",
        "nonce",
        "name",
        "given_name",
        "family_name",
        "email",
        "locale",
        *(
            LTI + name
            for name in (
                "message_type",
                "version",
                "deployment_id",
                "target_link_uri",
                "resource_link",
                "roles",
                "context",
                "tool_platform",
                "launch_presentation",
                "custom",
                "lis",
            )
        ),
        "https://blackboard.com/lti/claim/one_time_session_token",
        "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice",
        "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint",
    }


def test_service_claims_on_the_quiz_link(launch: Any):
    _, claims = launch(link="_18938_1")

    base = "http://localhost:5001/learn/api/v1/lti"
    ags = "https://purl.imsglobal.org/spec/lti-ags/scope/"
    assert claims[
        "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
    ] == {
        "context_memberships_url": (
            f"{base}/external/namesandroles/_122_1?placement_id=_553_1"
        ),
        "service_versions": ["2.0"],
    }
    assert claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] == {
        "scope": [
            ags + "lineitem",
            ags + "lineitem.readonly",
            ags + "result.readonly",
            ags + "score",
        ],
        "lineitems": f"{base}/courses/_122_1/lineItems",
        "lineitem": f"{base}/courses/_122_1/lineItems/_7454_1",
    }


def test_ungraded_link_has_no_lineitem(launch: Any):
    _, claims = launch(link="_18939_1")

    endpoint = claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]
    assert "lineitem" not in endpoint
    assert endpoint["lineitems"].endswith("/courses/_122_1/lineItems")


def test_session_token_without_uuid_when_switched(client: Any, launch: Any):
    client.post("/admin/settings", json={"ots_without_uuid": True})

    _, claims = launch()

    value = claims["https://blackboard.com/lti/claim/one_time_session_token"]
    assert "," not in value
    assert len(value) >= 16


def test_rotated_key_signs_and_old_key_stays_published(
    client: Any, launch: Any, platform: Any
):
    old_header, _ = launch()

    new_kid = client.post("/admin/rotate-key").json["kid"]
    new_header, _ = launch()

    assert new_header["kid"] == new_kid != old_header["kid"]
    kids = [k["kid"] for k in client.get(JWKS_URL).json["keys"]]
    assert kids == [old_header["kid"], new_kid]
