"""Command-line management: ``flask --app wsgi platforms ...`` and ``keys ...``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup

from app.errors import ConfigurationError
from app.keys import get_tool_keys
from app.registry import (
    ALLOWED_ALGORITHMS,
    BLACKBOARD_PORTAL,
    Registration,
    blackboard_registration,
    get_registry,
)

platforms = AppGroup("platforms", help="Manage platform registrations.")
keys = AppGroup("keys", help="Manage the tool's signing keys.")


@platforms.command("add")
@click.option("--preset", type=click.Choice(["blackboard"]), help="Fill in endpoints.")
@click.option(
    "--portal-url",
    help=f"Developer Portal base URL with --preset blackboard [{BLACKBOARD_PORTAL}]",
)
@click.option("--issuer", help="The platform's issuer (iss).")
@click.option(
    "--client-id", required=True, help="The tool's client id (Application ID)."
)
@click.option(
    "--deployment-id",
    "deployment_ids",
    multiple=True,
    help="A deployment id; repeat for several.",
)
@click.option("--auth-login-url", help="OIDC authentication request endpoint.")
@click.option("--auth-token-url", help="OAuth 2 token endpoint for LTI services.")
@click.option("--key-set-url", help="The platform's public key set (JWKS) URL.")
@click.option("--audience", help="aud of client assertions, if not the token URL.")
@click.option(
    "--alg",
    "algorithms",
    multiple=True,
    type=click.Choice(ALLOWED_ALGORITHMS),
    help="Allowed signing algorithm; repeat for several [RS256].",
)
@click.option("--name", help="A label for people.")
@click.option(
    "--platform-origin",
    "platform_origins",
    multiple=True,
    help="Origin of a page hosting the tool's frame (a Learn host), trusted "
    "for platform storage; repeat for several.",
)
def add_platform(
    preset: str | None,
    portal_url: str | None,
    issuer: str | None,
    client_id: str,
    deployment_ids: tuple[str, ...],
    auth_login_url: str | None,
    auth_token_url: str | None,
    key_set_url: str | None,
    audience: str | None,
    algorithms: tuple[str, ...],
    name: str | None,
    platform_origins: tuple[str, ...],
) -> None:
    """Register a platform, or add deployments to (and change the options
    given of) a registered one; options not given are left as they are."""
    endpoints = {
        "--issuer": issuer,
        "--auth-login-url": auth_login_url,
        "--auth-token-url": auth_token_url,
        "--key-set-url": key_set_url,
    }
    if preset == "blackboard":
        clashing = [option for option, value in endpoints.items() if value]
        if clashing:
            raise click.UsageError(
                f"--preset blackboard sets {', '.join(clashing)} itself"
            )
        preset_registration = blackboard_registration(
            client_id, deployment_ids, portal_url or BLACKBOARD_PORTAL
        )
        issuer = preset_registration.issuer
    elif portal_url:
        raise click.UsageError("--portal-url goes with --preset blackboard")

    registry = get_registry()
    existing = registry.find(issuer, client_id) if issuer else None
    try:
        if existing is not None:
            changes = _given_changes(
                auth_login_url=auth_login_url,
                auth_token_url=auth_token_url,
                key_set_url=key_set_url,
                auth_audience=audience,
                algorithms=algorithms or None,
                name=name,
                deployment_ids=deployment_ids,
                platform_origins=tuple(
                    dict.fromkeys(existing.platform_origins + platform_origins)
                )
                if platform_origins
                else None,
            )
            if preset == "blackboard" and portal_url:
                changes.update(
                    auth_login_url=preset_registration.auth_login_url,
                    auth_token_url=preset_registration.auth_token_url,
                    key_set_url=preset_registration.key_set_url,
                )
            registry.update(existing.issuer, client_id, **changes)
            click.echo(f"updated {existing.issuer} client_id={client_id}")
            return

        if not deployment_ids:
            raise click.UsageError("a new registration needs --deployment-id")
        if preset == "blackboard":
            registration = replace(
                preset_registration,
                auth_audience=audience,
                algorithms=algorithms or ("RS256",),
                name=name or preset_registration.name,
                platform_origins=platform_origins,
            )
        else:
            missing = [option for option, value in endpoints.items() if not value]
            if missing:
                raise click.UsageError(
                    f"missing {', '.join(missing)} (or use --preset blackboard)"
                )
            registration = Registration(
                issuer=str(issuer),
                client_id=client_id,
                auth_login_url=str(auth_login_url),
                auth_token_url=str(auth_token_url),
                key_set_url=str(key_set_url),
                deployment_ids=deployment_ids,
                auth_audience=audience,
                algorithms=algorithms or ("RS256",),
                name=name or "",
                platform_origins=platform_origins,
            )
        registry.add(registration)
    except (ConfigurationError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"added {registration.issuer} client_id={client_id}")


def _given_changes(**options: Any) -> dict[str, Any]:
    """The options that were given on the command line."""
    return {name: value for name, value in options.items() if value}


@platforms.command("list")
def list_platforms() -> None:
    """List the registered platforms and their deployments."""
    registrations = get_registry().all()
    if not registrations:
        click.echo("no platforms registered")
    for r in registrations:
        click.echo(f"{r.issuer}  client_id={r.client_id}  {r.name}".rstrip())
        click.echo(f"  login:   {r.auth_login_url}")
        click.echo(f"  token:   {r.auth_token_url}")
        click.echo(f"  key set: {r.key_set_url}")
        click.echo(f"  algorithms: {', '.join(r.algorithms)}")
        for deployment_id in r.deployment_ids:
            click.echo(f"  deployment: {deployment_id}")
        for origin in r.platform_origins:
            click.echo(f"  platform origin: {origin}")


@platforms.command("remove")
@click.option("--issuer", required=True)
@click.option("--client-id", required=True)
@click.option("--deployment-id", help="Remove only this deployment id.")
def remove_platform(issuer: str, client_id: str, deployment_id: str | None) -> None:
    """Remove a platform registration, or one of its deployments."""
    registry = get_registry()
    if deployment_id:
        if not registry.remove_deployment(issuer, client_id, deployment_id):
            raise click.ClickException(
                f"no deployment {deployment_id} for {issuer} {client_id}"
            )
        click.echo(f"removed deployment {deployment_id} of client_id={client_id}")
        return
    if not registry.remove(issuer, client_id):
        raise click.ClickException(f"no registration for {issuer} {client_id}")
    click.echo(f"removed {issuer} client_id={client_id}")


@keys.command("generate")
@click.option("--if-missing", is_flag=True, help="Only when the tool has no key.")
def generate_key(if_missing: bool) -> None:
    """Create and publish a new key (it signs only if no key signs yet)."""
    tool_keys = get_tool_keys()
    if if_missing and tool_keys.published():
        click.echo("a key exists already")
        return
    kid = tool_keys.generate()
    click.echo(f"generated key {kid}")


@keys.command("list")
def list_keys() -> None:
    """List the keys and which one signs."""
    rows = get_tool_keys().status()
    if not rows:
        click.echo("no keys; run 'flask --app wsgi keys generate'")
    for row in rows:
        click.echo(f"{row['kid']}  {row['state']}")


@keys.command("rotate")
def rotate_key() -> None:
    """Sign with the newest published key (generating one if needed)."""
    kid, generated = get_tool_keys().rotate()
    click.echo(f"now signing with {kid}")
    if generated:
        click.echo(
            "warning: this key was only just published; platforms that cached "
            "the old key set may refuse it for a while. Next time run "
            "'keys generate', wait some hours, then 'keys rotate'."
        )


@keys.command("retire")
@click.argument("kid")
def retire_key(kid: str) -> None:
    """Stop publishing a key that no longer signs."""
    try:
        get_tool_keys().retire(kid)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"retired {kid}")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(platforms)
    app.cli.add_command(keys)
