"""The course page, the tool frame, login initiation and the return page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from devplatform import DEFAULT_CLIENT_ID, DEFAULT_DEPLOYMENT_ID
from devplatform.hints import read_hint


def _iframe(html: str) -> str:
    """Return the tool iframe tag of a course page."""
    match = re.search(r'<iframe id="tool-frame"[^>]*>', html)
    assert match, "no tool frame on the page"
    return match.group(0)


def test_course_page_shows_course_users_and_links(client: Any):
    response = client.get("/")

    html = response.text
    assert response.status_code == 200
    assert "Introduction to LTI (DEV-101)" in html
    for name in ("Ingrid Instructor", "Lars Learner", "Tara Assistant"):
        assert name in html
    assert "Student Preview" in html
    assert 'id="user"' in html
    assert 'id="login-method"' in html
    assert 'data-launch="_18938_1"' in html
    assert 'data-launch="_18939_1"' in html


def test_inactive_member_is_not_offered_on_the_course_page(client: Any):
    html = client.get("/").text

    assert 'value="dropped"' not in html
    assert "Dana Dropped" not in html


def test_course_page_defaults_to_post_and_no_launch(client: Any):
    html = client.get("/").text

    assert re.search(r'<option value="POST"\s+selected>', html)
    frame = _iframe(html)
    assert 'src="about:blank"' in frame
    assert 'name="tool_frame"' in frame
    assert "allow=" in frame


def test_deep_link_loads_the_launch_in_the_frame(client: Any):
    response = client.get("/launch?user=learner&link=_18938_1&method=POST")

    frame = _iframe(response.text)
    assert response.status_code == 200
    assert (
        'src="/launch/start?user=learner&amp;link=_18938_1&amp;method=POST'
        '&amp;storage=on"' in frame
    )
    assert re.search(r'<option value="learner"[^>]*\sselected>', response.text)


def test_launch_buttons_submit_to_the_deep_link(client: Any, forms_of: Any):
    (form,) = forms_of(client.get("/").text)

    assert form.action == "/launch"
    assert form.method == "GET"


def test_post_login_initiation_form(login_form: Any, clock: Any, platform: Any):
    form = login_form(user="instructor", link="_18939_1", method="POST")

    assert form.attrs["id"] == "login-initiation-form"
    assert form.method == "POST"
    assert form.action == "http://127.0.0.1:5000/lti/login"
    assert form.fields == {
        "iss": "https://blackboard.com",
        "login_hint": "instructor",
        "target_link_uri": "http://127.0.0.1:5000/lti/launch",
        "lti_message_hint": form.fields["lti_message_hint"],
        "client_id": DEFAULT_CLIENT_ID,
        "lti_deployment_id": DEFAULT_DEPLOYMENT_ID,
        "lti_storage_target": "_parent",
    }
    hint = read_hint(
        platform.settings.secret, form.fields["lti_message_hint"], clock.now
    )
    assert (hint.user_key, hint.link_id) == ("instructor", "_18939_1")


def test_get_login_initiation_form(client: Any, login_form: Any):
    form = login_form(method="GET")

    assert form.method == "GET"
    assert "enctype" not in form.attrs
    assert form.action == "http://127.0.0.1:5000/lti/login"
    assert form.fields["login_hint"] == "learner"
    assert set(form.fields) == {
        "iss",
        "login_hint",
        "target_link_uri",
        "lti_message_hint",
        "client_id",
        "lti_deployment_id",
        "lti_storage_target",
    }


def test_login_initiation_page_submits_itself(client: Any):
    response = client.get("/launch/start?user=ta&link=_18938_1")

    assert response.headers["Cache-Control"] == "no-store"
    assert 'getElementById("login-initiation-form").submit()' in response.text
    assert "<noscript>" in response.text
    assert 'method="post"' in response.text


def test_lowercase_method_is_accepted(login_form: Any):
    assert login_form(method="get").method == "GET"


def test_login_initiations_are_counted(client: Any, login_form: Any):
    login_form()
    login_form(method="GET")

    assert client.get("/admin/stats").json["login_initiations"] == 2


@pytest.mark.parametrize("path", ["/launch", "/launch/start"])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("link=_18938_1", "unknown user"),
        ("user=mallory&link=_18938_1", "unknown user"),
        ("user=learner", "unknown content item"),
        ("user=learner&link=_1_1", "unknown content item"),
        ("user=learner&link=_18938_1&method=PUT", "method must be GET or POST"),
        ("user=dropped&link=_18938_1", "no longer active in the course"),
    ],
)
def test_bad_launch_input_gets_400_page(
    client: Any, path: str, query: str, message: str
):
    response = client.get(f"{path}?{query}")

    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert message in response.text


def test_return_page_shows_messages_escaped(client: Any):
    response = client.get(
        "/course/return",
        query_string={"lti_msg": "Saved <b>3</b> answers", "lti_errormsg": "Oops"},
    )

    assert response.status_code == 200
    assert "Saved &lt;b&gt;3&lt;/b&gt; answers" in response.text
    assert 'id="lti-errormsg"' in response.text
    assert "Oops" in response.text


def test_return_page_without_messages(client: Any):
    response = client.get("/course/return")

    assert response.status_code == 200
    assert "The tool sent no message" in response.text


def test_unknown_page_gets_404_html(client: Any):
    response = client.get("/nowhere")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
