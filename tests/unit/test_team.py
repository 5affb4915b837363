"""Answers from a team (assessments/team.py): the combine rule, the disagreements found by re-scoring, the
lowered confidence, and P14 (three people, one insurer) read three ways."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import assessments
from app.cli import domain
from assessments.answers import clean_answers
from assessments.team import Response, combine, evaluate_team
from tests import generated, personas
from tests.personas import p14

Q = assessments.current()


def hire(outcome: assessments.Outcome) -> str | None:
    first = outcome.recommendation.first_hire
    return first.id if first else None


@pytest.mark.parametrize("key", ["p1", "p3", "p6", "p9_later", "p11"])
@pytest.mark.parametrize("how", personas.READINGS)
def test_identical_answers_give_the_single_outcome(key: str, how: str) -> None:
    answers = personas.reading(key, how)
    single = assessments.evaluate(Q, answers)
    team = evaluate_team(Q, [Response("leadership", answers), Response("technical", answers),
                             Response("business", answers)])
    assert team.team is not None and team.team.disagreements == ()
    expected = single.to_dict()
    got = team.to_dict()
    assert got.pop("respondents") == 3 and got.pop("disagreements") == []
    assert got == expected


def test_one_response_is_exactly_evaluate() -> None:
    answers = personas.reading("p2", "unsure")
    outcome = evaluate_team(Q, [Response("technical", answers)])
    assert outcome.team is None
    assert outcome.to_dict() == assessments.evaluate(Q, answers).to_dict()


def test_ordered_answers_combine_to_the_lower_middle_and_dont_know_only_where_nobody_knows() -> None:
    base = personas.reading("p2", "cautious")
    rs = [Response("technical", {**base, "move_method": "orchestrated", "move_quality": "dk",
                                 "report_metrics": "documented"}),
          Response("leadership", {**base, "move_method": "by_hand", "move_quality": "dk",
                                  "report_metrics": "dk"}),
          Response("business", {**base, "move_method": "scheduled", "move_quality": "dk",
                                "report_metrics": "disputed"})]
    combined = combine(Q, rs)
    assert combined["move_method"] == "scheduled"  # the median of by_hand, scheduled, orchestrated
    assert combined["move_quality"] == "dk"  # nobody knew
    assert combined["report_metrics"] == "disputed"  # two known answers: the lower of the two


def test_choices_without_order_go_to_the_majority_and_a_tie_to_the_answer_raising_a_blocker() -> None:
    base = personas.reading("p3", "cautious")
    rs = [Response("technical", {**base, "mud_department_access": "yes"}),
          Response("leadership", {**base, "mud_department_access": "some_refuse"})]
    assert combine(Q, rs)["mud_department_access"] == "some_refuse"
    rs.append(Response("business", {**base, "mud_department_access": "yes"}))
    assert combine(Q, rs)["mud_department_access"] == "yes"
    # An even split with no obstacle at stake is not known.
    split = [Response("leadership", {**base, "ml_expectation": ["predictions"], "ml_deadline": "within_12_months"}),
             Response("technical", {**base, "ml_expectation": ["predictions"], "ml_deadline": "no_date"})]
    assert combine(Q, split)["ml_deadline"] == "dk"


def test_ticks_are_kept_from_anyone_numbers_take_the_median_own_words_the_seat_that_knows() -> None:
    base = personas.reading("p3", "cautious")
    rs = [Response("business", {**base, "tools": ["excel", "python"], "data_people": 40,
                                "roles_in_post": ["none"], "own_systems": "the claims system",
                                "own_figure": "claims settled within 30 days"}),
          Response("leadership", {**base, "tools": ["excel"], "data_people": 6, "roles_in_post": ["none"],
                                  "own_figure": "the loss ratio"}),
          Response("technical", {**base, "tools": ["python", "dbt_airflow"], "data_people": 4,
                                 "roles_in_post": ["data_engineer"],
                                 "own_systems": "Guidewire and a claims warehouse"})]
    combined = combine(Q, rs)
    assert combined["tools"] == ["excel", "dbt_airflow", "python"]  # a tick reports what someone knows exists
    assert combined["roles_in_post"] == ["data_engineer"]  # "none" gives way to a role someone names
    assert combined["data_people"] == 6
    assert combined["own_systems"] == "Guidewire and a claims warehouse"  # the technical seat's, though later
    assert combined["own_figure"] == "the loss ratio"  # leadership's


def test_answers_hidden_by_a_respondents_own_answers_do_not_count() -> None:
    base = personas.reading("p4", "cautious")  # models in notebooks: the learning questions show
    hidden = {**base, "learn_models": "none", "learn_validation": "held_out"}  # validation hidden by "none"
    rs = [Response("technical", base), Response("leadership", hidden), Response("business", base)]
    spread = {s.question.id: s for s in evaluate_team(Q, rs).team.spread}
    assert spread["learn_validation"].answers[1] is None


@pytest.mark.parametrize("how", p14.READINGS)
def test_p14_names_the_disputed_figures_first_and_lowers_the_confidence(how: str) -> None:
    responses = p14.responses(how)
    singles = [assessments.evaluate(Q, r.answers) for r in responses]
    outcome = evaluate_team(Q, responses)
    team = outcome.team
    assert team is not None and len(team.respondents) == 3
    first = team.disagreements[0]
    assert first.question.id == p14.DISPUTED
    assert first.changes_hire
    # The disagreement decides between an analyst and a data scientist.
    assert {p.first_hire for p in first.positions} == {"data_analyst", "data_scientist"}
    assert outcome.scored.confidence < min(s.scored.confidence for s in singles)
    # Combined on the lower of the two known answers: the figures are disputed, so an analyst first.
    assert hire(outcome) == "data_analyst"
    assert "could change the hire" in outcome.story.confidence
    # No models, by all three: never a machine learning engineer.
    assert hire(outcome) not in ("ml_engineer", "ml_architect")


def test_p14_disagreements_are_ordered_hire_then_stage_then_seats_then_the_rest() -> None:
    team = evaluate_team(Q, p14.responses("cautious")).team
    keys = [(not d.changes_hire, not d.changes_stage, not d.leadership_vs_technical) for d in team.disagreements]
    assert keys == sorted(keys)


@pytest.mark.parametrize("seed", range(40))
def test_disagreements_are_found_by_rescoring(seed: int) -> None:
    """Each disagreement's flags say what putting each given answer in place of the combined one does."""
    import random

    rng = random.Random(seed)
    first = generated.organisation(rng)
    second = dict(first)
    for question in rng.sample([q for q in Q.questions if q.level and q.type == "single"], 6):
        second[question.id] = rng.choice([o.id for o in question.options])
    rs = [Response("technical", first), Response("leadership", second)]
    outcome = evaluate_team(Q, rs, borderline=False)
    base_hire, base_stage = hire(outcome), outcome.scored.stage
    for d in outcome.team.disagreements:
        for position in d.positions:
            again = assessments.evaluate(Q, {**outcome.answers, d.question.id: position.value}, borderline=False)
            assert (hire(again), again.scored.stage) == (position.first_hire, position.stage)
        alone_hire = any(p.first_hire != base_hire for p in d.positions)
        alone_stage = any(p.stage != base_stage for p in d.positions)
        assert (d.changes_hire, d.changes_stage) == (alone_hire, alone_stage) or d.jointly
    for view in outcome.team.views:
        own = clean_answers(Q, rs[view.respondent].answers)
        again = assessments.evaluate(Q, {**outcome.answers, **{q: own[q] for q in view.question_ids}},
                                     borderline=False)
        assert (hire(again), again.scored.stage) == (view.first_hire, view.stage)
        assert (hire(again) != base_hire) if view.changes_hire else (again.scored.stage != base_stage)
        jointly = {d.question.id for d in outcome.team.disagreements if d.jointly}
        assert jointly <= {q for v in outcome.team.views for q in v.question_ids}


