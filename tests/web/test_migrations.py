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
