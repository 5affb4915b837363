"""Accounts, sign-in sessions, organisations, memberships and invites.

Passwords are hashed with werkzeug's scrypt. Session and invite tokens are
random; only their SHA-256 is stored, so a database leak leaks no working
session or invite. Links sent by e-mail (confirm an address, reset a
password) carry a token signed with SECRET_KEY that names the account and a
fingerprint of its current password hash: it expires, and it stops working
once it has been used (using it changes the hash or the verified state).
Every function that writes commits its own transaction or rolls it back, and
none sends e-mail: the views send after the commit. Functions take plain ids:
who may do what is decided in app/web/access.py, before a service is called.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import unicodedata
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import idna
from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import Select, delete, func, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager
from werkzeug.security import check_password_hash, generate_password_hash

from assessments.answers import clean_text

from ..extensions import db
from ..models import Invite, Membership, Organisation, User, UserSession, utcnow
from . import commit, plausible_token

log = logging.getLogger(__name__)

INVITE_LIFETIME = timedelta(days=7)
MIN_PASSWORD = 10
#: How long the link in a confirmation e-mail, and in a password-reset e-mail, works.
VERIFY_LIFETIME = timedelta(days=3)
RESET_LIFETIME = timedelta(hours=1)
#: A session's "last used" time is written at most this often, not on every request.
SESSION_TOUCH = timedelta(minutes=5)
#: A fixed hash to check against when the email is unknown, so that timing
#: does not reveal which emails have accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A request that cannot be carried out; the message is safe to show."""


class LastOwner(AccountError):
    """The person is the only owner of an organisation, which would be left without one."""


def normalise_email(email: str) -> str:
    """One spelling per mailbox: Unicode NFKC (composed accents, full-width letters folded), lower case,
    and the domain in its IDNA (punycode) form, so "Ada@Exämple.org", "ada@xn--exmple-cua.org" and the
    decomposed or full-width spellings are the same account. migrations/versions/0005 holds a copy."""
    text = unicodedata.normalize("NFKC", clean_text(email))
    local, at, domain = text.rpartition("@")
    if not at:
        return text.lower()
    # Not a domain name: kept as typed (lower-cased); it matches no account and receives no mail.
    with suppress(idna.IDNAError, UnicodeError, ValueError):
        domain = idna.encode(domain.rstrip("."), uts46=True).decode("ascii")
    return f"{local.lower()}@{domain.lower()}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters for the password.")


def user_by_email(email: str) -> User | None:
    return db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"groundwork-{purpose}")


def _fingerprint(user: User) -> str:
    """Changes when the password (or, for confirmation links, the verified state) changes: a used link dies."""
    verified = "v" if user.email_verified_at is not None else "u"
    return hashlib.sha256((user.password_hash + verified).encode()).hexdigest()[:20]


def _signed_token(purpose: str, user: User, **extra: Any) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user), **extra})


def _token_user(purpose: str, token: str, lifetime: timedelta) -> tuple[User, dict[str, Any]] | None:
    """The account a link names, if the link is genuine, not expired and not used; with its payload."""
    if not token or len(token) > 512:
        return None
    try:
        payload = _serializer(purpose).loads(token, max_age=int(lifetime.total_seconds()))
    except BadData:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int) or not 1 <= payload["u"] < 2**31:
        return None
    user = db.session.get(User, payload["u"])
    if user is None or payload.get("f") != _fingerprint(user):
        return None
    return user, payload


@dataclass(frozen=True)
class SignUp:
    """What a sign-up did. The person is told the same either way ("check your e-mail"); the e-mail differs:
    `new` or `unverified` get a confirmation link (`token`), `verified` a note that the account exists."""

    email: str
    state: Literal["new", "unverified", "verified"]
    token: str | None


def sign_up(*, email: str, password: str, next_url: str | None = None) -> SignUp:
    """Register an address, pending confirmation from its mailbox. Never says whether it was taken.

    A new address gets an account that cannot sign in until the link sent to it is followed. An address
    with an unconfirmed account takes the new password (the mailbox's owner may be reclaiming an address
    someone else typed; only the mailbox sees the link, and the link asks for the password). A confirmed
    account is left untouched. `next_url` rides in the link, for after confirmation.
    """
    _check_password(password)
    password_hash = generate_password_hash(password)  # hashed either way: the time taken says nothing
    address = normalise_email(email)
    extra = {"n": next_url} if next_url else {}
    user = User(email=address, password_hash=password_hash)
    db.session.add(user)
    try:
        commit()
    except IntegrityError:
        existing = user_by_email(address)
        if existing is None:  # deleted in the meantime: the person can simply try again
            raise AccountError("Please try again.") from None
        if existing.email_verified_at is not None:
            return SignUp(address, "verified", None)
        existing.password_hash = password_hash
        commit()
        return SignUp(address, "unverified", _signed_token("verify", existing, **extra))
    return SignUp(address, "new", _signed_token("verify", user, **extra))


