"""Accounts, sign-in sessions, organisations, memberships and invites.

Passwords are hashed with werkzeug's scrypt. Session and invite tokens are
random; only their SHA-256 is stored, so a database leak leaks no working
session or invite. Every function that writes commits its own transaction
or rolls it back. Functions take plain ids: who may do what is decided in
app/web/access.py, before a service is called.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, case, delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from werkzeug.security import check_password_hash, generate_password_hash

from assessments.answers import clean_text

from ..extensions import db
from ..models import Invite, Membership, Organisation, User, UserSession, utcnow
from . import commit, plausible_token

INVITE_LIFETIME = timedelta(days=7)
MIN_PASSWORD = 10
#: Password checks allowed per account in one window, whichever address they come from.
LOGIN_ATTEMPTS = 10
LOGIN_WINDOW_SECONDS = 60
#: A fixed hash to check against when the email is unknown, so that timing
#: does not reveal which emails have accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A request that cannot be carried out; the message is safe to show."""


@dataclass(frozen=True)
class TooManyAttempts(Exception):
    """The account has used its password checks for this window; try again after `retry_after` seconds."""

    retry_after: int


def normalise_email(email: str) -> str:
    return clean_text(email).lower()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters for the password.")


def user_by_email(email: str) -> User | None:
    return db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()


def sign_up(*, email: str, password: str) -> User | None:
    """A new account, or None when the email already has one (the caller must not say which)."""
    _check_password(password)
    password_hash = generate_password_hash(password)  # hashed either way: the time taken says nothing
    user = User(email=normalise_email(email), password_hash=password_hash)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return user


def _count_attempt(user_id: int) -> tuple[int, float]:
    """Count one password check against the account, atomically on every database and server.

    One UPDATE both opens a new window when the last one has passed and
    counts the attempt, so concurrent attempts from any number of workers
    are each counted exactly once.
    """
    now = time.time()
    stale = (User.login_window_start.is_(None)) | (User.login_window_start <= now - LOGIN_WINDOW_SECONDS)
    row = db.session.execute(
        update(User).where(User.id == user_id).values(
            login_attempts=case((stale, 1), else_=User.login_attempts + 1),
            login_window_start=case((stale, now), else_=User.login_window_start),
        ).returning(User.login_attempts, User.login_window_start)
    ).one()
    commit()
    return row.login_attempts, row.login_window_start


def authenticate(*, email: str, password: str) -> User | None:
    """The account if the password matches, else None. Raises TooManyAttempts past the account's limit."""
    user = user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    attempts, window_start = _count_attempt(user.id)
    if attempts > LOGIN_ATTEMPTS:
        raise TooManyAttempts(max(1, int(window_start + LOGIN_WINDOW_SECONDS - time.time()) + 1))
    if not check_password_hash(user.password_hash, password):
        return None
    db.session.execute(update(User).where(User.id == user.id).values(login_attempts=0))
    commit()
    return user


def start_session(user: User) -> User:
    """Record a new signed-in browser for the user; the returned user carries its token for Flask-Login."""
    token = secrets.token_urlsafe(32)
    db.session.execute(insert(UserSession).values(user_id=user.id, token_hash=_hash(token), created_at=utcnow()))
    commit()
    user.session_token = token
    return user


def user_for_session(token: str) -> User | None:
    """The user a session token belongs to (one query), or None once that session has ended."""
    if not plausible_token(token):
        return None
    user = db.session.execute(
        db.select(User).join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == _hash(token))).scalar_one_or_none()
    if user is not None:
        user.session_token = token
    return user


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == _hash(token)))
        commit()


def end_all_sessions(user_id: int) -> int:
    """Sign the user out everywhere; returns how many sessions ended."""
    result = db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    commit()
    return result.rowcount


def reset_password(*, email: str, password: str) -> None:
    """For the `groundwork users reset-password` command (there is no mail server). Ends every session."""
    _check_password(password)
    user = user_by_email(email)
    if user is None:
        raise AccountError(f"No account for {email}.")
    user.password_hash = generate_password_hash(password)
    user.login_attempts = 0
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    commit()


def create_organisation(*, owner_id: int, name: str) -> Organisation:
    organisation = Organisation(name=clean_text(name, max_length=200))
    db.session.add(organisation)
    db.session.add(Membership(user_id=owner_id, organisation=organisation, role="owner"))
    commit()
    return organisation


def _memberships(user_id: int) -> Select[tuple[Membership]]:
    """The user's memberships, each with its organisation loaded in the same query."""
    return (db.select(Membership).join(Membership.organisation).options(contains_eager(Membership.organisation))
            .where(Membership.user_id == user_id))


def memberships_of(user_id: int) -> list[Membership]:
    """The user's memberships with their organisations, by organisation name (one query)."""
    found = db.session.execute(_memberships(user_id)).scalars()
    return sorted(found, key=lambda m: m.organisation.name.lower())


def membership(user_id: int, organisation_id: int) -> Membership | None:
    """The user's membership of that organisation (with the organisation), or None. One query."""
    return db.session.execute(
        _memberships(user_id).where(Membership.organisation_id == organisation_id)).scalar_one_or_none()


def create_invite(*, organisation_id: int, created_by_id: int, role: str = "member") -> str:
    """Return the invite token for the link; it is not stored and cannot be shown again."""
    token = secrets.token_urlsafe(24)
    db.session.add(Invite(organisation_id=organisation_id, token_hash=_hash(token), role=role,
                          created_by_id=created_by_id, expires_at=utcnow() + INVITE_LIFETIME))
    commit()
    return token


def find_invite(token: str) -> Invite | None:
    """A usable invite: known, unused and not expired."""
    if not plausible_token(token):
        return None
    invite = db.session.execute(db.select(Invite).filter_by(token_hash=_hash(token))).scalar_one_or_none()
    if invite is None or invite.used_at is not None:
        return None
    expires = invite.expires_at if invite.expires_at.tzinfo else invite.expires_at.replace(tzinfo=utcnow().tzinfo)
    return invite if expires > utcnow() else None


def accept_invite(*, token: str, user_id: int) -> Organisation:
    """Join the invite's organisation. The invite is used up by one conditional UPDATE, so of two
    people accepting at the same moment exactly one joins; the same person twice joins once."""
    invite = find_invite(token)
    if invite is None:
        raise AccountError("This invite link has expired or has already been used. Ask for a new one.")
    organisation_id, role = invite.organisation_id, invite.role
    claimed = db.session.execute(
        update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None)).values(used_at=utcnow())
    ).rowcount
    if claimed == 1 and membership(user_id, organisation_id) is None:
        db.session.add(Membership(user_id=user_id, organisation_id=organisation_id, role=role))
    try:
        commit()
    except IntegrityError:
        claimed = 0  # the same person's other request added the membership first
    if claimed != 1 and membership(user_id, organisation_id) is None:
        raise AccountError("This invite link has expired or has already been used. Ask for a new one.")
    found = organisation(organisation_id)
    assert found is not None
    return found


def organisation(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)
