"""An organisation's assessments over time: history, comparison, export, share links.

Pages that show many assessments load them with a fixed number of queries
(the assessments, then all their answers in one IN query) and score them in
Python, which takes well under a millisecond each.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import bindparam

import assessments
from assessments.answers import answer_label
from assessments.scoring import BlockerHit

from ..extensions import db
from ..models import AnswerRow, Assessment, Membership, Organisation, ShareLink, utcnow
from . import commit
from .accounts import Actor
from .assessments import questionnaire_of, start

T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """One assessment with what Groundwork concluded from it."""

    assessment: Assessment
    outcome: assessments.Outcome


def _answers_by_assessment(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = list(ids)
    found: dict[int, dict[str, Any]] = {i: {} for i in ids}
    if not ids:
        return found
    table = AnswerRow.__table__
    rows = db.session.execute(
        db.select(table.c.assessment_id, table.c.question_id, table.c.value).where(table.c.assessment_id.in_(ids)))
    for assessment_id, question_id, value in rows:
        found[assessment_id][question_id] = value
    return found


def _entries(rows: list[Assessment]) -> list[Entry]:
    answers = _answers_by_assessment(a.id for a in rows)
    return [Entry(a, assessments.evaluate(questionnaire_of(a), answers[a.id])) for a in rows]


def history(organisation_id: int) -> list[Entry]:
    """Every assessment of the organisation, oldest first (2 queries)."""
    rows = list(db.session.execute(
        db.select(Assessment).filter_by(organisation_id=organisation_id)
        .order_by(Assessment.created_at, Assessment.id)).scalars())
    return _entries(rows)


def _in_order(found: dict[int, T], ids: list[int]) -> list[T]:
    """Those of the ids that were found, in the order asked."""
    return [found[i] for i in ids if i in found]


def in_organisation(organisation_id: int, assessment_ids: list[int]) -> list[Entry]:
    """Those of the ids that belong to the organisation, in the order asked (2 queries)."""
    rows = {a.id: a for a in db.session.execute(
        db.select(Assessment).where(Assessment.organisation_id == organisation_id,
                                    Assessment.id.in_(assessment_ids))).scalars()}
    entries = {e.assessment.id: e for e in _entries(list(rows.values()))}
    return _in_order(entries, assessment_ids)


class Version(NamedTuple):
    """What a rendered view of an assessment depends on: an edit to its answers or label changes it.

    The token is there because SQLite may reuse the id of a deleted row; tokens are never reused.
    """

    id: int
    token: str
    revision: int
    label: str
    created_at: datetime


_assessments, _organisations, _memberships = Assessment.__table__, Organisation.__table__, Membership.__table__
#: Built once (pages run it on every view): the assessments' versions and their
#: organisation's name, through the user's membership, so that a non-member gets no rows.
_VERSIONS_SEEN_BY = (
    db.select(_organisations.c.name, _assessments.c.id, _assessments.c.token, _assessments.c.revision,
              _assessments.c.label, _assessments.c.created_at)
    .join_from(_memberships, _organisations, _memberships.c.organisation_id == _organisations.c.id)
    .join(_assessments, _assessments.c.organisation_id == _organisations.c.id)
    .where(_memberships.c.user_id == bindparam("user_id"),
           _memberships.c.organisation_id == bindparam("organisation_id"),
           _assessments.c.id.in_(bindparam("ids", expanding=True)))
)


def versions_seen_by(user_id: int, organisation_id: int, assessment_ids: list[int]) -> tuple[str, list[Version]]:
    """The organisation's name and the versions of those of the ids that are its, in the order asked,
    if the user is a member; ("", []) if not. One query, which is the membership check too."""
    rows = db.session.execute(
        _VERSIONS_SEEN_BY, {"user_id": user_id, "organisation_id": organisation_id, "ids": assessment_ids}).all()
    found = {row.id: Version(*row[1:]) for row in rows}
    return (rows[0].name if rows else ""), _in_order(found, assessment_ids)


def previous_of(assessment: Assessment) -> Entry | None:
    """The organisation's latest completed assessment started before this one."""
    if assessment.organisation_id is None:
        return None
    row = db.session.execute(
        db.select(Assessment).where(
            Assessment.organisation_id == assessment.organisation_id, Assessment.id != assessment.id,
            Assessment.completed_at.is_not(None), Assessment.created_at <= assessment.created_at)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc()).limit(1)).scalar_one_or_none()
    return _entries([row])[0] if row is not None else None


def start_in_organisation(*, organisation: Organisation, user: Actor, start_key: str,
                          copy_latest: bool = False, label: str = "") -> Assessment:
    """A new assessment of the organisation, blank or pre-filled from its latest one."""
    prefill: dict[str, Any] = {}
    if copy_latest:
        latest = db.session.execute(
            db.select(Assessment.id).where(Assessment.organisation_id == organisation.id)
            .order_by(Assessment.created_at.desc(), Assessment.id.desc()).limit(1)).scalar_one_or_none()
        if latest is not None:
            prefill = _answers_by_assessment([latest])[latest]
    return start(start_key=start_key, organisation_name=organisation.name, organisation_id=organisation.id,
                 created_by_id=user.id, label=label, prefill=prefill)


