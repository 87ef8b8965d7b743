"""Deep Linking 2.0: the picker and the signed response, claim by claim."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.keys import get_tool_keys
from tests.flow import login
from tests.htmlforms import first_form, launch_token_in
from tests.platform import CLIENT_ID, DEPLOYMENT_ID, DROP, ISSUER, LTI, FakePlatform

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
RETURN_URL = "http://localhost:5001/deep-linking/return?x=1"
# Learn's data looks like this; it must come back byte for byte.
DATA = "_48076_1::_9637154_1::-1::false::false::_3_1::c6d1e8e5::false::false"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def settings(**overrides: Any) -> dict[str, Any]:
    base = {
        "deep_link_return_url": RETURN_URL,
        "accept_types": ["ltiResourceLink", "link"],
        "accept_presentation_document_targets": ["iframe", "window"],
        "accept_multiple": True,
        "accept_lineitem": True,
        "data": DATA,
    }
    return {**base, **overrides}


def open_picker(client: FlaskClient, platform: FakePlatform, **claims: Any) -> str:
    started = login(client)
    dl_claims = {
        LTI + "message_type": "LtiDeepLinkingRequest",
        LTI + "resource_link": DROP,
        DL + "deep_linking_settings": settings(),
        **claims,
    }
    token = platform.sign(platform.claims(started.nonce, **dl_claims))
    response = client.post(
        "/lti/launch", data={"id_token": token, "state": started.state}
    )
    assert response.status_code == 200, response.text
    return response.text


def respond(client: FlaskClient, page: str, form: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        "/deep-linking/respond", data={"launch_token": launch_token_in(page), **form}
    )
    assert response.status_code == 200, response.text
    returned = first_form(response.text)
    assert returned.action == RETURN_URL and returned.method == "POST"
    assert list(returned.fields) == ["JWT"]
    return {"jwt": returned.fields["JWT"]}


def verify(app: Flask, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    with app.app_context():
        key = get_tool_keys().current()
    header = jwt.get_unverified_header(token)
    assert header["kid"] == key.kid and header["alg"] == "RS256"
    claims = jwt.decode(
        token, key.private_key.public_key(), algorithms=["RS256"], audience=ISSUER
    )
    return header, claims


@pytest.fixture
def keyed_app(app: Flask) -> Flask:
    with app.app_context():
        get_tool_keys().generate()
    return app


def test_picker_lists_the_activities(keyed_app: Flask, platform: FakePlatform) -> None:
    page = open_picker(keyed_app.test_client(), platform)

    assert 'id="picker"' in page and 'data-activity="quiz-1"' in page
    assert 'type="checkbox"' in page


def test_response_claims_field_by_field(
    keyed_app: Flask, platform: FakePlatform
) -> None:
    client = keyed_app.test_client()
    page = open_picker(client, platform)

    token = respond(
        client,
        page,
        {
            "action": "add",
            "activity": "quiz-1",
            "quiz-1.title": "Week 1 quiz",
            "quiz-1.difficulty": "challenging",
        },
    )["jwt"]
    _, claims = verify(keyed_app, token)

    assert claims["iss"] == CLIENT_ID and claims["aud"] == ISSUER
    assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int)
    assert 0 < claims["exp"] - claims["iat"] <= 600
    assert abs(claims["iat"] - time.time()) < 5
    assert len(claims["nonce"]) >= 16
    assert claims[LTI + "deployment_id"] == DEPLOYMENT_ID
    assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[LTI + "version"] == "1.3.0"
    assert claims[DL + "data"] == DATA
    (item,) = claims[DL + "content_items"]
    assert item["type"] == "ltiResourceLink" and item["title"] == "Week 1 quiz"
    assert item["url"] == "http://127.0.0.1:5000/lti/launch"  # no query string
    assert item["custom"] == {"activity": "quiz-1", "difficulty": "challenging"}
    assert item["iframe"] == {"width": 900, "height": 700}
    assert "lineItem" not in item


def test_data_is_echoed_byte_for_byte_whatever_it_holds(
    keyed_app: Flask, platform: FakePlatform
) -> None:
    odd = {"nested": ["é", 1, None], "s": 'a"b\\c'}
    client = keyed_app.test_client()
    page = open_picker(
        client, platform, **{DL + "deep_linking_settings": settings(data=odd)}
    )

    _, claims = verify(keyed_app, respond(client, page, {"action": "cancel"})["jwt"])

    assert claims[DL + "data"] == odd


def test_no_data_claim_when_the_request_had_none(
    keyed_app: Flask, platform: FakePlatform
) -> None:
    client = keyed_app.test_client()
    no_data = settings()
    del no_data["data"]
    page = open_picker(client, platform, **{DL + "deep_linking_settings": no_data})

    _, claims = verify(keyed_app, respond(client, page, {"action": "cancel"})["jwt"])

    assert DL + "data" not in claims


def test_several_gradable_items_with_availability(
    keyed_app: Flask, platform: FakePlatform
) -> None:
    client = keyed_app.test_client()
    page = open_picker(client, platform)

    token = respond(
        client,
        page,
        {
            "action": "add",
            "activity": ["quiz-1", "quiz-2"],
            "quiz-1.gradable": "1",
            "quiz-1.points": "30",
            "quiz-2.gradable": "1",
            "quiz-2.points": "15",
            "quiz-2.start": "2026-12-10T09:00",
            "quiz-2.end": "2026-12-17T17:00",
        },
    )["jwt"]
    _, claims = verify(keyed_app, token)

    first, second = claims[DL + "content_items"]
    assert first["lineItem"] == {
        "scoreMaximum": 30.0,
        "label": "Quiz 1: How a launch works",
        "resourceId": "quiz-1",
        "tag": "quiz",
    }
    assert second["lineItem"]["scoreMaximum"] == 15.0
    assert second["available"] == {
        "startDateTime": "2026-12-10T09:00:00+00:00",
        "endDateTime": "2026-12-17T17:00:00+00:00",
    }


def test_cancel_returns_no_items_and_a_message(
    keyed_app: Flask, platform: FakePlatform
) -> None:
    client = keyed_app.test_client()
    page = open_picker(client, platform)

    _, claims = verify(keyed_app, respond(client, page, {"action": "cancel"})["jwt"])

    assert claims[DL + "content_items"] == []
    assert claims[DL + "msg"]


def test_one_item_only_when_multiple_is_not_accepted(
    keyed_app: Flask, platform: FakePlatform
) -> None:
    client = keyed_app.test_client()
    page = open_picker(
        client,
        platform,
        **{DL + "deep_linking_settings": settings(accept_multiple=False)},
    )
    assert 'type="radio"' in page

    response = client.post(
        "/deep-linking/respond",
        data={
            "launch_token": launch_token_in(page),
            "action": "add",
            "activity": ["quiz-1", "quiz-2"],
        },
    )

    assert response.status_code == 400
    assert "deep_linking.bad_selection" in response.text


def test_no_line_item_when_the_platform_does_not_accept_one(
    keyed_app: Flask, platform: FakePlatform
) -> None:
    client = keyed_app.test_client()
    page = open_picker(
        client,
        platform,
        **{DL + "deep_linking_settings": settings(accept_lineitem=False)},
    )

    token = respond(
        client,
        page,
        {
            "action": "add",
            "activity": "quiz-1",
            "quiz-1.gradable": "1",
            "quiz-1.points": "5",
        },
    )["jwt"]

    assert "lineItem" not in verify(keyed_app, token)[1][DL + "content_items"][0]


def test_placement_without_lti_links_gets_an_error_response(
    keyed_app: Flask, platform: FakePlatform
) -> None:
    client = keyed_app.test_client()
    page = open_picker(
        client,
        platform,
        **{DL + "deep_linking_settings": settings(accept_types=["link"])},
    )
    assert 'id="picker-refused"' in page

    _, claims = verify(keyed_app, respond(client, page, {"action": "error"})["jwt"])

    assert claims[DL + "content_items"] == []
    assert claims[DL + "errormsg"] and "ltiResourceLink" in claims[DL + "errorlog"]


@pytest.mark.parametrize(
    "form",
    [
        {"action": "add"},
        {
            "action": "add",
            "activity": "quiz-1",
            "quiz-1.gradable": "1",
            "quiz-1.points": "0",
        },
        {"action": "add", "activity": "quiz-1", "quiz-1.start": "soon"},
        {
            "action": "add",
            "activity": "quiz-1",
            "quiz-1.start": "2026-12-10T09:00",
            "quiz-1.end": "2026-12-01T09:00",
        },
    ],
)
def test_bad_selections_get_a_400_page(
    keyed_app: Flask, platform: FakePlatform, form: dict[str, str]
) -> None:
    client = keyed_app.test_client()
    page = open_picker(client, platform)

    response = client.post(
        "/deep-linking/respond", data={"launch_token": launch_token_in(page), **form}
    )

    assert response.status_code == 400 and "deep_linking.bad_selection" in response.text


def test_learners_are_refused(keyed_app: Flask, platform: FakePlatform) -> None:
    client = keyed_app.test_client()
    started = login(client)
    token = platform.sign(
        platform.claims(
            started.nonce,
            **{
                LTI + "message_type": "LtiDeepLinkingRequest",
                LTI + "resource_link": DROP,
                LTI + "roles": [LEARNER],
                DL + "deep_linking_settings": settings(),
            },
        )
    )

    response = client.post(
        "/lti/launch", data={"id_token": token, "state": started.state}
    )

    assert response.status_code == 403 and "session.forbidden" in response.text


def test_availability_is_read_in_the_browsers_time_zone(
    keyed_app: Flask, platform: FakePlatform
) -> None:
    client = keyed_app.test_client()
    page = open_picker(client, platform)

    token = respond(
        client,
        page,
        {
            "action": "add",
            "activity": "quiz-1",
            "tz_offset": "-300",
            "quiz-1.start": "2026-12-10T09:00",
        },
    )["jwt"]

    item = verify(keyed_app, token)[1][DL + "content_items"][0]
    assert item["available"] == {"startDateTime": "2026-12-10T09:00:00-05:00"}
