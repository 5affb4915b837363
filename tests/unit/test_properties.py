"""Property tests: scoring holds its rules for any valid set of answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import assessments
from assessments.answers import clean_answers, visible_questions
from assessments.scoring import score

Q = assessments.current()
CHOICE = [q for q in Q.questions if q.type == "single"]
#: Questions whose answer shows other questions of their own level. Changing
#: one of them changes which answers count, not just one answer, so the
#: monotonicity property is checked on every other scored question.
TRIGGERS = {q.when.question for q in Q.questions if q.when and q.level == Q.question(q.when.question).level}


@st.composite
def answer_sets(draw: st.DrawFn) -> dict:
    answers: dict = {}
    for q in CHOICE:
        if draw(st.booleans()) or q.level:
            choice = draw(st.sampled_from([None, *[o.id for o in q.options]]))
            if choice is not None:
                answers[q.id] = choice
    if draw(st.booleans()):
        answers["data_people"] = draw(st.integers(min_value=0, max_value=100000))
    if draw(st.booleans()):
        answers["main_question"] = draw(st.text(max_size=500))
    return answers


@settings(max_examples=150, deadline=None)
@given(answer_sets())
def test_any_valid_answers_score_and_recommend(answers: dict) -> None:
    result = assessments.evaluate(Q, answers).to_dict()
    assert 0 <= result["stage"]["index"] <= len(Q.levels)
    assert 0.0 <= result["confidence"]["value"] <= 1.0
    for level in result["levels"]:
        assert level["score"] is None or 0 <= level["score"] <= 100


@settings(max_examples=150, deadline=None)
@given(answer_sets())
def test_stage_never_passes_a_failing_lower_level(answers: dict) -> None:
    result = score(Q, clean_answers(Q, answers))
    for index, level in enumerate(result.levels, start=1):
        if index <= result.stage:
            assert level.score is not None and level.score >= Q.threshold
    if result.stage < len(result.levels):
        gap = result.levels[result.stage]
        assert gap.score is None or gap.score < Q.threshold
        assert not any(lv.reached for lv in result.levels[result.stage:])


@settings(max_examples=150, deadline=None)
@given(answer_sets(), st.data())
def test_improving_one_answer_never_lowers_its_level(answers: dict, data: st.DataObject) -> None:
    shown = {q.id for q in visible_questions(Q, answers)}
    scored_qs = [q for q in CHOICE if q.level and q.id in shown and q.id in answers and answers[q.id] != "dk"
                 and q.id not in TRIGGERS]
    if not scored_qs:
        return
    q = data.draw(st.sampled_from(scored_qs))
    current = q.option(answers[q.id]).points
    better = [o.id for o in q.options if not o.dont_know and (o.points or 0) >= current]
    improved = dict(answers, **{q.id: data.draw(st.sampled_from(better))})
    before = score(Q, clean_answers(Q, answers)).level(q.level).score
    after = score(Q, clean_answers(Q, improved)).level(q.level).score
    assert before is not None and after is not None and after >= before


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_all_dont_know_gives_low_confidence(data: st.DataObject) -> None:
    answers = {q.id: q.dont_know_option.id for q in Q.questions if q.dont_know_option}
    # Whatever the profile says, unknown answers everywhere else keep confidence low.
    answers["headcount"] = data.draw(st.sampled_from([o.id for o in Q.question("headcount").options]))
    result = score(Q, clean_answers(Q, answers))
    assert result.confidence_label == "low"
    assert result.stage == 0
