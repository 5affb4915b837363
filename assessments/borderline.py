"""Borderline recommendations: which single answer, changed, would change the first hire.

Found by re-scoring, never guessed: each candidate answer is replaced by a
neighbouring option (one step better or worse, then the weakest and the
strongest; for an unknown answer, the strongest), everything else is kept, and the whole assessment is scored
and judged again. Only the answers that can move the decision are tried: the
scored questions of the levels either side of the lowest missing level, and the
answers the judgements in roles.yaml read. The result is what a person can
check before acting: "if this answer were that, the hire would be this".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .answers import answer_label, selected
from .scoring import Scored, score

if TYPE_CHECKING:
    from .recommend import Change, Recommendation
    from .schema import Question, Roles

#: At most this many alternatives are reported, in questionnaire order.
MOST = 3


def _alternatives(question: Question, answer: object) -> list[str]:
    real = [o for o in question.options if not o.dont_know and not o.not_applicable]
    current = selected(answer)
    chosen = question.option(current[0]) if len(current) == 1 else None
    if chosen is None or chosen.dont_know:
        if question.level:
            best = max(real, key=lambda o: o.points or 0, default=None)
            return [best.id] if best else []
        return [o.id for o in real]
    if chosen.not_applicable:
        return []
    if not question.level:
        return [o.id for o in real if o.id != chosen.id]
    ordered = sorted(real, key=lambda o: o.points or 0)
    points = chosen.points or 0
    worse = [o for o in ordered if (o.points or 0) < points]
    better = [o for o in ordered if (o.points or 0) > points]
    # The neighbours first (the likeliest misjudgements), then the extremes.
    picked = [*worse[-1:], *better[:1], *worse[:1], *better[-1:]]
    return list(dict.fromkeys(o.id for o in picked))


def _candidates(scored: Scored, roles: Roles) -> list[Question]:
    questionnaire = scored.questionnaire
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


def would_change(scored: Scored, roles: Roles, recommendation: Recommendation) -> tuple[Change, ...]:
    from .recommend import Change, recommend

    base = recommendation.first_hire.id if recommendation.first_hire else None
    found: list[Change] = []
    for question in _candidates(scored, roles):
        for option_id in _alternatives(question, scored.answers.get(question.id)):
            answers = dict(scored.answers)
            answers[question.id] = option_id
            other = recommend(score(scored.questionnaire, answers), roles, explore=False)
            hire = other.first_hire.id if other.first_hire else None
            if hire != base:
                title = other.first_hire.title if other.first_hire else "Not yet"
                found.append(Change(question.id, question.text, option_id, answer_label(question, option_id),
                                    hire, title))
                break
        if len(found) >= MOST:
            break
    return tuple(found)
