"""Command-line management: ``flask --app wsgi platforms ...`` and ``keys ...``."""

from __future__ import annotations

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
    default=BLACKBOARD_PORTAL,
    show_default=True,
    help="Developer Portal base URL, with --preset blackboard.",
)
@click.option("--issuer", help="The platform's issuer (iss).")
@click.option(
    "--client-id", required=True, help="The tool's client id (Application ID)."
)
@click.option(
    "--deployment-id",
    "deployment_ids",
    multiple=True,
    required=True,
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
    help="Allowed signing algorithm.",
)
@click.option("--name", default="", help="A label for people.")
def add_platform(
    preset: str | None,
    portal_url: str,
    issuer: str | None,
    client_id: str,
    deployment_ids: tuple[str, ...],
    auth_login_url: str | None,
    auth_token_url: str | None,
    key_set_url: str | None,
    audience: str | None,
    algorithms: tuple[str, ...],
    name: str,
) -> None:
    """Register a platform, or add deployment ids to a registered one."""
    if preset == "blackboard":
        registration = blackboard_registration(
            client_id, deployment_ids, portal_url, algorithms or ("RS256",)
        )
        if name or audience:
            registration = Registration(
                **{
                    **registration.__dict__,
                    "name": name or registration.name,
                    "auth_audience": audience,
                }
            )
    else:
        given = {
            "--issuer": issuer,
            "--auth-login-url": auth_login_url,
            "--auth-token-url": auth_token_url,
            "--key-set-url": key_set_url,
        }
        missing = [option for option, value in given.items() if not value]
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
            name=name,
        )

    try:
        added = get_registry().upsert(registration)
    except ConfigurationError as e:
        raise click.ClickException(e.message) from e
    verb = "added" if added else "updated"
    click.echo(f"{verb} {registration.issuer} client_id={registration.client_id}")


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


@platforms.command("remove")
@click.option("--issuer", required=True)
@click.option("--client-id", required=True)
def remove_platform(issuer: str, client_id: str) -> None:
    """Remove a platform registration."""
    if not get_registry().remove(issuer, client_id):
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
