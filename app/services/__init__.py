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


def plausible_token(token: str) -> bool:
    """Whether a token from a URL could be one of ours, before it reaches a query.

    Tokens are URL-safe and at most 64 characters; anything longer, or with a
    NUL byte (which PostgreSQL refuses in text), cannot match and is not looked up.
    """
    return bool(token) and len(token) <= 64 and "\x00" not in token
