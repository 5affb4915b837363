"""Generated organisations for the tests that check properties over many answer sets.

Each has a random true stage: strong answers below it, middling at it, weak above it, and a share of
answers turned into "don't know", as real respondents leave a few. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from typing import Any

import assessments
from assessments.schema import Option, Question, Questionnaire


def ordered(question: Question) -> list[Option]:
    """The question's real options (neither "don't know" nor "not applicable"), weakest first."""
    return sorted((o for o in question.options if not o.dont_know and not o.not_applicable),
                  key=lambda o: o.points or 0)


def organisation(rng: random.Random, unknown_share: float = 0.2,
                 questionnaire: Questionnaire | None = None) -> dict[str, Any]:
    q = questionnaire or assessments.current()
    level_ids = [lv.id for lv in q.levels]
    stage = rng.randint(0, len(level_ids))
    answers: dict[str, Any] = {}
    for question in q.questions:
        if question.type not in ("single", "multi") or not ordered(question):
            continue
        options = ordered(question)
        if question.level:
            index = level_ids.index(question.level)
            centre = 0.85 if index < stage else 0.45 if index == stage else 0.1
            pick = min(0.999, max(0.0, rng.gauss(centre, 0.2)))
            option = options[int(pick * len(options))]
        else:
            option = rng.choice(options)
        if question.dont_know_option and rng.random() < unknown_share:
            option = question.dont_know_option
        answers[question.id] = [option.id] if question.type == "multi" else option.id
    return answers


def organisations(count: int, seed: int = 18, unknown_share: float = 0.2) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [organisation(rng, unknown_share) for _ in range(count)]
