"""Deep linking, the request: the course page button, the login and the id_token."""

from __future__ import annotations

import re
from typing import Any

import pytest

from devplatform.hints import read_hint
from tests.devplatform.dlside import DL_SETTINGS, LTI, TOOL_URL

AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
LINEITEMS = "http://localhost:5001/learn/api/v1/lti/courses/_122_1/lineItems"
DATA = re.compile(
    r"_18937_1::_122_1::-1::false::false::_553_1::[0-9a-f]{32}::false::false"
)


def _iframe(html: str) -> str:
    """Return the tool iframe tag of a course page."""
    match = re.search(r'<iframe id="tool-frame"[^>]*>', html)
    assert match, "no tool frame on the page"
    return match.group(0)


def _add_button(html: str) -> str:
    """Return the "Add content" button tag of a course page."""
    match = re.search(r'<button type="submit" id="add-content"[^>]*>', html)
    assert match, "no add-content button on the page"
    return match.group(0)


def test_deep_linking_claims(launch_claims: Any, clock: Any):
    claims = launch_claims(user="instructor", deep_link=True)

    assert claims[LTI + "message_type"] == "LtiDeepLinkingRequest"
    assert claims[LTI + "version"] == "1.3.0"
    assert claims[LTI + "target_link_uri"] == TOOL_URL + "/lti/launch"
    assert LTI + "resource_link" not in claims
    assert LTI + "custom" not in claims
    assert claims["sub"] == "f9f17be4844f460ebfde9e407c4d1e01"
    assert claims["iat"] == clock.now
    assert claims[LTI + "context"]["id"] == "13ef9bbcee6e44539b9eb24bed52e50d"
    assert claims[AGS] == {
        "scope": [
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        ],
        "lineitems": LINEITEMS,
    }


def test_deep_linking_settings_claim(launch_claims: Any):
    settings = launch_claims(user="instructor", deep_link=True)[DL_SETTINGS]

    assert DATA.fullmatch(settings.pop("data"))
    assert settings == {
        "deep_link_return_url": "http://localhost:5001/deep-linking/return",
        "accept_types": ["ltiResourceLink", "link"],
        "accept_presentation_document_targets": ["iframe", "window"],
        "accept_multiple": True,
        "accept_lineitem": True,
        "auto_create": False,
        "title": "Add content to DEV-101",
        "text": "Content for Introduction to LTI",
    }


def test_data_is_new_for_every_request(launch_claims: Any):
    first = launch_claims(user="instructor", deep_link=True)[DL_SETTINGS]["data"]
    second = launch_claims(user="instructor", deep_link=True)[DL_SETTINGS]["data"]

    assert first != second


def test_admin_settings_shape_the_next_request(client: Any, launch_claims: Any):
    response = client.post(
        "/admin/settings",
        json={
            "dl_accept_multiple": False,
            "dl_accept_lineitem": False,
            "dl_accept_types": ["link"],
        },
    )
    settings = launch_claims(user="instructor", deep_link=True)[DL_SETTINGS]

    assert response.status_code == 200
    assert settings["accept_multiple"] is False
    assert settings["accept_lineitem"] is False
    assert settings["accept_types"] == ["link"]


def test_a_learner_gets_a_deep_linking_request_too(launch_claims: Any):
    # The platform lets the tool decide who may add content.
    claims = launch_claims(user="learner", deep_link=True)

    assert claims[LTI + "message_type"] == "LtiDeepLinkingRequest"
    assert claims[LTI + "roles"][0].endswith("membership#Learner")


def test_deep_linking_requests_are_counted(client: Any, launch_claims: Any):
    launch_claims(user="instructor", deep_link=True)
    launch_claims(user="instructor")

    stats = client.get("/admin/stats").json
    assert stats["deep_linking_requests"] == 1
    assert stats["id_tokens_issued"] == 2


def test_login_initiation_hint_asks_for_deep_linking(
    login_form: Any, platform: Any, clock: Any
):
    form = login_form(user="instructor", deep_link=True)

    hint = read_hint(platform.settings.secret, form.fields["lti_message_hint"], clock())
    assert hint.deep_link
    assert hint.message_type == "LtiDeepLinkingRequest"
    assert hint.link_id is None
    assert hint.user_key == "instructor"
    assert form.fields["target_link_uri"] == TOOL_URL + "/lti/launch"
    assert form.fields["login_hint"] == "instructor"


def test_resource_link_hint_is_not_deep_linking(
    login_form: Any, platform: Any, clock: Any
):
    form = login_form(user="instructor", link="_18939_1")

    hint = read_hint(platform.settings.secret, form.fields["lti_message_hint"], clock())
    assert not hint.deep_link
    assert hint.link_id == "_18939_1"


def test_deep_link_page_loads_the_request_in_the_frame(client: Any):
    response = client.get("/launch?user=ta&deep_link=1&method=GET&storage=off")

    frame = _iframe(response.text)
    assert response.status_code == 200
    assert (
        'src="/launch/start?user=ta&amp;deep_link=1&amp;method=GET&amp;storage=off"'
        in frame
    )
    assert "Adding content from the tool, as Tara Assistant" in response.text


@pytest.mark.parametrize("user", ["instructor", "ta"])
def test_add_content_is_offered_to_instructors_and_tas(client: Any, user: str):
    html = client.get(f"/launch?user={user}&link=_18938_1").text

    button = _add_button(html)
    assert 'name="deep_link" value="1"' in button
    assert "hidden" not in button


@pytest.mark.parametrize("user", ["learner", "preview"])
def test_add_content_is_hidden_from_learners(client: Any, user: str):
    html = client.get(f"/launch?user={user}&link=_18938_1").text

    assert "hidden" in _add_button(html)


def test_user_options_say_who_may_add_content(client: Any):
    html = client.get("/").text

    assert re.search(r'<option value="ta"\s+data-can-add="true"', html)
    assert re.search(r'<option value="learner"\s+data-can-add="false"', html)
    assert "/static/course.js" in html


def test_course_script_is_served(client: Any):
    with client.get("/static/course.js") as response:
        assert response.status_code == 200
        assert "add-content" in response.text


@pytest.mark.parametrize("path", ["/launch", "/launch/start"])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("user=instructor&deep_link=1&link=_18938_1", "either link or deep_link"),
        ("user=instructor&deep_link=yes", "deep_link must be 1 or 0"),
        ("deep_link=1", "unknown user"),
        ("user=dropped&deep_link=1", "no longer active"),
    ],
)
def test_bad_deep_link_input_gets_400_page(
    client: Any, path: str, query: str, message: str
):
    response = client.get(f"{path}?{query}")

    assert response.status_code == 400
    assert message in response.text


def test_deep_link_zero_means_a_link_launch(client: Any):
    response = client.get("/launch?user=learner&deep_link=0&link=_18938_1")

    assert response.status_code == 200
    assert "link=_18938_1" in _iframe(response.text)
