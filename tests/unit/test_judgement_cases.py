"""Judgement cases from the trials (issue 18, item 5), on the newest questionnaire: the advice a data
leader would give, and never a page that argues against its own pick."""

from __future__ import annotations

import pytest

import assessments
from assessments.advert import advert
from tests import audit, personas

V2 = assessments.get("groundwork", 2)
V3 = assessments.current()


def on_v3(key: str, how: str = "cautious", **changes: object) -> assessments.Outcome:
    return assessments.evaluate(V3, {**personas.reading(key, how, V3.version), **changes})


def said(outcome: assessments.Outcome) -> str:
    return " ".join(s.text for s in outcome.recommendation.sentences())


def test_a_retailer_whose_analysts_and_statistician_can_do_what_leadership_wants_strengthens_them() -> None:
    # Faster, more reliable reporting and better stock forecasts; two analysts and a statistician; no
    # interest in machine learning in what it sells; reporting in place.
    result = on_v3("p11", roles_in_post=["data_analyst", "statistician"], people_data_analyst=2,
                   people_statistician=1, ml_expectation=["reporting", "predictions"],
                   own_figure="weekly stock availability")
    rec = result.recommendation
    assert rec.strengthen and rec.first_hire is None and not rec.not_yet
    assert rec.headline == "No new specialist needed yet: strengthen the team you have."
    assert rec.runner_up is not None and rec.runner_up.id == "data_scientist"
    text = said(result)
    assert "A data scientist would pay once" in text  # and says when
    assert "Building it is the work of a data scientist" not in text and "new data scientist" not in text
    assert "weekly stock availability" in " ".join(rec.first_90_days)
    assert result.to_dict()["recommendation"]["strengthen"] is True
    ad = advert(result, "Shelf & Co")
    assert ad.title is None and ad.markdown().startswith("# No new specialist needed yet: no advert")


def test_analysts_in_post_and_reporting_wanted_no_data_scientist_nobody_asked_for() -> None:
    result = on_v3("p11", roles_in_post=["data_analyst"], ml_expectation=["reporting"])
    rec = result.recommendation
    assert rec.strengthen and rec.runner_up.id == "data_scientist"
    assert "predict something nobody has asked for" not in said(result)


def test_reporting_the_bottleneck_with_analysts_in_post_points_to_another_analyst_not_a_specialism() -> None:
    result = on_v3("p2", roles_in_post=["data_engineer", "data_analyst"], ml_expectation=["reporting"],
                   report_turnaround="weeks")
    rec = result.recommendation
    assert rec.strengthen and rec.first_hire is None and rec.another.id == "data_analyst"
    assert rec.headline == "No new specialist needed yet: add another data analyst to the team you have."
    assert "Reporting is the bottleneck" in said(result) and "analytics engineer" in said(result)
    assert result.to_dict()["recommendation"]["another"] == "data_analyst"


def test_a_data_scientist_on_plumbing_beside_an_engineer_points_at_the_engineer_s_backlog() -> None:
    result = on_v3("p7", roles_in_post=["data_scientist", "data_engineer"], ds_time="plumbing")
    assert "a second data engineer frees the data scientists" in said(result)
    assert result.recommendation.first_hire.id != "data_scientist"


def test_a_data_scientist_doing_plumbing_is_named_and_a_data_engineer_frees_them() -> None:
    result = on_v3("p7", roles_in_post=["data_scientist"], ds_time="plumbing", ml_expectation=["predictions"])
    rec = result.recommendation
    assert rec.first_hire.id == "data_engineer" and rec.decided_by == "data_scientist_on_plumbing"
    text = said(result)
    assert "plumbing, as you told us" in text and "frees the data scientists" in text
    in_place = {ls.level.title for ls in result.scored.levels[: result.scored.likely_stage]}
    for level in ("Label", "Learn"):
        assert level not in in_place
        assert f"look after {level}" not in text and "keep Label" not in text


