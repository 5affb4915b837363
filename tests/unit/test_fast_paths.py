"""The fast paths of scoring give exactly what the straightforward ones give.

Evaluating is cheap because (1) which questions show is worked out in one pass, (2) the borderline
search re-scores one changed answer with `rescore` instead of scoring everything again, and (3) it asks
the judgement only for the hire (`borderline.first_hire`) instead of building a whole recommendation.
Each is compared here with the plain computation over many generated answer sets (with unknowns and
unanswered questions), on every version of the questionnaire: equal, not merely similar.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

import assessments
from assessments import borderline
from assessments.answers import clean_answers, is_visible, visible_questions
from assessments.recommend import recommend
from assessments.schema import Questionnaire
from assessments.scoring import Scored, rescore, score
from tests import generated, personas

VERSIONS = sorted(v for (qid, v) in assessments.published() if qid == "groundwork" and v >= 2)


def answer_sets(questionnaire: Questionnaire, count: int, seed: int) -> list[dict[str, Any]]:
    """Generated organisations with few and many unknowns, some with answers left out, and the personas."""
    rng = random.Random(seed)
    found = []
    for index in range(count):
        answers = generated.organisation(rng, (0.0, 0.2, 0.5, 0.9)[index % 4], questionnaire)
        if index % 3 == 0:
            answers = {k: v for k, v in answers.items() if rng.random() > 0.2}
        found.append(clean_answers(questionnaire, answers))
    if questionnaire.version >= 2:
        found += [clean_answers(questionnaire, personas.reading(key, how, questionnaire.version))
                  for key in personas.FACTS for how in personas.READINGS]
    return found


@pytest.mark.parametrize("version", VERSIONS)
def test_visible_questions_in_one_pass_are_the_questions_is_visible_shows(version: int) -> None:
    q = assessments.get("groundwork", version)
    for answers in answer_sets(q, 80, seed=version):
        assert visible_questions(q, answers) == [x for x in q.questions if is_visible(q, x, answers)]


@pytest.mark.parametrize("version", VERSIONS)
def test_rescore_equals_scoring_the_changed_answers_in_full(version: int) -> None:
    q = assessments.get("groundwork", version)
    checked = 0
    for answers in answer_sets(q, 24, seed=100 + version):
        scored = score(q, answers)
        for question in q.questions:
            if question.type != "single":
                continue
            for option in question.options:
                fast = rescore(scored, question.id, option.id)
                assert fast == score(q, {**answers, question.id: option.id}), (question.id, option.id)
                assert list(fast.answers) == list({**answers, question.id: option.id})
                checked += 1
    assert checked > 1000


def _straightforward(monkeypatch: pytest.MonkeyPatch) -> None:
    """The search as first written: every alternative scored in full and given a whole recommendation."""
    monkeypatch.setattr(borderline, "rescore",
                        lambda scored, question_id, option_id: score(
                            scored.questionnaire, {**scored.answers, question_id: option_id}))
    monkeypatch.setattr(borderline, "first_hire",
                        lambda scored, roles: recommend(scored, roles, explore=False).first_hire)


@pytest.mark.parametrize("version", VERSIONS)
def test_the_borderline_search_finds_what_the_straightforward_search_finds(
        version: int, monkeypatch: pytest.MonkeyPatch) -> None:
    q = assessments.get("groundwork", version)
    sets = answer_sets(q, 60, seed=200 + version)
    fast = [assessments.evaluate(q, answers).recommendation for answers in sets]
    _straightforward(monkeypatch)
    plain = [assessments.evaluate(q, answers).recommendation for answers in sets]
    assert fast == plain
    assert sum(bool(r.would_change) for r in plain) >= 10  # the search had something to find


def test_first_hire_is_the_recommendations_first_hire() -> None:
    q = assessments.current()
    for answers in answer_sets(q, 60, seed=300):
        scored: Scored = score(q, answers)
        assert borderline.first_hire(scored, assessments.roles()) == recommend(
            scored, assessments.roles(), explore=False).first_hire
