"""App commands (they need the database): registered on app.cli by create_app,
so `groundwork`, `flask` and the test CLI runner all see them."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext


@click.group(cls=AppGroup)
def users() -> None:
    """Manage accounts."""


@users.command("reset-password")
@click.argument("email")
@click.password_option("--password", help="The new password (prompted for when not given).")
def users_reset_password(email: str, password: str) -> None:
    """Set a new password for EMAIL (people can also reset their own by e-mail, at /password/forgot)."""
    from .services import accounts

    try:
        accounts.reset_password(email=email, password=password)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Password changed for {accounts.normalise_email(email)}.")


@users.command("purge-sessions")
def users_purge_sessions() -> None:
    """Delete expired sign-in sessions (also done at every sign-in)."""
    from .services import accounts

    click.echo(f"{accounts.purge_sessions()} expired sessions deleted.")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
def demo_command(if_empty: bool) -> None:
    """Create a demo organisation with three assessments a quarter apart, and print how to sign in."""
    from .services import demo

    created = demo.create(if_empty=if_empty)
    if created is None:
        click.echo("Demo data not created: the database already has accounts.")
        return
    click.echo(f"Demo organisation \"{created.organisation}\" with {created.assessments} assessments.")
    click.echo(f"Sign in at /login as {created.email} with password {created.password}")


def register_commands(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo_command)
