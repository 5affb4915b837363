"""Acceptance: the eleven example organisations reach their outcome, each in two readings of its facts,
on version 2 and, carried through the explicit map, on version 3.

Readings (tests/personas): "cautious" fills what a description leaves silent
with a modest answer; "unsure" answers "don't know" there instead.
"""

from __future__ import annotations

import pytest

import assessments
from tests import personas

BOTH = personas.READINGS


@pytest.fixture(params=[2, 3], ids=["v2", "v3"])
def version(request: pytest.FixtureRequest) -> int:
    return request.param


def outcome(key: str, how: str, version: int) -> assessments.Outcome:
    return assessments.evaluate(assessments.get("groundwork", version), personas.reading(key, how, version))


def text_of(result: assessments.Outcome) -> str:
    return " ".join(r.text for r in result.recommendation.reasons)


#: key: first hire in both readings.
FIRST_HIRE = {
    "p1": "data_engineer", "p2": "data_analyst", "p3": "data_scientist", "p4": "ml_engineer",
    "p5": "ml_researcher", "p6": "data_engineer", "p7": "data_engineer", "p8": "ml_architect",
    "p9": "data_engineer", "p9_later": "data_analyst", "p11": "data_scientist",
}


@pytest.mark.parametrize("how", BOTH)
@pytest.mark.parametrize("key", sorted(FIRST_HIRE))
def test_first_hire_in_every_reading(key: str, how: str, version: int) -> None:
    result = outcome(key, how, version)
    rec = result.recommendation
    assert rec.first_hire is not None and rec.first_hire.id == FIRST_HIRE[key], (key, how, rec.headline)
    assert rec.runner_up is not None and rec.runner_up.id != rec.first_hire.id
    assert rec.runner_up.id not in {p.role.id for p in rec.premature}


@pytest.mark.parametrize("how", BOTH)
def test_p1_a_generalist_and_ml_premature_against_leadership_hopes(how: str, version: int) -> None:
    result = outcome("p1", how, version)
    rec = result.recommendation
    assert result.scored.stage == 0 and rec.generalist
    assert {"data_scientist", "ml_engineer"} <= {p.role.id for p in rec.premature}
    assert any("within six months" in e for e in rec.expectations)


@pytest.mark.parametrize("how", BOTH)
def test_p2_pipelines_in_place_reporting_missing(how: str, version: int) -> None:
    result = outcome("p2", how, version)
    assert result.scored.likely_stage == 3  # Move is in place; Explore and report is not
    assert result.scored.likely_gap.level.id == "report"


@pytest.mark.parametrize("how", BOTH)
def test_p3_exploration_done_learning_missing(how: str, version: int) -> None:
    result = outcome("p3", how, version)
    assert result.scored.likely_gap.level.id in ("label", "learn")
    assert result.recommendation.runner_up.id == "ml_engineer"


@pytest.mark.parametrize("how", BOTH)
def test_p4_models_stuck_in_notebooks_need_an_engineer_not_a_first_model(how: str, version: int) -> None:
    result = outcome("p4", how, version)
    rec = result.recommendation
    assert rec.decided_by == "models_not_operated"
    assert "first model" not in text_of(result)
    assert "ml_engineer" not in {p.role.id for p in rec.premature}


@pytest.mark.parametrize("how", BOTH)
def test_p5_top_of_the_pyramid(how: str, version: int) -> None:
    result = outcome("p5", how, version)
    assert result.scored.stage == 7 and result.recommendation.premature == ()


@pytest.mark.parametrize("how", BOTH)
def test_p6_cautious_with_access_flagged(how: str, version: int) -> None:
    result = outcome("p6", how, version)
    assert result.scored.confidence_label in ("low", "moderate")
    assert "access_refused" in {b.id for b in result.scored.blockers}
    if how == "unsure":
        assert result.scored.confidence_label == "low" and "unknown" in text_of(result)


@pytest.mark.parametrize("how", BOTH)
def test_p7_acknowledges_the_analyst_in_post(how: str, version: int) -> None:
    result = outcome("p7", how, version)
    rec = result.recommendation
    assert rec.in_post == ("data_analyst",) and not rec.generalist
    assert "first data person" not in rec.headline and "first data person" not in text_of(result)
    assert "already have a data analyst." in text_of(result)


@pytest.mark.parametrize("how", BOTH)
def test_p8_architect_without_every_level_holding(how: str, version: int) -> None:
    result = outcome("p8", how, version)
    rec = result.recommendation
    assert rec.decided_by == "ml_programme_without_design"
    assert rec.runner_up.id == "ml_engineer"
    assert "not yet a model" not in " ".join(p.reason.text for p in rec.premature)