def verification_token(user: User, next_url: str | None = None) -> str:
    """A fresh confirmation link's token, e.g. when an unconfirmed account tries to sign in."""
    return _signed_token("verify", user, **({"n": next_url} if next_url else {}))


def pending_verification(token: str) -> tuple[User, str | None] | None:
    """The unconfirmed account a confirmation link is for, and where to go afterwards; None if it is dead."""
    found = _token_user("verify", token, VERIFY_LIFETIME)
    if found is None or found[0].email_verified_at is not None:
        return None
    next_url = found[1].get("n")
    return found[0], next_url if isinstance(next_url, str) else None


def confirm_email(*, token: str, password: str) -> User | None:
    """Confirm the address of a link's account if `password` is its password, else None.

    The password is asked for so that a link someone else triggered (by signing up with this address
    and a password of their choosing) cannot confirm an account they would control."""
    found = pending_verification(token)
    if found is None or not check_password_hash(found[0].password_hash, password):
        return None
    user = found[0]
    confirmed = db.session.execute(update(User).where(User.id == user.id, User.email_verified_at.is_(None))
                                   .values(email_verified_at=utcnow())).rowcount
    commit()
    log.info("Account %s confirmed its e-mail address", user.id)
    return user if confirmed == 1 else None


def authenticate(*, email: str, password: str) -> User | None:
    """The account if the password matches (confirmed or not: the caller checks), else None.

    How often this may be tried per address and per (e-mail, address) is limited by the web layer
    (LOGIN_RATE_LIMIT, LOGIN_ACCOUNT_RATE_LIMIT), the same way for addresses that have no account."""
    user = user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def password_reset_token(email: str) -> tuple[User, str] | None:
    """For the reset e-mail: the account and a link token, or None when the address has no account."""
    user = user_by_email(email)
    if user is None:
        return None
    return user, _signed_token("reset", user)


def reset_target(token: str) -> User | None:
    """The account a reset link is for, while the link is unused and under an hour old."""
    found = _token_user("reset", token, RESET_LIFETIME)
    return found[0] if found else None


def reset_password_with_token(*, token: str, password: str) -> User:
    """Set a new password from a reset link. Ends every session (a thief's too) and confirms the
    address, since following the link proves the mailbox. The link cannot be used again."""
    _check_password(password)
    user = reset_target(token)
    if user is None:
        raise AccountError("This link has expired or has already been used. Ask for a new one.")
    new_hash = generate_password_hash(password)
    changed = db.session.execute(
        update(User).where(User.id == user.id, User.password_hash == user.password_hash)
        .values(password_hash=new_hash, email_verified_at=func.coalesce(User.email_verified_at, utcnow()))
    ).rowcount
    if changed != 1:  # another request used the link first
        db.session.rollback()
        raise AccountError("This link has expired or has already been used. Ask for a new one.")
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    commit()
    db.session.refresh(user)
    log.info("Account %s reset its password by e-mail; all its sessions ended", user.id)
    return user


def _session_limits() -> tuple[datetime, datetime]:
    """(oldest start, oldest last use) a live session may have now."""
    config, now = current_app.config, utcnow()
    return (now - timedelta(days=config["SESSION_LIFETIME_DAYS"]), now - timedelta(days=config["SESSION_IDLE_DAYS"]))


def purge_sessions() -> int:
    """Delete every expired session row; run at each sign-in, and by `groundwork users purge-sessions`."""
    born_after, used_after = _session_limits()
    result = db.session.execute(delete(UserSession).where(
        or_(UserSession.created_at < born_after, UserSession.last_seen_at < used_after)))
    commit()
    return result.rowcount


def start_session(user: User) -> User:
    """Record a new signed-in browser for the user; the returned user carries its token for Flask-Login."""
    purge_sessions()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.execute(insert(UserSession).values(user_id=user.id, token_hash=_hash(token), created_at=now,
                                                  last_seen_at=now))
    commit()
    user.session_token = token
    return user


def user_for_session(token: str) -> User | None:
    """The user a session token belongs to, or None once that session has ended or expired.

    One query; a second (an UPDATE) only when the session's last use is older than SESSION_TOUCH."""
    if not plausible_token(token):
        return None
    born_after, used_after = _session_limits()
    row = db.session.execute(
        db.select(User, UserSession.id, UserSession.last_seen_at).join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == _hash(token), UserSession.created_at >= born_after,
               UserSession.last_seen_at >= used_after)).one_or_none()
    if row is None:
        return None
    user, session_id, last_seen = row
    if last_seen.tzinfo is None:
        last_seen = last_seen.replace(tzinfo=utcnow().tzinfo)
    if utcnow() - last_seen > SESSION_TOUCH:
        db.session.execute(update(UserSession).where(UserSession.id == session_id).values(last_seen_at=utcnow()))
        commit()
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
    """For the `groundwork users reset-password` command (an operator's reset). Ends every session."""
    _check_password(password)
    user = user_by_email(email)
    if user is None:
        raise AccountError(f"No account for {email}.")
    user.password_hash = generate_password_hash(password)
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