def test_a_data_scientist_in_post_never_keeps_levels_that_are_not_in_place() -> None:
    result = on_v3("p1", roles_in_post=["data_scientist"], data_people=1, ml_expectation=["ai_product"])
    text = said(result)
    assert result.recommendation.first_hire.id == "data_engineer"
    assert "They keep" not in text and "look after Label" not in text and "look after Learn" not in text
    assert "needs the foundations first" in text


def nothing_known() -> dict:
    answers = {q.id: (q.dont_know_option.id if q.type == "single" else [q.dont_know_option.id])
               for q in V3.questions if q.dont_know_option and q.type in ("single", "multi")}
    return answers


def test_nearly_everything_unknown_is_provisional_and_leads_with_what_to_find_out() -> None:
    result = assessments.evaluate(V3, nothing_known() | {"service_users": "established"})
    rec = result.recommendation
    assert rec.provisional and rec.headline.startswith("Provisional: ")
    assert rec.reasons[0].text.startswith("This is provisional") and "Find out first" in rec.reasons[0].text
    assert any("Which data roles do you already have in post?" in f.text for f in rec.find_out)
    assert not rec.generalist
    ad = advert(result, "Unknown Ltd").markdown()
    assert "first data hire" not in ad and "To find out before publishing: who already works on data" in ad
    assert "What already works" not in ad
    well_known = on_v3("p3")
    assert not well_known.recommendation.provisional
    assert not well_known.recommendation.headline.startswith("Provisional")


def test_nobody_in_post_is_said_only_when_the_answers_say_so() -> None:
    first = advert(on_v3("p1"), "Shop").markdown()  # nobody works on data, and said so
    assert "You will be our first data hire" in first
    generalist = advert(on_v3("p1", roles_in_post=["generalist"], data_people=1), "Shop").markdown()
    assert "first data hire" not in generalist
    assert "You will join our data generalist" in generalist


@pytest.mark.parametrize("unsure", [False, True])
def test_before_launch_what_would_change_it_never_proposes_an_answer_that_cannot_apply(unsure: bool) -> None:
    answers = {"service_users": "pre_launch", "headcount": "under_10", "roles_in_post": ["none"],
               "collect_activity": "not_yet", "collect_transactions": "none_yet", "store_location": "nothing_yet",
               "move_method": "nothing_yet", "report_dashboards": "nothing_yet", "label_outcomes": "nothing_yet",
               "learn_models": "none", "ml_expectation": ["ai_product"]}
    if unsure:
        answers |= {"store_location": "dk", "move_method": "dk", "learn_models": "dk"}
    rec = assessments.evaluate(V3, answers).recommendation
    assert rec.not_yet and rec.first_hire is None
    assert rec.would_change == () and not rec.borderline


def test_what_would_change_it_never_contradicts_the_other_answers() -> None:
    for key in sorted(personas.FACTS):
        for how in personas.READINGS:
            result = on_v3(key, how)
            for change in result.recommendation.would_change:
                changed = dict(result.answers) | {change.question_id: change.answer}
                after = assessments.evaluate(V3, changed, borderline=False)
                assert len(after.scored.contradictions) <= len(result.scored.contradictions), (key, change)


def _hire_never_argued_against(result: assessments.Outcome) -> None:
    rec = result.recommendation
    if rec.first_hire is None:
        return
    hire = rec.first_hire.id
    assert hire not in {p.role.id for p in rec.premature}
    assert rec.runner_up is None or rec.runner_up.id != hire
    for sentence in rec.sentences():
        assert hire not in sentence.against, (hire, sentence.text)


def test_no_shown_sentence_argues_against_the_recommended_role() -> None:
    for key in sorted(personas.FACTS):
        for how in personas.READINGS:
            _hire_never_argued_against(assessments.evaluate(V2, personas.reading(key, how, 2)))
            _hire_never_argued_against(on_v3(key, how))
    for answers in audit.generated(V3, 120, seed=18):
        _hire_never_argued_against(assessments.evaluate(V3, answers, borderline=False))
