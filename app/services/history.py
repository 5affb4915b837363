"""An organisation's assessments over time: the history, new assessments, claiming, labels.

Lists read what each assessment said when it was finished (its recorded outcome, see
app/services/outcomes.py) and never score. They are read a page at a time, so that an
organisation with thousands of assessments lists as fast as one with forty. Functions take
plain ids; app/web/access.py has checked who asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import assessments
from assessments.answers import clean_text, is_visible
from assessments.comparison import Comparison, compare

from ..extensions import db
from ..models import AnswerRow, Assessment, Membership, Organisation
from . import commit, outcomes, rules
from .assessments import questionnaire_of, start
from .sharing import revoke_all_shares

#: Assessments per page of an organisation's history.
PAGE_SIZE = 50

Entry = outcomes.Listed


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


@dataclass(frozen=True)
class Page:
    """One page of the history, oldest first within it; page 1 holds the latest assessments."""

    entries: list[Entry]
    number: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        """The place of the page's first (oldest) assessment in the whole history, from 1."""
        return self.total - (self.number - 1) * PAGE_SIZE - len(self.entries) + 1


def listable(organisation_id: int) -> Any:
    """The condition every list of an organisation's assessments uses: its assessments and rounds,
    never a respondent's answers to a round (those go with their round)."""
    return db.and_(Assessment.organisation_id == organisation_id, Assessment.round_id.is_(None))


def history(organisation_id: int, page: int = 1) -> Page:
    """A page of the organisation's assessments (3 queries, whatever its size)."""
    total = db.session.execute(db.select(db.func.count()).select_from(Assessment)
                               .where(listable(organisation_id))).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = list(db.session.execute(
        db.select(Assessment).where(listable(organisation_id))
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars())
    rows.reverse()
    return Page(outcomes.listed(rows), page, pages, total)


def batches(organisation_id: int, size: int = 500) -> Iterator[list[Entry]]:
    """Every assessment of the organisation, oldest first, `size` at a time (for the exports)."""
    after: tuple[Any, int] | None = None
    while True:
        query = db.select(Assessment).where(listable(organisation_id))
        if after is not None:
            query = query.where(db.tuple_(Assessment.created_at, Assessment.id) > db.tuple_(*after))
        rows = list(db.session.execute(query.order_by(Assessment.created_at, Assessment.id).limit(size)).scalars())
        if not rows:
            return
        yield outcomes.listed(rows)
        if len(rows) < size:
            return
        after = (rows[-1].created_at, rows[-1].id)


def questionnaires_used(organisation_id: int) -> list[assessments.Questionnaire]:
    """The questionnaire versions the organisation's assessments were answered on."""
    found = db.session.execute(db.select(Assessment.questionnaire_id, Assessment.questionnaire_version).distinct()
                               .where(listable(organisation_id))).all()
    return [assessments.get(qid, version) for qid, version in sorted(found)]


def in_organisation(organisation_id: int, assessment_ids: list[int]) -> list[Assessment]:
    """Those of the ids that belong to the organisation, in the order asked (1 query)."""
    rows = {a.id: a for a in db.session.execute(
        db.select(Assessment).where(listable(organisation_id),
                                    Assessment.id.in_(assessment_ids))).scalars()}
    return [rows[i] for i in assessment_ids if i in rows]


def previous_of(assessment: Assessment) -> Assessment | None:
    """The organisation's latest completed assessment started before this one."""
    if assessment.organisation_id is None:
        return None
    return db.session.execute(
        db.select(Assessment).where(
            listable(assessment.organisation_id), Assessment.id != assessment.id,
            Assessment.completed_at.is_not(None), Assessment.created_at <= assessment.created_at)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc()).limit(1)).scalar_one_or_none()


def since_previous(assessment: Assessment, outcome: assessments.Outcome,
                   using: rules.Rules) -> tuple[Assessment, Comparison] | None:
    """The organisation's previous assessment and what moved since, the previous one read under the
    same rules as `outcome` (like with like), when there is one."""
    previous = previous_of(assessment)
    if previous is None:
        return None
    return previous, compare(outcomes.outcome_under(previous, using), outcome)


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
            db.select(Assessment).where(listable(organisation.id),
                                        Assessment.is_round.is_(False) | Assessment.completed_at.is_not(None))
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


#: The name of an organisation filed from an assessment whose first page was left blank.
UNNAMED_ORGANISATION = "My organisation"


def new_organisation_name(assessment: Assessment) -> str:
    """The name typed at the start of the assessment, which names the organisation it is filed in."""
    return clean_text(assessment.organisation_name or "", max_length=200) or UNNAMED_ORGANISATION


def file_in_new_organisation(*, assessment: Assessment, user_id: int) -> tuple[Organisation, int]:
    """One step from an assessment made before signing up to an organisation's history.

    Creates the organisation (named as typed at the start, the user its owner) and claims the
    assessment into it in one transaction: there is never an empty organisation left behind.
    Returns the organisation and how many share links the claim revoked."""
    if assessment.organisation_id is not None:
        raise ValueError("already belongs to an organisation")
    organisation = Organisation(name=new_organisation_name(assessment))
    db.session.add_all([organisation, Membership(user_id=user_id, organisation=organisation, role="owner")])
    db.session.flush()
    return organisation, claim(assessment=assessment, organisation=organisation, user_id=user_id)


def set_label(*, assessment: Assessment, label: str) -> None:
    assessment.label = clean_text(label, max_length=120)
    commit()
