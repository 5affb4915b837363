"""Typed database models.

Answers are stored one row per question (not as one JSON blob on the
assessment) so that saving one section never overwrites another section saved
at the same moment from a second tab or worker.

An assessment either belongs to an organisation (then only its members may
see it) or to nobody yet (then its unguessable token is the capability, until
someone signs up and claims it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class Assessment(db.Model):
    __tablename__ = "assessments"
    #: An organisation's history and "the previous assessment" read its assessments in this order.
    __table_args__ = (Index("ix_assessments_organisation_history", "organisation_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unguessable public id: the URL of the questionnaire, result and PDF.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    #: Idempotency key of the start form: a double submit creates one assessment.
    start_key: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    #: None until the assessment is claimed into an organisation.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: A name for the history, such as "Q3 review" or "after our data engineer joined".
    label: Mapped[str] = mapped_column(String(120), default="", server_default=text("''"))
    questionnaire_id: Mapped[str] = mapped_column(String(48))
    questionnaire_version: Mapped[int]
    #: The section the respondent saw last, for the resume link.
    last_section: Mapped[str | None] = mapped_column(String(48))
    #: Bumped on every save; keys the PDF cache so an edit invalidates it.
    revision: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    answer_rows: Mapped[list[AnswerRow]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True
    )
    organisation: Mapped[Organisation | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class AnswerRow(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id", name="uq_answers_assessment_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    #: The question's stable id in the assessment's questionnaire version.
    question_id: Mapped[str] = mapped_column(String(48))
    #: An option id, a list of option ids, a number or text (see assessments.answers).
    value: Mapped[Any] = mapped_column(JSON)

    assessment: Mapped[Assessment] = relationship(back_populates="answer_rows")


class User(UserMixin, db.Model):
    """An account, and the identity Flask-Login gives each signed-in request.

    Flask-Login keeps ``get_id()`` in the session cookie. That is not the
    user's id but the token of one row in ``user_sessions`` (Flask-Login's
    alternative-token pattern): signing out deletes the row, so a copy of the
    cookie stops working at once, and a new password deletes them all.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The login identifier, normalised (services.accounts.normalise_email) so one mailbox is one account.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: werkzeug.security hash (scrypt), never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: When the owner of the mailbox confirmed it (a link sent there); None: the account cannot sign in yet.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")

    #: The session this request is signed in with; set by services.accounts, never stored on the row.
    session_token = None  # type: str | None

    def get_id(self) -> str | None:
        return self.session_token


class UserSession(db.Model):
    """One signed-in browser. Deleting the row signs that browser out."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token kept in the session cookie; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: A session ends SESSION_LIFETIME_DAYS after it began, whatever happens.
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: And SESSION_IDLE_DAYS after it was last used (refreshed at most every few minutes, not on every request).
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="organisation", cascade="all, delete-orphan")


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", name="uq_memberships_user_organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    #: "owner" (may invite) or "member".
    role: Mapped[str] = mapped_column(String(16), default="member")

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")


class Invite(db.Model):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token in the link; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    #: Who it was e-mailed to ("" for a link the owner copies), so that owners can tell pending invites apart.
    email: Mapped[str] = mapped_column(String(254), default="", server_default=text("''"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ShareLink(db.Model):
    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    #: Unguessable; the read-only link is /shared/<token>.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
