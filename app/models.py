"""Typed database models.

Answers are stored one row per question (not as one JSON blob on the
assessment) so that saving one section never overwrites another section saved
at the same moment from a second tab or worker.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class Assessment(db.Model):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unguessable public id: the URL of the questionnaire, result and PDF.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    #: Idempotency key of the start form: a double submit creates one assessment.
    start_key: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
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