def _write(tmp_path: Path, name: str, seat: str, answers: dict[str, Any]) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"questionnaire": Q.id, "version": Q.version, "seat": seat, "name": name,
                                "answers": answers}), encoding="utf-8")
    return path


def test_score_with_several_files_prints_the_team_outcome(tmp_path: Path) -> None:
    files = [str(_write(tmp_path, f"r{i}", seat, answers))
             for i, (seat, _, answers) in enumerate(p14.respondents("unsure"))]
    result = CliRunner().invoke(domain, ["score", *files, "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    expected = evaluate_team(Q, p14.responses("unsure")).to_dict()
    assert printed == json.loads(json.dumps(expected))
    assert printed["respondents"] == 3
    assert printed["disagreements"][0]["question_id"] == p14.DISPUTED
    assert printed["disagreements"][0]["changes_hire"] is True
    assert set(printed["disagreements"][0]) == {"question_id", "answers", "changes_hire", "changes_stage"}
    one = CliRunner().invoke(domain, ["score", files[0], "--json"])
    assert "respondents" not in json.loads(one.output)
    text = CliRunner().invoke(domain, ["score", *files])
    assert "Settle these together" in text.output


def test_score_refuses_a_bad_seat_and_mixed_versions(tmp_path: Path) -> None:
    good = _write(tmp_path, "a", "technical", personas.reading("p2", "cautious"))
    bad = tmp_path / "b.json"
    bad.write_text(json.dumps({"seat": "cfo", "answers": {}}), encoding="utf-8")
    result = CliRunner().invoke(domain, ["score", str(good), str(bad)])
    assert result.exit_code != 0 and "seat" in result.output
    old = tmp_path / "c.json"
    old.write_text(json.dumps({"questionnaire": Q.id, "version": 2, "answers": personas.reading("p2", "cautious", 2)}),
                   encoding="utf-8")
    result = CliRunner().invoke(domain, ["score", str(good), str(old)])
    assert result.exit_code != 0 and "version" in result.output


def test_a_view_of_the_foundations_that_changes_the_hire_only_taken_together_leads_the_summary() -> None:
    """Two generated organisations as two seats: no single disputed answer changes the hire, but one
    person's answers to the disputed pyramid questions, taken together, do; the PDF's first action says so."""
    import random

    from app.reports.summary import first_actions

    for seed in range(60):
        rng = random.Random(seed)
        rs = [Response("leadership", generated.organisation(rng)), Response("technical", generated.organisation(rng))]
        outcome = evaluate_team(Q, rs, borderline=False)
        team = outcome.team
        views = [v for v in team.views if v.changes_hire]
        if views and not any(d.changes_hire and not d.jointly for d in team.decisive):
            break
    else:
        pytest.fail("no generated pair differs only jointly")
    assert all(d.jointly for d in team.decisive if d.changes_hire)
    assert {q for v in views for q in v.question_ids} >= {d.question.id for d in team.decisive if d.changes_hire}
    first = first_actions(outcome)[0]
    assert first.title == "Settle the disagreement together"
    seat = rs[views[0].respondent].seat
    assert f"the {seat} seat's answers to" in first.text and "see the foundations differently" in first.text


def test_a_level_the_team_disputes_in_a_way_that_matters_is_never_said_to_work() -> None:
    """The advert's "what already works" and the story's working levels leave out a level in place whose
    disputed answer could change the hire or the stage, until the team settles it."""
    import random

    from assessments.advert import _plain, advert

    checked = 0
    for seed in range(600):
        rng = random.Random(seed)
        first = generated.organisation(rng, unknown_share=0.0)
        second = dict(first)
        for question in rng.sample([q for q in Q.questions if q.level and q.type == "single"], 3):
            second[question.id] = rng.choice([o.id for o in question.options if not o.dont_know])
        outcome = evaluate_team(Q, [Response("leadership", first), Response("technical", second)], borderline=False)
        team = outcome.team
        in_place = {ls.level.id for ls in outcome.scored.levels[: outcome.scored.stage]}
        disputed = team.unsettled_levels & in_place
        if not disputed or outcome.recommendation.first_hire is None:
            continue
        checked += 1
        text = advert(outcome, "Example").markdown()
        for level in outcome.scored.levels:
            if level.level.id in disputed:
                assert _plain(level.level.id, level.level.title) not in text
                assert level.level.title not in outcome.story.working
    assert checked >= 1
