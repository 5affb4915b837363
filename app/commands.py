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
@click.option("--if-empty", is_flag=True,
              help="Create nothing when the database already has accounts (the demo's sign-in is still printed).")
def demo_command(if_empty: bool) -> None:
    """Create a demo organisation with three assessments a quarter apart, and print how to sign in."""
    from .services import demo

    created = demo.create(if_empty=if_empty)
    if created is not None:
        click.echo(f"Demo organisation \"{created.organisation}\" with {created.assessments} assessments.")
    elif demo.exists():
        demo.ensure_sample()
    else:
        click.echo("Demo data not created: the database already has accounts.")
        return
    # Every time, not only the first: whoever runs `make run` again still needs to know how to sign in.
    click.echo(f"Demo sign-in: {demo.EMAIL} with password {demo.PASSWORD} (at /login)")


@click.command("worker")
@with_appcontext
@click.option("--workers", type=int, default=None,
              help="Render processes, i.e. PDFs rendered at once (default: GROUNDWORK_PDF_WORKERS, 1).")
def worker_command(workers: int | None) -> None:
    """Render PDF reports from the queue until stopped (SIGINT finishes the renders in hand)."""
    from flask import current_app

    from .reports import queue
    from .services.reports import queue as app_queue

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    count = workers or app.config["PDF_WORKERS"]
    click.echo(f"Groundwork PDF worker: {count} render process(es) on {_safe(app.config['PDF_QUEUE_URL'])}")
    queue.serve(app, app_queue(), workers=count)


def _safe(url: str) -> str:
    """A queue URL without its password, for the log."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return url.replace(parts.password, "***") if parts.password else url


def register_commands(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo_command)
    app.cli.add_command(worker_command)
