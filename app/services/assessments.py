"""Starting, answering and completing assessments.

Each function is one transaction: it commits on success and rolls back on
any error, so a failed save leaves the previous answers exactly as they were.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError

import assessments
from assessments.answers import AnswerError, clean_answer, clean_answers, clean_text, is_visible, visible_questions
from assessments.schema import Questionnaire, Section

from ..extensions import db
from ..models import AnswerRow, Assessment, utcnow
from . import commit, plausible_token


class AssessmentIncomplete(Exception):
    """Required questions are unanswered; `section` is the first one to revisit."""

    def __init__(self, section: Section, missing: list[str]) -> None:
        super().__init__(f"{len(missing)} required questions unanswered")
        self.section = section
        self.missing = missing


class StartKeyTaken(ValueError):
    """The start form's key belongs to an assessment elsewhere: a stale or forged form. Start again."""


def questionnaire_of(assessment: Assessment) -> Questionnaire:
    return assessments.get(assessment.questionnaire_id, assessment.questionnaire_version)


def get_by_token(token: str) -> Assessment | None:
    if not plausible_token(token):
        return None
    return db.session.execute(db.select(Assessment).filter_by(token=token)).scalar_one_or_none()


def saved_answers(assessment: Assessment) -> dict[str, Any]:
    """The stored answers by question id, in one light query (no ORM objects)."""
    table = AnswerRow.__table__
    rows = db.session.execute(
        db.select(table.c.question_id, table.c.value).where(table.c.assessment_id == assessment.id)
    )
    return {question_id: value for question_id, value in rows}


def start(*, start_key: str, organisation_name: str = "", organisation_id: int | None = None,
          created_by_id: int | None = None, label: str = "", prefill: Mapping[str, Any] | None = None) -> Assessment:
    """Create an assessment on the current questionnaire; the same start_key gives the same one.

    The key is looked up within the organisation (or among assessments of no organisation) only, so a
    key from elsewhere never hands out another organisation's assessment: it raises StartKeyTaken.
    `prefill` answers (from an earlier assessment) are kept where the current
    questionnaire still has the question and the option; the rest is dropped.
    """
    existing = _by_start_key(start_key, organisation_id)
    if existing is not None:
        return existing
    questionnaire = assessments.current()
    assessment = Assessment(
        token=secrets.token_urlsafe(24),
        start_key=start_key,
        organisation_name=clean_text(organisation_name, max_length=200),
        organisation_id=organisation_id,
        created_by_id=created_by_id,
        label=clean_text(label, max_length=120),
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        last_section=questionnaire.sections[0].id,
    )
    db.session.add(assessment)
    try:
        db.session.flush()
        for question_id, value in (prefill or {}).items():
            question = questionnaire.question(question_id)
            if question is None:
                continue  # asked in an older version only
            try:
                value = clean_answer(question, value)
            except AnswerError:
                continue  # that option no longer exists
            db.session.add(AnswerRow(assessment_id=assessment.id, question_id=question_id, value=value))
        db.session.commit()
    except IntegrityError:
        # A concurrent request with the same key won the race: use its row (if it is in the same scope).
        db.session.rollback()
        existing = _by_start_key(start_key, organisation_id)
        if existing is None:
            raise StartKeyTaken(start_key) from None
        return existing
    return assessment


def _by_start_key(start_key: str, organisation_id: int | None) -> Assessment | None:
    scope = (Assessment.organisation_id.is_(None) if organisation_id is None
             else Assessment.organisation_id == organisation_id)
    return db.session.execute(
        db.select(Assessment).where(Assessment.start_key == start_key, scope)).scalar_one_or_none()


def save_section(assessment: Assessment, section: Section, values: Mapping[str, Any]) -> None:
    """Replace the answers to one section's questions; other sections are untouched.

    A respondent's save first takes its round's lock (app/services/rounds.py) and is refused
    (RoundClosed) once the round is closed.

    Saves of one assessment run one at a time: the first statement updates
    the assessment's row, which locks it until the commit, so a second save
    of the same assessment (a double-click, a second tab, another worker)
    waits and then replaces the first one's answers instead of colliding
    with them on the (assessment, question) unique constraint.
    """
    questionnaire = questionnaire_of(assessment)
    ids = [q.id for q in section.questions]
    clean = clean_answers(questionnaire, {k: v for k, v in values.items() if k in ids})
    try:
        if assessment.round_id is not None:  # a respondent's answers: only while the round is open
            from .rounds import check_open

            check_open(assessment)
        db.session.execute(
            update(Assessment).where(Assessment.id == assessment.id).values(
                last_section=section.id, revision=Assessment.revision + 1, updated_at=utcnow()))
        db.session.execute(
            delete(AnswerRow).where(AnswerRow.assessment_id == assessment.id, AnswerRow.question_id.in_(ids)))
        if clean:
            db.session.execute(insert(AnswerRow), [
                {"assessment_id": assessment.id, "question_id": qid, "value": value} for qid, value in clean.items()
            ])
        if assessment.completed_at is not None and assessment.round_id is None:  # a response has no outcome
            _record_if_whole(assessment, questionnaire)
    except Exception:
        db.session.rollback()
        raise
    commit()


def _record_if_whole(assessment: Assessment, questionnaire: Questionnaire) -> None:
    """A finished assessment saved again is finished again: its outcome is recorded anew, in the same
    transaction (unless required answers are missing now; it is recorded when they are given)."""
    from . import outcomes

    answers = saved_answers(assessment)
    if not missing_required(questionnaire, answers):
        outcomes.record(assessment, answers)


def missing_required(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[str]:
    """Visible required questions without an answer, in questionnaire order."""
    return [q.id for q in visible_questions(questionnaire, answers) if q.required and q.id not in answers]


def complete(assessment: Assessment) -> None:
    """Mark the assessment complete and record what it says (app/services/outcomes.py), or raise
    AssessmentIncomplete naming where to go back."""
    questionnaire = questionnaire_of(assessment)
    missing = missing_required(questionnaire, saved_answers(assessment))
    if missing:
        section = next(s for s in questionnaire.sections if any(q.id == missing[0] for q in s.questions))
        raise AssessmentIncomplete(section, missing)
    from . import outcomes

    try:
        if assessment.completed_at is None:
            assessment.completed_at = utcnow()
            assessment.updated_at = utcnow()
        outcomes.up_to_date(assessment)
    except Exception:
        db.session.rollback()
        raise
    commit()


@dataclass(frozen=True)
class SectionProgress:
    """How far one section is answered, for the questionnaire's list of sections."""

    id: str
    title: str
    #: Questions that show given the answers so far (a section whose questions are ruled out has none).
    shown: int
    #: Of those, how many have an answer ("I don't know" is an answer).
    answered: int


def section_progress(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[SectionProgress]:
    """Every section with its answered count, in order: what the section list and its jump links show."""
    progress = []
    for section in questionnaire.sections:
        shown = [q for q in section.questions if is_visible(questionnaire, q, answers)]
        progress.append(SectionProgress(section.id, section.title, len(shown), sum(q.id in answers for q in shown)))
    return progress
