"""Accounts, organisations, memberships and invites.

Passwords are hashed with werkzeug's scrypt. Invite links carry a random
token; only its SHA-256 is stored, so a database leak does not leak working
invites. Every function commits its own transaction or rolls back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import Invite, Membership, Organisation, User, utcnow
from . import commit

INVITE_LIFETIME = timedelta(days=7)
MIN_PASSWORD = 10
#: A fixed hash to check against when the email is unknown, so that timing
#: does not reveal which emails have accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


@dataclass(frozen=True, eq=False)
class SignedIn(UserMixin):
    """The person signed in, as a request needs them: who they are, not a row to write through.

    Flask-Login loads it on every signed-in request, with one Core query;
    an ORM User there cost about a tenth of a signed-in page. Services that
    need to know who acts use only the id, so they take this or a User.
    """

    id: int
    email: str
    #: Derived from the password hash: a new password ends every session signed in with the old one.
    fingerprint: str

    def get_id(self) -> str:
        return f"{self.id}.{self.fingerprint}"


def fingerprint(password_hash: str) -> str:
    """A keyed digest of the password hash, kept in the session (which the client can read, not forge)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"groundwork-session:" + password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def identity(user: User) -> SignedIn:
    """What login_user() keeps for a user who has just proved who they are."""
    return SignedIn(user.id, user.email, fingerprint(user.password_hash))


#: Whoever acts in a service call: the signed-in identity or a User row (sign-up, the demo command).
Actor = User | SignedIn


class AccountError(ValueError):
    """A request that cannot be carried out; the message is safe to show."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def sign_up(*, email: str, password: str) -> User:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters for the password.")
    user = User(email=normalise_email(email), password_hash=generate_password_hash(password))
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError("An account with this email already exists. Sign in instead.") from None
    return user


def authenticate(*, email: str, password: str) -> User | None:
    user = db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def reset_password(*, email: str, password: str) -> None:
    """For the `groundwork users reset-password` command: there is no mail server."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters for the password.")
    user = db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()
    if user is None:
        raise AccountError(f"No account for {email}.")
    user.password_hash = generate_password_hash(password)
    commit()


def create_organisation(*, owner: Actor, name: str) -> Organisation:
    organisation = Organisation(name=name.replace("\x00", "\ufffd").strip())
    db.session.add(organisation)
    db.session.add(Membership(user_id=owner.id, organisation=organisation, role="owner"))
    commit()
    return organisation


#: Built once: every signed-in request runs these, and building a statement
#: costs SQLAlchemy about as much as running it on SQLite.
_users = User.__table__
_SIGNED_IN = db.select(_users.c.id, _users.c.email, _users.c.password_hash).where(_users.c.id == bindparam("user_id"))
_MEMBERSHIPS = (db.select(Membership).join(Membership.organisation).options(contains_eager(Membership.organisation))
                .where(Membership.user_id == bindparam("user_id")))
_MEMBERSHIP = _MEMBERSHIPS.where(Membership.organisation_id == bindparam("organisation_id"))


def signed_in(session_id: str) -> SignedIn | None:
    """The person a session names (SignedIn.get_id()), loaded on every request with one query.

    None, which signs the session out, when the account is gone or its
    password changed since the session began. Memberships are asked for when needed.
    """
    user_id, _, claimed = session_id.partition(".")
    if not user_id.isdigit() or not claimed:
        return None
    row = db.session.execute(_SIGNED_IN, {"user_id": int(user_id)}).first()
    if row is None or not hmac.compare_digest(claimed, fingerprint(row.password_hash)):
        return None
    return SignedIn(row.id, row.email, claimed)


def memberships_of(user: Actor) -> list[Membership]:
    """The user's memberships with their organisations, by organisation name (one query)."""
    found = db.session.execute(_MEMBERSHIPS, {"user_id": user.id}).scalars()
    return sorted(found, key=lambda m: m.organisation.name.lower())


def membership(user: Actor | None, organisation_id: int) -> Membership | None:
    """The user's membership of that organisation, or None (the caller answers 404). One query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.execute(
        _MEMBERSHIP, {"user_id": user.id, "organisation_id": organisation_id}).scalar_one_or_none()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invite(*, organisation: Organisation, created_by: Actor, role: str = "member") -> str:
    """Return the invite token for the link; it is not stored and cannot be shown again."""
    token = secrets.token_urlsafe(24)
    db.session.add(Invite(organisation_id=organisation.id, token_hash=_hash(token), role=role,
                          created_by_id=created_by.id, expires_at=utcnow() + INVITE_LIFETIME))
    commit()
    return token


def find_invite(token: str) -> Invite | None:
    """A usable invite: known, unused and not expired."""
    if not token or len(token) > 64:
        return None
    invite = db.session.execute(db.select(Invite).filter_by(token_hash=_hash(token))).scalar_one_or_none()
    if invite is None or invite.used_at is not None:
        return None
    expires = invite.expires_at if invite.expires_at.tzinfo else invite.expires_at.replace(tzinfo=utcnow().tzinfo)
    return invite if expires > utcnow() else None


def accept_invite(*, token: str, user: Actor) -> Organisation:
    invite = find_invite(token)
    if invite is None:
        raise AccountError("This invite link has expired or has already been used. Ask for a new one.")
    organisation = db.session.get(Organisation, invite.organisation_id)
    if membership(user, invite.organisation_id) is None:
        db.session.add(Membership(user_id=user.id, organisation_id=invite.organisation_id, role=invite.role))
    invite.used_at = utcnow()
    commit()
    assert organisation is not None
    return organisation


def organisation(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)