def create_invite(*, organisation_id: int, created_by_id: int, role: str = "member", email: str = "") -> str:
    """Return the invite token for the link; it is not stored and cannot be shown again.
    `email`, when the invite is e-mailed, is kept so that owners can tell pending invites apart."""
    token = secrets.token_urlsafe(24)
    db.session.add(Invite(organisation_id=organisation_id, token_hash=_hash(token), role=role,
                          email=normalise_email(email) if email else "", created_by_id=created_by_id,
                          expires_at=utcnow() + INVITE_LIFETIME))
    commit()
    return token


def pending_invites(organisation_id: int) -> list[Invite]:
    """Invites of the organisation that could still be accepted, newest first."""
    return list(db.session.execute(
        db.select(Invite).where(Invite.organisation_id == organisation_id, Invite.used_at.is_(None),
                                Invite.expires_at > utcnow())
        .order_by(Invite.id.desc())).scalars())


def revoke_invite(*, organisation_id: int, invite_id: int, by_user_id: int) -> bool:
    """Delete an unused invite of the organisation; its link stops working. False if there is none."""
    deleted = db.session.execute(delete(Invite).where(
        Invite.id == invite_id, Invite.organisation_id == organisation_id, Invite.used_at.is_(None))).rowcount
    commit()
    if deleted:
        log.info("User %s revoked invite %s of organisation %s", by_user_id, invite_id, organisation_id)
    return deleted == 1


def members(organisation_id: int) -> list[Membership]:
    """The organisation's memberships with their users (one query), owners first, then by e-mail."""
    found = db.session.execute(
        db.select(Membership).join(Membership.user).options(contains_eager(Membership.user))
        .where(Membership.organisation_id == organisation_id)).scalars()
    return sorted(found, key=lambda m: (m.role != "owner", m.user.email))


def _owner_count(organisation_id: int) -> int:
    return db.session.execute(db.select(func.count()).select_from(Membership).where(
        Membership.organisation_id == organisation_id, Membership.role == "owner")).scalar_one()


def _remove_membership(found: Membership, *, by_user_id: int) -> None:
    if found.role == "owner" and _owner_count(found.organisation_id) <= 1:
        name = found.organisation.name
        raise LastOwner(f"{name} would have no owner left. Make someone else an owner first, "
                        f"or delete the organisation.")
    db.session.execute(delete(Membership).where(Membership.id == found.id))
    commit()
    log.info("User %s removed membership of user %s in organisation %s", by_user_id, found.user_id,
             found.organisation_id)


def remove_member(*, organisation_id: int, membership_id: int, by_user_id: int) -> bool:
    """An owner removes someone (themselves included) from the organisation. False if not a member;
    raises LastOwner rather than leave the organisation without an owner."""
    found = db.session.execute(db.select(Membership).where(
        Membership.id == membership_id, Membership.organisation_id == organisation_id)).scalar_one_or_none()
    if found is None:
        return False
    _remove_membership(found, by_user_id=by_user_id)
    return True


def make_owner(*, organisation_id: int, membership_id: int, by_user_id: int) -> bool:
    """An owner makes a member an owner too (so that they may leave, or share the work)."""
    changed = db.session.execute(update(Membership).where(
        Membership.id == membership_id, Membership.organisation_id == organisation_id).values(role="owner")).rowcount
    commit()
    if changed:
        log.info("User %s made membership %s of organisation %s an owner", by_user_id, membership_id,
                 organisation_id)
    return changed == 1


def leave(*, organisation_id: int, user_id: int) -> None:
    """The person leaves the organisation; raises LastOwner if they are its only owner."""
    found = membership(user_id, organisation_id)
    if found is not None:
        _remove_membership(found, by_user_id=user_id)


def sole_ownerships(user_id: int) -> list[Organisation]:
    """Organisations of which the person is the only owner (their account cannot be deleted while any)."""
    mine = [m for m in memberships_of(user_id) if m.role == "owner"]
    return [m.organisation for m in mine if _owner_count(m.organisation_id) <= 1]


def delete_account(*, user_id: int, password: str) -> None:
    """Delete the account: its sessions and memberships go with it; assessments it started stay with
    their organisations (their "started by" is cleared). Refused while it is an organisation's only owner."""
    user = db.session.get(User, user_id)
    if user is None:
        return
    if not check_password_hash(user.password_hash, password):
        raise AccountError("That password is not right.")
    blocking = sole_ownerships(user_id)
    if blocking:
        names = ", ".join(o.name for o in blocking)
        raise LastOwner(f"You are the only owner of {names}. Make someone else an owner, or delete "
                        f"{'it' if len(blocking) == 1 else 'them'}, before deleting your account.")
    db.session.execute(delete(User).where(User.id == user_id))
    commit()
    log.info("Account %s deleted by its owner", user_id)


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
