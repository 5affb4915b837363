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
from .scoring import BlockerHit, answer_points

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
    #: The answer was "don't know" (or missing) before and is known now.
    now_known: bool = False


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
    def hired(self) -> list[str]:
        """Titles of the roles in post now that were not before: hires made in between."""
        from . import roles

        known = {r.id: r.title for r in roles().roles}
        new = self.after.scored.in_post - self.before.scored.in_post
        return [known[i] for i in sorted(new, key=list(known).index) if i in known]

    @property
    def stage_note(self) -> str:
        """Why the stage moved, or why it did not, in the levels' own figures."""
        sb, sa = self.before.scored, self.after.scored
        threshold = sa.questionnaire.threshold
        before = {ls.level.id: ls for ls in sb.levels}
        if self.stage_delta > 0:
            gained = [ls.level.title for ls in sa.levels[sb.stage:sa.stage]]
            return f"Up from stage {sb.stage} to {sa.stage}: {_and(gained)} {_is(gained)} now in place."
        if self.stage_delta < 0:
            lost = sa.levels[sa.stage]
            was = before.get(lost.level.id)
            figures = (f" ({_score(was)} then, {_score(lost)} now)" if was is not None else "")
            return (f"Down from stage {sb.stage} to {sa.stage}: {lost.level.title} is {lost.state.label} "
                    f"now{figures}.")
        nxt = sa.next_level
        if nxt is None:
            return f"Unchanged: every level was and is in place, up to {sa.levels[-1].level.title}."
        was = before.get(nxt.level.id)
        if nxt.score is None:
            why = f"nothing is known of {nxt.level.title} yet"
        elif was is None or was.score is None:
            why = f"{nxt.level.title} is at {nxt.score} now, short of {threshold}"
        elif nxt.score > was.score:
            why = f"{nxt.level.title} rose from {was.score} to {nxt.score} but is still short of {threshold}"
        elif nxt.score < was.score:
            why = f"{nxt.level.title} fell from {was.score} to {nxt.score}, short of {threshold}"
        else:
            why = f"{nxt.level.title} stayed at {nxt.score}, short of {threshold}"
        risers = sorted(
            ((ls.score - before[ls.level.id].score, ls) for ls in sa.levels
             if ls is not nxt and ls.score is not None and ls.level.id in before
             and before[ls.level.id].score is not None and ls.score > before[ls.level.id].score),
            key=lambda pair: -pair[0])[:2]
        also = "; ".join(f"{ls.level.title} rose from {before[ls.level.id].score} to {ls.score}" for _, ls in risers)
        return f"Stage unchanged at {sa.stage}: {why}." + (f" Meanwhile {also}." if also else "")

    @property
    def recommendation_note(self) -> str:
        b, a = self.before.recommendation, self.after.recommendation
        after_title = a.first_hire.title.lower() if a.first_hire else None
        hired = [t.lower() for t in self.hired]
        if hired and after_title:
            return (f"Since then you have hired a {_and(hired)}; the recommendation is now your next hire "
                    f"after them: a {after_title}.")
        if not self.recommendation_changed:
            return "The recommended hire is the same."
        before_title = b.first_hire.title.lower() if b.first_hire else "no hire yet"
        return f"The recommended hire changed, from {before_title} to {after_title or 'no hire yet'}."

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
            was = answer_points(old, ab.get(question.id)) if old.level else 0
            now = answer_points(question, aa.get(question.id)) if question.level else 0
            changes.append(AnswerChange(question.id, question.text, section.title,
                                        answer_label(old, ab.get(question.id)),
                                        answer_label(question, aa.get(question.id)),
                                        _direction(old, ab.get(question.id), question, aa.get(question.id)),
                                        now_known=bool(old.level) and was is None and now is not None))
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
    """Progress on a scored question: the share of its points, before and after. "Nothing yet" (not
    applicable) counts as nothing built, so building it is progress; an answer that was unknown on one
    side is neither progress nor a slip (it is marked as now known instead). A question outside the
    pyramid (access, ownership, legal...) moves with the obstacles its answer raises: clearing one is
    progress, raising one a slip."""
    if not new.level:
        return _obstacle_direction(old, before, new, after)
    if not old.max_points or not new.max_points:
        return 0
    was, now = answer_points(old, before), answer_points(new, after)
    if was is None or now is None:
        return 0
    was, now = max(was, 0), max(now, 0)  # NOT_APPLICABLE: nothing there yet
    shift = now / new.max_points - was / old.max_points
    return (shift > 0) - (shift < 0)


def _obstacle_direction(old: Question, before: object, new: Question, after: object) -> int:
    def raised(question: Question, answer: object) -> set[str] | None:
        options = [o for o in (question.option(i) for i in selected(answer)) if o is not None]
        if not options or any(o.dont_know for o in options):
            return None
        return {blocker for o in options for blocker in o.raises}

    was, now = raised(old, before), raised(new, after)
    if was is None or now is None:
        return 0
    return (len(was) > len(now)) - (len(was) < len(now))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _is(items: list[str]) -> str:
    return "is" if len(items) == 1 else "are"


def _score(level: object) -> str:
    score = getattr(level, "score", None)
    return "not known" if score is None else f"{score}/100"
