"""An organisation's assessments over time: the history, new assessments, claiming, labels.

Pages that show many assessments load them with a fixed number of queries
(the assessments, then all their answers in one IN query) and score them in
Python. Functions take plain ids; app/web/access.py has checked who asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import assessments
from assessments.answers import clean_text, is_visible
from assessments.comparison import Comparison, compare

from ..extensions import db
from ..models import AnswerRow, Assessment, Organisation
from . import commit
from .assessments import questionnaire_of, start
from .sharing import revoke_all_shares


@dataclass(frozen=True)
class Entry:
    """One assessment with what Groundwork concluded from it."""

    assessment: Assessment
    outcome: assessments.Outcome

    @property
    def name(self) -> str:
        """How people tell assessments apart: the label, or the date it was started."""
        return self.assessment.label or self.assessment.created_at.strftime("%d %b %Y")


def answers_by_assessment(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The stored answers of several assessments, in one query."""
    ids = list(ids)
    found: dict[int, dict[str, Any]] = {i: {} for i in ids}
    if not ids:
        return found
    rows = db.session.execute(
        db.select(AnswerRow.assessment_id, AnswerRow.question_id, AnswerRow.value)
        .where(AnswerRow.assessment_id.in_(ids)))
    for assessment_id, question_id, value in rows:
        found[assessment_id][question_id] = value
    return found


def entries(rows: list[Assessment]) -> list[Entry]:
    answers = answers_by_assessment(a.id for a in rows)
    # Lists and comparisons show the hire, not what would change it: no borderline search.
    return [Entry(a, assessments.evaluate(questionnaire_of(a), answers[a.id], borderline=False)) for a in rows]


def history(organisation_id: int) -> list[Entry]:
    """Every assessment of the organisation, oldest first (2 queries)."""
    rows = list(db.session.execute(
        db.select(Assessment).filter_by(organisation_id=organisation_id)
        .order_by(Assessment.created_at, Assessment.id)).scalars())
    return entries(rows)


def in_organisation(organisation_id: int, assessment_ids: list[int]) -> list[Entry]:
    """Those of the ids that belong to the organisation, in the order asked (2 queries)."""
    rows = {a.id: a for a in db.session.execute(
        db.select(Assessment).where(Assessment.organisation_id == organisation_id,
                                    Assessment.id.in_(assessment_ids))).scalars()}
    found = {e.assessment.id: e for e in entries(list(rows.values()))}
    return [found[i] for i in assessment_ids if i in found]


def previous_of(assessment: Assessment) -> Entry | None:
    """The organisation's latest completed assessment started before this one."""
    if assessment.organisation_id is None:
        return None
    row = db.session.execute(
        db.select(Assessment).where(
            Assessment.organisation_id == assessment.organisation_id, Assessment.id != assessment.id,
            Assessment.completed_at.is_not(None), Assessment.created_at <= assessment.created_at)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc()).limit(1)).scalar_one_or_none()
    return entries([row])[0] if row is not None else None


def since_previous(assessment: Assessment, outcome: assessments.Outcome) -> tuple[Entry, Comparison] | None:
    """The organisation's previous assessment and what moved since, when there is one."""
    previous = previous_of(assessment)
    if previous is None:
        return None
    return previous, compare(previous.outcome, outcome)


@dataclass(frozen=True)
class Started:
    assessment: Assessment
    #: Texts of the questions the copied answers could not fill because they are new in this version.
    new_questions: tuple[str, ...] = ()


def start_in_organisation(*, organisation: Organisation, user_id: int, start_key: str,
                          copy_latest: bool = False, label: str = "") -> Started:
    """A new assessment of the organisation, blank or pre-filled from its latest one.

    A copy from an assessment answered on an older questionnaire version goes through the newer
    version's explicit map (assessments.carry_forward); the questions it cannot fill are returned.
    """
    prefill: dict[str, Any] = {}
    new: list[str] = []
    if copy_latest:
        latest = db.session.execute(
            db.select(Assessment).where(Assessment.organisation_id == organisation.id)
            .order_by(Assessment.created_at.desc(), Assessment.id.desc()).limit(1)).scalar_one_or_none()
        if latest is not None:
            current = assessments.current()
            prefill, new = assessments.carry_forward(
                answers_by_assessment([latest.id])[latest.id], questionnaire_of(latest), current)
            new = [q.text for q in current.questions if q.id in new and is_visible(current, q, prefill)]
    assessment = start(start_key=start_key, organisation_name=organisation.name, organisation_id=organisation.id,
                       created_by_id=user_id, label=label, prefill=prefill)
    return Started(assessment, tuple(new))


def claim(*, assessment: Assessment, organisation: Organisation, user_id: int) -> int:
    """Move an assessment made before signing up into the organisation, answers intact.

    Its share links are revoked in the same transaction (returns how many): a link made before would
    otherwise go on showing what the organisation's members now edit."""
    if assessment.organisation_id is not None:
        raise ValueError("already belongs to an organisation")
    assessment.organisation_id = organisation.id
    assessment.created_by_id = user_id
    if not assessment.organisation_name:
        assessment.organisation_name = organisation.name
    revoked = revoke_all_shares(assessment.id)
    commit()
    return revoked


def set_label(*, assessment: Assessment, label: str) -> None:
    assessment.label = clean_text(label, max_length=120)
    commit()
