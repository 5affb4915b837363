"""Fixtures shared by every test: the app, its client and CLI runner, a fresh database per test.

Database-facing tests carry the `db` marker. `pytest --db=postgresql` runs
them against a real PostgreSQL server started for the run (tests/postgres.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event

from app import create_app
from app.extensions import db
from tests.mail_server import Mailbox, smtp_server
from tests.postgres import postgres_server

PERSONAS = Path(__file__).parent / "personas"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", choices=("sqlite", "postgresql"), default="sqlite",
                     help="database for the tests marked db")


@pytest.fixture(scope="session")
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.config.getoption("--db") != "postgresql":
        yield None
        return
    with postgres_server() as url:
        yield url


@pytest.fixture
def database_url(postgres_url: str | None, tmp_path: Path) -> str:
    return postgres_url or f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def empty_database_url(postgres_url: str | None, tmp_path: Path) -> Iterator[str]:
    """A database of its own, with no tables yet: for servers started by a test, which migrate it."""
    if postgres_url is None:
        yield f"sqlite:///{tmp_path / 'served.sqlite3'}"
        return
    import secrets

    import psycopg

    name = f"served_{secrets.token_hex(6)}"
    admin = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def smtp() -> Iterator[Mailbox]:
    """One real SMTP server (aiosmtpd) for the run; every test app sends its e-mail there."""
    with smtp_server() as box:
        yield box


@pytest.fixture
def mailbox(smtp: Mailbox) -> Mailbox:
    """What the SMTP server received during this test."""
    smtp.clear()
    return smtp


@pytest.fixture
def app(database_url: str, tmp_path: Path, mailbox: Mailbox) -> Iterator[Flask]:
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": "groundwork.test",
        "PDF_CACHE_DIR": str(tmp_path / "pdf-cache"),
        "PDF_LOCK_DIR": str(tmp_path / "pdf-locks"),
        "RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'ratelimits.sqlite3'}",
        "SMTP_URL": mailbox.url,
    })
    app.extensions["test_mailbox"] = mailbox
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def count_queries(app: Flask):
    """Count SQL statements run inside a `with count_queries() as n:` block (n[0] after)."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        counted = [0]

        def before(*_args):  # type: ignore[no-untyped-def]
            counted[0] += 1

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counted
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counter
