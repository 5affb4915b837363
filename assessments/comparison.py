"""What moved between two assessments of one organisation.

A pure function of two outcomes, so the comparison page, the PDF's "what
changed" section and the tests all read the same result. Assessments answered
on different questionnaire versions are compared on the questions they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .answers import answer_label, selected
from .schema import Question
from .scoring import NOT_APPLICABLE, BlockerHit, answer_points

if TYPE_CHECKING:
    from . import Outcome


@dataclass(frozen=True)
class AnswerChange:
    question_id: str
    question: str
    section: str
    before: str
    after: str
    #: +1 when the new answer earns more points (progress, even part of the way), -1 fewer, 0 otherwise.
    direction: int = 0


@dataclass(frozen=True)
class Comparison:
    before: Outcome
    after: Outcome
    #: (level title, score before, score after), bottom level first.
    levels: list[tuple[str, int | None, int | None]]
    changes: list[AnswerChange]
    #: Question texts asked in only one of the two questionnaire versions.
    only_before: list[str]
    only_after: list[str]
    resolved: list[BlockerHit]
    new: list[BlockerHit]
    #: Raised before and still raised now.
    still_open: list[BlockerHit]

    @property
    def stage_delta(self) -> int:
        return self.after.scored.stage - self.before.scored.stage

    @property
    def recommendation_changed(self) -> bool:
        b, a = self.before.recommendation, self.after.recommendation
        return (b.first_hire and b.first_hire.id) != (a.first_hire and a.first_hire.id)

    @property
    def same_version(self) -> bool:
        return self.before.questionnaire.key == self.after.questionnaire.key


def compare(before: Outcome, after: Outcome) -> Comparison:
    qb, qa = before.questionnaire, after.questionnaire
    ab, aa = before.answers, after.answers
    ids_b, ids_a = {q.id for q in qb.questions}, {q.id for q in qa.questions}
    changes = []
    for section in qa.sections:
        for question in section.questions:
            old = qb.question(question.id)
            if old is None or _same(ab.get(question.id), aa.get(question.id)):
                continue
            changes.append(AnswerChange(question.id, question.text, section.title,
                                        answer_label(old, ab.get(question.id)),
                                        answer_label(question, aa.get(question.id)),
                                        _direction(old, ab.get(question.id), question, aa.get(question.id))))
    sb, sa = before.scored, after.scored
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
        still_open=[b for i, b in blockers_a.items() if i in blockers_b],
    )


def _same(before: object, after: object) -> bool:
    """The same answer, also when a question that took one choice now takes several ("a" and ["a"])."""
    return before == after or (bool(selected(before)) and set(selected(before)) == set(selected(after)))


def _direction(old: Question, before: object, new: Question, after: object) -> int:
    """Progress on a scored question: the share of its points, before and after."""
    if not new.level:
        return 0
    was, now = answer_points(old, before), answer_points(new, after)
    if was in (None, NOT_APPLICABLE) or now in (None, NOT_APPLICABLE) or not old.max_points or not new.max_points:
        return 0
    shift = now / new.max_points - was / old.max_points
    return (shift > 0) - (shift < 0)
