"""build_id_token_claims is pure: same inputs, same claims."""

from __future__ import annotations

from pathlib import Path

from devplatform.claims import build_id_token_claims
from devplatform.course import LINKS, USERS
from devplatform.settings import load_settings


def test_same_inputs_give_same_claims(tmp_path: Path):
    settings = load_settings(
        {"DEVPLATFORM_DATA_DIR": str(tmp_path), "DEVPLATFORM_SECRET": "x"}
    )
    args = (USERS["ta"], LINKS["_18938_1"], "n-1", settings, 1_700_000_000)

    first = build_id_token_claims(*args, session_token="tok")
    second = build_id_token_claims(*args, session_token="tok")

    assert first == second
    assert first["https://blackboard.com/lti/claim/one_time_session_token"] == (
        "tok," + USERS["ta"].uuid
    )
    assert first["exp"] - first["iat"] == 300


def test_settings_flow_into_claims(tmp_path: Path):
    settings = load_settings(
        {
            "DEVPLATFORM_DATA_DIR": str(tmp_path),
            "DEVPLATFORM_SECRET": "x",
            "DEVPLATFORM_URL": "https://learn.test",
            "DEVPLATFORM_TOOL_URL": "https://tool.test",
            "DEVPLATFORM_ISSUER": "https://issuer.test",
            "DEVPLATFORM_CLIENT_ID": "client-1",
            "DEVPLATFORM_DEPLOYMENT_ID": "deployment-1",
        }
    )

    claims = build_id_token_claims(
        USERS["learner"], LINKS["_18938_1"], "n", settings, 0, session_token="t"
    )

    lti = "https://purl.imsglobal.org/spec/lti/claim/"
    assert claims["iss"] == "https://issuer.test"
    assert claims["aud"] == "client-1"
    assert claims[lti + "deployment_id"] == "deployment-1"
    assert claims[lti + "target_link_uri"] == "https://tool.test/lti/launch"
    assert claims[lti + "tool_platform"]["url"] == "https://learn.test/"
    assert claims[lti + "launch_presentation"]["return_url"] == (
        "https://learn.test/course/return"
    )
