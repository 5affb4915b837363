"""Migrations: upgrading an empty database gives exactly the models' schema; downgrade works."""

from __future__ import annotations

import logging

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.extensions import db

pytestmark = pytest.mark.db


@pytest.fixture
def empty_app(database_url: str):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        yield app
        db.session.remove()
        db.engine.dispose()


def test_upgrade_matches_the_models_and_downgrade_empties(empty_app) -> None:
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    downgrade(revision="base")
    tables = set(inspect(db.engine).get_table_names())
    assert tables <= {"alembic_version"}
    upgrade()
    assert {"assessments", "answers"} <= set(inspect(db.engine).get_table_names())


def test_running_migrations_leaves_the_app_logging_alone(empty_app) -> None:
    """Alembic's usual env.py calls fileConfig(), which disables every logger that exists already."""
    logger = logging.getLogger("app.services.reports")
    root_level = logging.getLogger().level
    upgrade()
    assert not logger.disabled and not empty_app.logger.disabled
    assert logging.getLogger().level == root_level


def test_0005_confirms_existing_accounts_and_normalises_their_addresses(empty_app) -> None:
    upgrade(revision="0004")
    with db.engine.begin() as conn:
        for email in ("ada@exa\u0308mple.org", "ADA@xn--exmple-cua.org", "bob@example.org"):
            conn.execute(text("INSERT INTO users (email, password_hash, created_at, login_attempts) "
                              "VALUES (:e, 'x', CURRENT_TIMESTAMP, 0)"), {"e": email})
        conn.execute(text("INSERT INTO user_sessions (user_id, token_hash, created_at) "
                          "VALUES (3, 'h', CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO organisations (name, created_at) VALUES ('Kept', CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO memberships (user_id, organisation_id, role) VALUES (3, 1, 'owner')"))
    upgrade()
    with db.engine.connect() as conn:
        users = conn.execute(text("SELECT id, email, email_verified_at FROM users ORDER BY id")).all()
        seen = conn.execute(text("SELECT last_seen_at FROM user_sessions")).scalar_one()  # sessions survive
        assert conn.execute(text("SELECT count(*) FROM memberships")).scalar_one() == 1  # and memberships
    # The first spelling of a mailbox is normalised; a second spelling of it is left for an operator to merge.
    assert [u.email for u in users] == ["ada@xn--exmple-cua.org", "ADA@xn--exmple-cua.org", "bob@example.org"]
    assert all(u.email_verified_at is not None for u in users) and seen is not None
