"""Typed database models.

Answers are stored one row per question (not as one JSON blob on the
assessment) so that saving one section never overwrites another section saved
at the same moment from a second tab or worker.

An assessment either belongs to an organisation (then only its members may
see it) or to nobody yet (then its unguessable token is the capability, until
someone signs up and claims it).

A team round is an assessment too (`is_round`), so that the history, the comparison, the
exports, share links and deletion treat it as one; each respondent's answers are a child
assessment of it (a "response", `round_id` set), so that every respondent gets the whole
questionnaire flow (sections, save and resume, the e-mailed link) without a second one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
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
    #: A team round: several people answer (each in a response) and its answers are their combination,
    #: written when the round closes (completed_at). Nobody answers a round directly.
    is_round: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    #: Set on a response: one respondent's answers to that round. Responses are never listed, compared,
    #: shared or exported on their own (app/services/history.py lists `round_id IS NULL` only); they go
    #: with their round.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    #: The seat a respondent answers from (a key of assessments.team.SEATS); None except on responses.
    seat: Mapped[str | None] = mapped_column(String(16))
    #: The name a respondent gave, shown to the organisation's members only ("" if none was given).
    respondent_name: Mapped[str] = mapped_column(String(120), default="", server_default=text("''"))

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


class RoundInvite(db.Model):
    """An invitation to answer a team round, by a link that works for one respondent.

    The link is the capability (a respondent need not have an account); only its hash is kept.
    `response_id` is set, by a conditional UPDATE, when someone joins through it: one invitation
    gives one response, whatever double-click or second browser tries again."""

    __tablename__ = "round_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token in the link; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Where it was e-mailed ("" for a link the member copies), and whom it is for: for the round page.
    email: Mapped[str] = mapped_column(String(254), default="", server_default=text("''"))
    name: Mapped[str] = mapped_column(String(120), default="", server_default=text("''"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The response answered through it; None while unused.
    response_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"), unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AdvertDetails(db.Model):
    """What the hiring manager writes into the job advert, saved with the assessment.

    Kept beside the assessment (one row, only once someone saves) rather than on it:
    the answers and their scoring never depend on it."""

    __tablename__ = "advert_details"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    #: A few lines on the organisation, in its own words; empty: the advert describes it from the answers.
    about: Mapped[str] = mapped_column(String(1000), default="")
    salary: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    how_to_apply: Mapped[str] = mapped_column(String(1000), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RuleFile(db.Model):
    """One version of a rules file (roles.yaml, sectors.yaml), kept by its checksum.

    Published questionnaires never change, but the role and sector rules do. An outcome
    records the checksums of the rules it was worked out under, and these rows keep those
    texts, so that an assessment finished under them can be shown as it was, whatever the
    files say today (see app/services/outcomes.py).
    """

    __tablename__ = "rule_files"

    #: SHA-256 of the file's text.
    checksum: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The file it came from ("roles.yaml", "sectors.yaml").
    name: Mapped[str] = mapped_column(String(48))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RecordedOutcome(db.Model):
    """What Groundwork said when the assessment was (last) finished, and the rules it said it under.

    `outcome` is the JSON of `groundwork score --json` (Outcome.to_dict), stored as it is;
    `summary` is the little the history, the timeline and the exports list (stage, levels,
    first hire, confidence), taken from it when it was recorded, so that a list of thousands
    never scores anything.
    """

    __tablename__ = "assessment_outcomes"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    #: The assessment's revision the outcome was worked out from: a later save records it again.
    revision: Mapped[int]
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    questionnaire_id: Mapped[str] = mapped_column(String(48))
    questionnaire_version: Mapped[int]
    #: SHA-256 of the questionnaire, of the rules files (rows of rule_files) and of the scoring code.
    questionnaire_checksum: Mapped[str] = mapped_column(String(64))
    roles_checksum: Mapped[str] = mapped_column(ForeignKey("rule_files.checksum"))
    sectors_checksum: Mapped[str] = mapped_column(ForeignKey("rule_files.checksum"))
    code_checksum: Mapped[str] = mapped_column(String(64))
    #: One hash of the four above: two outcomes with the same `rules` were worked out the same way.
    rules: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)


class RenderedPdf(db.Model):
    """A PDF report, rendered once per cluster by a queue worker and read by every app server.

    The key is a hash of exactly what is rendered (app/reports/pdf.cache_key) and the render
    job's id. A row without data is a job asked for and not finished; `error` says why one
    failed. The least recently used rows go when the total size passes its bound.
    """

    __tablename__ = "pdf_reports"
    __table_args__ = (Index("ix_pdf_reports_last_used", "last_used"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: Whose report it is: deleting the assessment (or its organisation) deletes its PDFs.
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(default=0)
    #: When the render was (last) queued, and when a worker began it.
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    error: Mapped[str | None] = mapped_column(String(300))
