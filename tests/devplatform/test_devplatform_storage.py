"""Platform storage: the on/off switch, the launch fields and the page script."""

from __future__ import annotations

import re
from typing import Any

import pytest

from devplatform.hints import read_hint

SCRIPT = re.compile(
    r'<script id="platform-storage" data-tamper="(\w+)"\s+'
    r'src="/static/platform-storage.js"></script>'
)


def _storage_select(html: str) -> str:
    """Return the selected option of the storage select."""
    match = re.search(
        r'<select id="storage" name="storage">(.*?)</select>', html, re.DOTALL
    )
    assert match, "no storage select on the page"
    (selected,) = re.findall(r'<option value="(\w+)"\s+selected>', match.group(1))
    return str(selected)


@pytest.mark.parametrize("storage", [None, "on"])
def test_login_initiation_offers_storage(login_form: Any, storage: Any):
    form = login_form(storage=storage)

    assert form.fields["lti_storage_target"] == "_parent"


def test_login_initiation_without_storage(login_form: Any):
    form = login_form(storage="off")

    assert "lti_storage_target" not in form.fields


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_deep_linking_login_offers_storage(login_form: Any, method: str):
    form = login_form(user="instructor", method=method, deep_link=True)

    assert form.fields["lti_storage_target"] == "_parent"


@pytest.mark.parametrize(
    ("storage", "deep_link", "expected"),
    [
        (None, False, True),
        ("on", True, True),
        ("off", False, False),
        ("off", True, False),
    ],
)
def test_hint_carries_the_storage_switch(
    login_form: Any,
    platform: Any,
    clock: Any,
    storage: Any,
    deep_link: bool,
    expected: bool,
):
    form = login_form(user="ta", storage=storage, deep_link=deep_link)

    hint = read_hint(platform.settings.secret, form.fields["lti_message_hint"], clock())
    assert hint.storage is expected


@pytest.mark.parametrize("deep_link", [False, True])
def test_launch_form_carries_the_storage_target(
    auth_params: Any, authenticate: Any, deep_link: bool
):
    _, form = authenticate(auth_params(user="instructor", deep_link=deep_link))

    assert form.action == "http://127.0.0.1:5000/lti/launch"
    assert set(form.fields) == {"id_token", "state", "lti_storage_target"}
    assert form.fields["lti_storage_target"] == "_parent"


@pytest.mark.parametrize("deep_link", [False, True])
def test_launch_form_without_storage(
    auth_params: Any, authenticate: Any, deep_link: bool
):
    params = auth_params(user="instructor", deep_link=deep_link, storage="off")

    _, form = authenticate(params)

    assert set(form.fields) == {"id_token", "state"}


@pytest.mark.parametrize(
    "path", ["/", "/?storage=on", "/launch?user=learner&link=_18938_1&storage=on"]
)
def test_page_script_runs_when_storage_is_on(client: Any, path: str):
    html = client.get(path).text

    match = SCRIPT.search(html)
    assert match, "no platform storage script"
    assert match.group(1) == "none"
    assert _storage_select(html) == "on"
    # In the head, so it listens before the frame starts loading.
    assert html.index('id="platform-storage"') < html.index('id="tool-frame"')


@pytest.mark.parametrize(
    "path", ["/?storage=off", "/launch?user=learner&link=_18938_1&storage=off"]
)
def test_page_script_is_absent_when_storage_is_off(client: Any, path: str):
    html = client.get(path).text

    assert "platform-storage" not in html
    assert _storage_select(html) == "off"


def test_launch_frame_keeps_the_storage_switch(client: Any):
    html = client.get("/launch?user=learner&link=_18939_1&storage=off").text

    assert "&amp;storage=off" in html


@pytest.mark.parametrize("tamper", ["drop", "mismatch", "none"])
def test_tamper_setting_reaches_the_page(client: Any, tamper: str):
    response = client.post("/admin/settings", json={"storage_tamper": tamper})

    match = SCRIPT.search(client.get("/").text)
    assert response.json["storage_tamper"] == tamper
    assert match and match.group(1) == tamper


@pytest.mark.parametrize("path", ["/", "/launch", "/launch/start"])
def test_bad_storage_value_gets_400(client: Any, path: str):
    response = client.get(path + "?user=learner&link=_18938_1&storage=maybe")

    assert response.status_code == 400
    assert "storage must be on or off" in response.text


def test_page_script_is_served(client: Any):
    with client.get("/static/platform-storage.js") as response:
        script = response.text

    assert response.status_code == 200
    assert "event.source !== frame.contentWindow" in script
    assert "event.source.postMessage(" in script
    for name in ("lti.", "org.imsglobal.lti.", "unsupported_subject"):
        assert f'"{name}"' in script


def test_course_page_keeps_the_user_it_is_given(client: Any):
    html = client.get("/?user=ta").text

    assert re.search(r'<option value="ta"[^>]*\sselected>', html)
