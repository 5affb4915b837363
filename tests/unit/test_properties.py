"""Property tests: scoring holds its rules for any valid set of answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import assessments
from assessments.answers import clean_answers, visible_questions
from assessments.scoring import LevelState, score

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
def test_the_stage_is_the_levels_in_place_from_the_bottom(answers: dict) -> None:
    result = score(Q, clean_answers(Q, answers))
    for index, level in enumerate(result.levels):
        assert level.reached == (index < result.stage)
        if index < result.stage:
            assert level.state.counts
        if level.state is LevelState.IN_PLACE:
            assert level.score is not None and level.score >= Q.threshold
        if level.score is None:
            assert level.state in (LevelState.UNKNOWN, LevelState.IMPLIED) or (
                level.state is LevelState.MISSING and level.ruled_out_by is not None)
    if result.stage < len(result.levels):
        assert not result.levels[result.stage].state.counts
        assert result.next_level is result.levels[result.stage]


@settings(max_examples=150, deadline=None)
@given(answer_sets(), st.data())
def test_improving_one_answer_never_lowers_its_level(answers: dict, data: st.DataObject) -> None:
    shown = {q.id for q in visible_questions(Q, answers)}
    scored_qs = [q for q in CHOICE if q.level and q.id in shown and q.id in answers and answers[q.id] != "dk"
                 and not q.option(answers[q.id]).not_applicable and q.id not in TRIGGERS]
    if not scored_qs:
        return
    q = data.draw(st.sampled_from(scored_qs))
    current = q.option(answers[q.id]).points
    better = [o.id for o in q.options if not o.dont_know and not o.not_applicable and (o.points or 0) >= current]
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


SCORED = [q for q in CHOICE if q.level and q.dont_know_option]


def middle_option(question) -> str:
    """The middle option by points (the upper one of two): what a middling answer is."""
    options = sorted((o for o in question.options if not o.dont_know and not o.not_applicable),
                     key=lambda o: o.points or 0)
    return options[len(options) // 2].id


@settings(max_examples=150, deadline=None)
@given(answer_sets(), st.data())
def test_dont_know_gains_nothing_over_a_middling_answer(answers: dict, data: st.DataObject) -> None:
    """Replacing a known answer by "don't know" never scores its level above a middling answer, and
    never raises the level's low end: honesty cannot be gamed."""
    shown = {q.id for q in visible_questions(Q, answers)}
    known = [q for q in SCORED if q.id in shown and q.id in answers and answers[q.id] != q.dont_know_option.id
             and q.id not in TRIGGERS]
    if not known:
        return
    q = data.draw(st.sampled_from(known))
    unsure = score(Q, clean_answers(Q, dict(answers, **{q.id: q.dont_know_option.id})))
    middling = score(Q, clean_answers(Q, dict(answers, **{q.id: middle_option(q)})))
    before = score(Q, clean_answers(Q, answers))
    after = unsure.level(q.level).score
    assert after is None or after <= middling.level(q.level).score  # None: nothing of the level known now
    low_before, low_after = before.level(q.level).low, unsure.level(q.level).low
    assert low_after is None or low_before is None or low_after <= low_before


@settings(max_examples=80, deadline=None)
@given(answer_sets())
def test_every_would_change_entry_gives_the_role_it_names(answers: dict) -> None:
    outcome = assessments.evaluate(Q, answers)
    rec = outcome.recommendation
    assert rec.borderline == bool(rec.would_change)
    for change in rec.would_change:
        again = assessments.evaluate(Q, dict(outcome.answers, **{change.question_id: change.answer}))
        hire = again.recommendation.first_hire
        assert (hire.id if hire else None) == change.first_hire
        assert change.first_hire != (rec.first_hire.id if rec.first_hire else None)


@settings(max_examples=150, deadline=None)
@given(answer_sets(), st.sets(st.sampled_from(
    ["data_engineer", "data_analyst", "data_scientist", "ml_engineer", "ml_scientist", "ml_researcher",
     "ml_architect"])))
def test_runner_up_is_never_premature_and_no_role_in_post_is_the_next_hire(answers: dict, in_post: set) -> None:
    if in_post:
        answers = dict(answers, roles_in_post=sorted(in_post))
    outcome = assessments.evaluate(Q, answers)
    rec = outcome.recommendation
    premature = {p.role.id for p in rec.premature}
    if rec.runner_up is not None:
        assert rec.runner_up.id not in premature
        needs = [Q.level_index(p.role.needs) for p in rec.premature if p.role.needs]
        if rec.runner_up.needs and needs and rec.runner_up.id not in ("ml_engineer", "ml_architect"):
            assert Q.level_index(rec.runner_up.needs) <= min(needs)
        assert rec.runner_up.id not in in_post
    if rec.first_hire is not None:
        text = " ".join(r.text for r in rec.reasons)
        assert rec.first_hire.id not in in_post or "a second" in text  # never again without saying why
        assert rec.first_hire.id not in premature
    if in_post and rec.first_hire is not None:
        # Whoever is in post is named in the reasons: the hire joins them.
        text = " ".join(r.text for r in rec.reasons).lower()
        assert "already have" in text or "already in post" in text
