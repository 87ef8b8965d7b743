"""The contract CLI: ``flask platforms ...`` and ``flask keys ...``."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

from app.keys import get_tool_keys

PORTAL = "https://developer.anthology.com"


def run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def stored(app: Flask) -> list[dict[str, object]]:
    data = json.loads(Path(app.config["LTI_PLATFORMS_FILE"]).read_text())
    platforms: list[dict[str, object]] = data["platforms"]
    return platforms


def test_add_with_the_blackboard_preset(app: Flask) -> None:
    code, output = run(
        app,
        "platforms",
        "add",
        "--preset",
        "blackboard",
        "--client-id",
        "app-id-1",
        "--deployment-id",
        "dep-a",
        "--deployment-id",
        "dep-b",
    )

    assert code == 0, output
    added = next(p for p in stored(app) if p["client_id"] == "app-id-1")
    assert added["issuer"] == "https://blackboard.com"
    assert added["auth_login_url"] == f"{PORTAL}/api/v1/gateway/oidcauth"
    assert added["auth_token_url"] == f"{PORTAL}/api/v1/gateway/oauth2/jwttoken"
    assert added["key_set_url"] == (
        f"{PORTAL}/api/v1/management/applications/app-id-1/jwks.json"
    )
    assert added["deployment_ids"] == ["dep-a", "dep-b"]


def test_adding_again_merges_deployments(app: Flask) -> None:
    for deployment in ("dep-a", "dep-b", "dep-a"):
        run(
            app,
            "platforms",
            "add",
            "--preset",
            "blackboard",
            "--client-id",
            "app-id-1",
            "--deployment-id",
            deployment,
        )

    added = [p for p in stored(app) if p["client_id"] == "app-id-1"]
    assert len(added) == 1 and added[0]["deployment_ids"] == ["dep-a", "dep-b"]


def test_add_a_generic_platform_and_list_it(app: Flask) -> None:
    code, output = run(
        app,
        "platforms",
        "add",
        "--issuer",
        "https://lms.example.edu",
        "--client-id",
        "c1",
        "--deployment-id",
        "d1",
        "--auth-login-url",
        "https://lms.example.edu/auth",
        "--auth-token-url",
        "https://lms.example.edu/token",
        "--key-set-url",
        "https://lms.example.edu/jwks",
        "--audience",
        "https://lms.example.edu/aud",
        "--alg",
        "RS512",
    )
    assert code == 0, output

    code, listing = run(app, "platforms", "list")

    assert "https://lms.example.edu  client_id=c1" in listing
    assert "deployment: d1" in listing and "RS512" in listing


def test_add_without_endpoints_or_preset_is_a_usage_error(app: Flask) -> None:
    code, output = run(
        app, "platforms", "add", "--client-id", "c", "--deployment-id", "d"
    )

    assert code == 2 and "--issuer" in output


def test_remove(app: Flask) -> None:
    code, _ = run(
        app,
        "platforms",
        "remove",
        "--issuer",
        "https://blackboard.com",
        "--client-id",
        "test-client-0001",
    )
    assert code == 0 and stored(app) == []

    code, output = run(
        app,
        "platforms",
        "remove",
        "--issuer",
        "https://blackboard.com",
        "--client-id",
        "test-client-0001",
    )
    assert code == 1 and "no registration" in output


def test_key_lifecycle_generate_rotate_retire(app: Flask) -> None:
    _, first = run(app, "keys", "generate")
    _, second = run(app, "keys", "generate")
    first_kid, second_kid = first.split()[-1], second.split()[-1]
    with app.app_context():
        assert get_tool_keys().current().kid == first_kid  # a new key waits

    _, rotated = run(app, "keys", "rotate")
    assert second_kid in rotated and "warning" not in rotated

    code, output = run(app, "keys", "retire", second_kid)
    assert code == 1 and "current signing key" in output

    code, _ = run(app, "keys", "retire", first_kid)
    assert code == 0
    _, listing = run(app, "keys", "list")
    assert f"{first_kid}  retired" in listing and f"{second_kid}  signing" in listing
    with app.app_context():
        published = [k["kid"] for k in get_tool_keys().jwks()["keys"]]
    assert published == [second_kid]


def test_rotate_with_a_single_key_generates_and_warns(app: Flask) -> None:
    run(app, "keys", "generate")

    _, output = run(app, "keys", "rotate")

    assert "warning" in output


def test_generate_if_missing(app: Flask) -> None:
    run(app, "keys", "generate", "--if-missing")
    _, output = run(app, "keys", "generate", "--if-missing")

    assert "exists already" in output
    with app.app_context():
        assert len(get_tool_keys().published()) == 1


def test_adding_a_deployment_keeps_the_other_options(app: Flask) -> None:
    run(
        app,
        "platforms",
        "add",
        "--preset",
        "blackboard",
        "--client-id",
        "app-2",
        "--deployment-id",
        "dep-a",
        "--alg",
        "RS512",
        "--name",
        "Learn SaaS",
    )

    code, output = run(
        app,
        "platforms",
        "add",
        "--preset",
        "blackboard",
        "--client-id",
        "app-2",
        "--deployment-id",
        "dep-b",
    )

    assert code == 0 and "updated" in output
    added = next(p for p in stored(app) if p["client_id"] == "app-2")
    assert added["algorithms"] == ["RS512"] and added["name"] == "Learn SaaS"
    assert added["deployment_ids"] == ["dep-a", "dep-b"]


def test_preset_refuses_endpoint_options(app: Flask) -> None:
    code, output = run(
        app,
        "platforms",
        "add",
        "--preset",
        "blackboard",
        "--client-id",
        "c",
        "--deployment-id",
        "d",
        "--issuer",
        "https://other.example",
    )

    assert code == 2 and "--issuer" in output


def test_remove_one_deployment(app: Flask) -> None:
    code, _ = run(
        app,
        "platforms",
        "remove",
        "--issuer",
        "https://blackboard.com",
        "--client-id",
        "test-client-0001",
        "--deployment-id",
        "second-school",
    )

    assert code == 0
    assert stored(app)[0]["deployment_ids"] == ["test-deployment-0001"]