@pytest.mark.parametrize("how", BOTH)
def test_p9_a_year_later_the_engineer_builds_and_the_analyst_is_next(how: str, version: int) -> None:
    before, after = outcome("p9", how, version), outcome("p9_later", how, version)
    assert before.recommendation.first_hire.id == "data_engineer"
    rec = after.recommendation
    assert rec.first_hire.id == "data_analyst" and "once Move is in place" in rec.headline
    assert "data engineer in post" in text_of(after)
    assert "hire a data engineer first" not in rec.headline.lower()
    resolved = {b.id for b in before.scored.blockers} - {b.id for b in after.scored.blockers}
    assert {"location_unknown", "access_refused"} <= resolved


@pytest.mark.parametrize("how", BOTH)
def test_p10_on_the_edge_is_borderline_and_names_what_would_change_it(how: str, version: int) -> None:
    result = outcome("p10", how, version)
    rec = result.recommendation
    assert rec.borderline and 1 <= len(rec.would_change) <= 3
    hire = rec.first_hire.id
    assert all(change.first_hire != hire for change in rec.would_change)


@pytest.mark.parametrize("how", BOTH)
def test_p11_strong_base_unknown_top(how: str, version: int) -> None:
    result = outcome("p11", how, version)
    assert result.scored.likely_stage >= 4 and result.scored.possible_stage > result.scored.stage
    assert result.scored.confidence_label != "high"
    if how == "cautious":
        assert result.scored.confidence_label == "moderate"
    assert "ask whoever would know about models" in text_of(result)


def test_p11_dont_know_never_beats_an_honest_low_answer(version: int) -> None:
    unsure = outcome("p11", "cautious", version).scored
    honest = dict(personas.reading("p11", "cautious", version), label_outcomes="not_recorded",
                  label_datasets="none", label_workflow="no_way", label_feedback="no", learn_models="none")
    scored = assessments.evaluate(assessments.get("groundwork", version), honest).scored
    assert unsure.stage <= scored.stage
    for a, b in zip(unsure.levels, scored.levels, strict=True):
        assert a.low is None or b.low is None or a.low <= b.low


#: Version 1 stays published: its answer files still score, with version 1's questions.
V1_EXPECTED = {
    "p1_online_shop": "data_engineer", "p2_media_company": "data_analyst", "p3_retailer": "data_scientist",
    "p4_logistics": "ml_engineer", "p5_search": "ml_researcher", "p6_mixed_unsure": "data_engineer",
}


@pytest.mark.parametrize("name", sorted(V1_EXPECTED))
def test_version_1_answer_files_still_score(name: str) -> None:
    result = assessments.evaluate(assessments.get("groundwork", 1), personas.answers_v1(name))
    assert result.questionnaire.version == 1
    assert result.recommendation.first_hire.id == V1_EXPECTED[name]


@pytest.mark.parametrize("how", BOTH)
def test_the_plan_never_builds_what_exists_and_quotes_the_answers_it_follows(how: str, version: int) -> None:
    rec = outcome("p10", how, version).recommendation  # a data engineer for an organisation with a warehouse
    texts = [step.text for step in rec.plan]
    assert not any("Stand up a central warehouse" in t for t in texts)
    assert any("still outside the central store" in t for t in texts)
    given = personas.reading("p10", how, version)
    for step in rec.plan:
        for evidence in step.evidence:
            assert evidence.question_id in given


def test_the_plan_starts_from_leadership_s_own_question(version: int) -> None:
    rec = outcome("p2", "cautious", version).recommendation
    assert "Why did subscriptions drop last quarter?" in rec.plan[0].text


def test_blockers_resting_on_dont_know_are_things_to_find_out(version: int) -> None:
    scored = outcome("p6", "unsure", version).scored
    unsure = {b.id for b in scored.blockers if b.unsure}
    known = {b.id for b in scored.blockers if not b.unsure}
    assert "location_unknown" in unsure  # "don't know" where the data is: a question, not a fact
    assert "access_refused" in known  # two departments refuse: a fact
    plan = outcome("p6", "unsure", version).recommendation.plan
    assert not any("map" in step.text.lower() and "remove a blocker" in step.text for step in plan)


def test_a_respondent_who_knows_nothing_is_told_nothing_as_fact(version: int) -> None:
    questionnaire = assessments.get("groundwork", version)
    answers = {q.id: q.dont_know_option.id for q in questionnaire.questions if q.dont_know_option}
    answers |= {"headcount": "from_50_to_249", "sector": "other", "service_users": "established"}
    result = assessments.evaluate(questionnaire, answers)
    assert all(b.unsure for b in result.scored.blockers)  # every blocker is a thing to find out
    rec = result.recommendation
    for step in rec.plan:  # a step never rests on "don't know": those are things to find out first
        assert all(e.answer != "I don't know" for e in step.evidence), step.text
    assert rec.find_out and rec.provisional and rec.headline.startswith("Provisional:")
    assert "first data" not in rec.headline
    assert result.scored.confidence_label == "low"
    assert result.scored.stage == 0 and result.scored.possible_stage >= 5  # all may hold, none is known to