def claim(*, assessment: Assessment, organisation: Organisation, user: Actor) -> None:
    """Move an assessment made before signing up into the organisation, answers intact."""
    if assessment.organisation_id is not None:
        raise ValueError("already belongs to an organisation")
    assessment.organisation_id = organisation.id
    assessment.created_by_id = user.id
    if not assessment.organisation_name:
        assessment.organisation_name = organisation.name
    commit()


def set_label(*, assessment: Assessment, label: str) -> None:
    assessment.label = label.replace("\x00", "\ufffd").strip()[:120]
    commit()


@dataclass(frozen=True)
class AnswerChange:
    question_id: str
    question: str
    section: str
    before: str
    after: str


@dataclass(frozen=True)
class Comparison:
    before: Entry
    after: Entry
    #: (level title, score before, score after), bottom level first.
    levels: list[tuple[str, int | None, int | None]]
    changes: list[AnswerChange]
    #: Question texts asked in only one of the two questionnaire versions.
    only_before: list[str]
    only_after: list[str]
    resolved: list[BlockerHit]
    new: list[BlockerHit]

    @property
    def stage_delta(self) -> int:
        return self.after.outcome.scored.stage - self.before.outcome.scored.stage

    @property
    def recommendation_changed(self) -> bool:
        b, a = self.before.outcome.recommendation, self.after.outcome.recommendation
        return (b.first_hire and b.first_hire.id) != (a.first_hire and a.first_hire.id)

    @property
    def same_version(self) -> bool:
        return self.before.outcome.questionnaire.key == self.after.outcome.questionnaire.key


def compare(before: Entry, after: Entry) -> Comparison:
    qb, qa = before.outcome.questionnaire, after.outcome.questionnaire
    ab, aa = before.outcome.answers, after.outcome.answers
    ids_b, ids_a = {q.id for q in qb.questions}, {q.id for q in qa.questions}
    changes = []
    for section in qa.sections:
        for question in section.questions:
            if question.id not in ids_b:
                continue
            old_q = qb.question(question.id)
            assert old_q is not None
            was, now = answer_label(old_q, ab.get(question.id)), answer_label(question, aa.get(question.id))
            if ab.get(question.id) != aa.get(question.id):
                changes.append(AnswerChange(question.id, question.text, section.title, was, now))
    sb, sa = before.outcome.scored, after.outcome.scored
    by_id = {ls.level.id: ls for ls in sb.levels}
    levels = [(ls.level.title, by_id[ls.level.id].score if ls.level.id in by_id else None, ls.score)
              for ls in sa.levels]
    blockers_b, blockers_a = {b.id: b for b in sb.blockers}, {b.id: b for b in sa.blockers}
    return Comparison(
        before=before, after=after, levels=levels, changes=changes,
        only_before=[q.text for q in qb.questions if q.id not in ids_a],
        only_after=[q.text for q in qa.questions if q.id not in ids_b],
        resolved=[b for i, b in blockers_b.items() if i not in blockers_a],
        new=[b for i, b in blockers_a.items() if i not in blockers_b],
    )


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_records(entries: list[Entry]) -> list[dict[str, Any]]:
    """Scores and answers, one record per assessment, for CSV and JSON."""
    records = []
    for entry in entries:
        a, o = entry.assessment, entry.outcome
        s, r = o.scored, o.recommendation
        records.append({
            "assessment_id": a.id,
            "label": a.label,
            "organisation_name": a.organisation_name,
            "created_at": a.created_at.isoformat(),
            "completed_at": a.completed_at.isoformat() if a.completed_at else None,
            "questionnaire": o.questionnaire.id,
            "questionnaire_version": o.questionnaire.version,
            "stage": s.stage,
            "stage_title": s.stage_level.title if s.stage_level else None,
            "confidence": s.confidence,
            "first_hire": r.first_hire.id if r.first_hire else None,
            "runner_up": r.runner_up.id if r.runner_up else None,
            "levels": {ls.level.id: ls.score for ls in s.levels},
            "answers": dict(o.answers),
        })
    return records


def create_share(*, assessment: Assessment) -> ShareLink:
    link = ShareLink(assessment_id=assessment.id, token=secrets.token_urlsafe(24))
    db.session.add(link)
    commit()
    return link


def shares_of(assessment: Assessment) -> list[ShareLink]:
    return list(db.session.execute(
        db.select(ShareLink).filter_by(assessment_id=assessment.id, revoked_at=None)
        .order_by(ShareLink.created_at)).scalars())


def revoke_share(*, assessment: Assessment, share_id: int) -> bool:
    link = db.session.execute(
        db.select(ShareLink).filter_by(id=share_id, assessment_id=assessment.id, revoked_at=None)
    ).scalar_one_or_none()
    if link is None:
        return False
    link.revoked_at = utcnow()
    commit()
    return True


def shared_assessment(token: str) -> Assessment | None:
    if not token or len(token) > 64:
        return None
    return db.session.execute(
        db.select(Assessment).join(ShareLink, ShareLink.assessment_id == Assessment.id)
        .where(ShareLink.token == token, ShareLink.revoked_at.is_(None), Assessment.completed_at.is_not(None))
    ).scalar_one_or_none()
