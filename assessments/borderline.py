"""Borderline recommendations: which single answer, changed, would change the first hire.

Found by re-scoring, never guessed: each candidate answer is replaced by a
weaker or a stronger option (the extremes first; then the nearest option that
still changes the hire; for an unknown answer, the strongest), everything else
is kept, and the whole assessment is scored and judged again. Only the answers that can move the decision are tried: the
scored questions of the levels either side of the lowest missing level, and the
answers the judgements in roles.yaml read. The result is what a person can
check before acting: "if this answer were that, the hire would be this".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .answers import answer_label, selected
from .judgement import decide
from .scoring import Scored, rescore

if TYPE_CHECKING:
    from .recommend import Change, Recommendation
    from .schema import Question, Role, Roles

#: At most this many alternatives are reported, in questionnaire order.
MOST = 3


def _alternatives(question: Question, answer: object) -> list[list[str]]:
    """Groups of options to try, each ordered nearest first; a group's last option is its extreme.

    A level's score moves one way with an answer's points, so if the extreme of a group does not
    change the hire, no option of the group does: only the extremes are tried first (two scorings
    for most questions), and the nearest option that changes the hire is then looked for.
    """
    real = [o for o in question.options if not o.dont_know and not o.not_applicable]
    current = selected(answer)
    chosen = question.option(current[0]) if len(current) == 1 else None
    if chosen is None or chosen.dont_know:
        if question.level:
            best = max(real, key=lambda o: o.points or 0, default=None)
            return [[best.id]] if best else []
        return [[o.id] for o in real]
    if chosen.not_applicable:
        return []
    if not question.level:
        return [[o.id] for o in real if o.id != chosen.id]
    ordered = sorted(real, key=lambda o: o.points or 0)
    points = chosen.points or 0
    worse = [o.id for o in reversed(ordered) if (o.points or 0) < points]
    better = [o.id for o in ordered if (o.points or 0) > points]
    return [group for group in (worse, better) if group]


def _candidates(scored: Scored, roles: Roles) -> list[Question]:
    """Questions whose answer could plausibly differ. None before launch: with nobody using the product,
    answers about the data it produces cannot apply yet (launching is what changes the advice)."""
    questionnaire = scored.questionnaire
    if "no_product" in scored.signals:
        return []
    near = {lv.level.id for lv in scored.levels[max(scored.likely_stage - 1, 0): scored.likely_stage + 1]}
    judged = {q for j in roles.judgements for q in (*j.when.answered, *j.cite)}
    context = {q.id for q in questionnaire.sections[0].questions}  # the profile: context, not measurement
    found = []
    for question in questionnaire.questions:
        if question.id not in scored.visible or question.type != "single" or question.id in context:
            continue
        if question.level in near or (question.id in judged and not question.level):
            found.append(question)
    return found


def first_hire(scored: Scored, roles: Roles) -> Role | None:
    """The hire the judgement settles on: what recommend() makes `first_hire`, without the wording,
    plan and screening it adds around it (the search asks only whether the hire changes)."""
    return decide(scored, roles).first


def would_change(scored: Scored, roles: Roles, recommendation: Recommendation) -> tuple[Change, ...]:
    """Up to MOST answers, one changed at a time, that would change the first hire. Each alternative is
    re-scored with rescore() and judged with first_hire(): the tests check both against score() and the
    whole recommend() over many answer sets."""
    from .recommend import Change

    base = recommendation.first_hire.id if recommendation.first_hire else None
    found: list[Change] = []

    def hire_with(question: Question, option_id: str) -> Role | None:
        return first_hire(rescore(scored, question.id, option_id), roles)

    def fits(question: Question, option_id: str) -> bool:
        """The alternative does not contradict the other answers (a contradiction the questionnaire declares)."""
        for contradiction in scored.questionnaire.contradictions:
            facts = contradiction.all_of
            if not any(f.question == question.id and option_id in f.any_of for f in facts):
                continue
            if all(f.question == question.id or (f.question in scored.visible and set(
                    selected(scored.answers.get(f.question))) & set(f.any_of)) for f in facts):
                return False
        return True

    for question in _candidates(scored, roles):
        for group in _alternatives(question, scored.answers.get(question.id)):
            group = [option_id for option_id in group if fits(question, option_id)]
            if not group:
                continue
            extreme = hire_with(question, group[-1])
            if (extreme.id if extreme else None) == base:
                continue
            option_id, other = group[-1], extreme
            for nearer in group[:-1]:  # the nearest option that already changes the hire
                candidate = hire_with(question, nearer)
                if (candidate.id if candidate else None) != base:
                    option_id, other = nearer, candidate
                    break
            title = other.title if other else "Not yet"
            found.append(Change(question.id, question.text, option_id, answer_label(question, option_id),
                                other.id if other else None, title))
            break
        if len(found) >= MOST:
            break
    return tuple(found)
