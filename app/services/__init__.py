"""Use cases. The only code that commits a transaction."""

from __future__ import annotations

from ..extensions import db


def commit() -> None:
    """Commit the session's work, or roll all of it back and re-raise: nothing is ever half-saved."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
