"""The questionnaire data: published versions are frozen, and bad files fail precisely."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

import assessments
from assessments.schema import QuestionnaireError, load_questionnaire

#: A published questionnaire never changes: assessments answered on it must
#: score the same forever. Publish a new version instead of editing this one.
PUBLISHED_SHA256 = {
    "groundwork-v1.yaml": "801f12506164013aa4f855fd99d9c6ece8642789ab418ce28915ced019112b7a",
    "groundwork-v2.yaml": "c82903063b60446d45e40658ea64031c91d05b9c56942b79d0b15dcee669f116",
    "groundwork-v3.yaml": "1089c41d0a21a85183d042c158f9d9a5fbf8a806eebe4c15002f31cf493b5f2a",
}


def test_published_versions_are_unchanged() -> None:
    for name, digest in PUBLISHED_SHA256.items():
        data = (assessments.QUESTIONNAIRE_DIR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"{name} was edited after publication"


def test_current_questionnaire_covers_the_pyramid_and_the_mud() -> None:
    q = assessments.current()
    assert (q.id, q.version) == ("groundwork", 3)
    # Conditional and optional questions included; a respondent sees far fewer.
    assert 40 <= len(q.questions) <= 80
    assert [lv.id for lv in q.levels] == ["collect", "store", "move", "report", "label", "learn", "deploy"]
    sections = [s.id for s in q.sections]
    assert sections[0] == "profile" and {"access", "readiness"} <= set(sections)
    for level in q.levels:
        assert any(s.id == level.id for s in q.sections), f"no section for level {level.id}"
    assert len(q.blockers) >= 8


def test_every_question_explains_itself_and_scored_ones_allow_dont_know() -> None:
    for question in assessments.current().questions:
        assert question.text.strip() and question.help.strip()
        if question.level:
            assert question.dont_know_option is not None, question.id
            assert question.max_points > 0


def test_conditions_are_declared_in_the_data() -> None:
    q = assessments.current()
    deploy = [x for x in q.questions if x.level == "deploy"]
    assert deploy and all(x.when and x.when.question == "learn_models" for x in deploy)


VALID = """
id: sample
version: 1
title: Sample
threshold: 60
levels:
  - {id: base, title: Base, summary: The base.}
blockers:
  - {id: stuck, title: Stuck, why: Because., fix: Unstick.}
sections:
  - id: one
    title: One
    intro: The first.
    questions:
      - id: first
        type: single
        level: base
        text: First?
        help: Why first.
        options:
          - {id: "no", label: "No", points: 0}
          - {id: "yes", label: "Yes", points: 2, raises: [stuck]}
          - {id: dk, label: "I don't know", dont_know: true}
      - id: second
        type: single
        level: base
        text: Second?
        help: Why second.
        when: {question: first, any_of: ["yes"]}
        options:
          - {id: a, label: A, points: 0}
          - {id: b, label: B, points: 1}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sample.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_a_valid_file_loads(tmp_path: Path) -> None:
    q = load_questionnaire(write(tmp_path, VALID))
    assert [o.id for o in q.question("first").options] == ["no", "yes", "dk"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("      - id: second", "      - id: first"), "duplicate question ids: ['first']"),
        (("        level: base\n        text: First?",
          "        level: base\n        colour: red\n        text: First?"),
         "question 'first', colour: Extra inputs are not permitted"),
        (("when: {question: first,", "when: {question: later,"), "question 'second': condition refers to 'later'"),
        (("any_of: [\"yes\"]", "any_of: [maybe]"), "condition names options ['maybe']"),
        (("raises: [stuck]", "raises: [stuk]"), "raises unknown blockers ['stuk']"),
        (("      - id: second", "      - id: Second-Q"), "question 'Second-Q', id: String should match pattern"),
        (("{id: b, label: B, points: 1}", "{id: b, label: B}"), "options of a scored question need points"),
        (("level: base\n        text: Second", "level: top\n        text: Second"), "unknown level 'top'"),
    ],
)
def test_invalid_files_name_the_file_the_question_and_the_problem(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in VALID
    with pytest.raises(QuestionnaireError) as error:
        load_questionnaire(write(tmp_path, VALID.replace(old, new, 1)))
    message = str(error.value)
    assert message.startswith("sample.yaml: ")
    assert expected in message


def test_malformed_yaml_is_reported_with_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(QuestionnaireError, match=r"^sample.yaml: not valid YAML"):
        load_questionnaire(write(tmp_path, "id: [unclosed"))


def test_yes_and_no_stay_option_ids(tmp_path: Path) -> None:
    q = load_questionnaire(write(tmp_path, VALID.replace('"no"', "no").replace('"yes"', "yes")))
    assert q.question("first").option("yes") is not None


def test_roles_cover_every_level_and_the_seven_roles() -> None:
    roles = assessments.roles()
    assert {r.id for r in roles.roles} == {
        "data_engineer", "data_analyst", "data_scientist", "ml_scientist", "ml_engineer", "ml_researcher",
        "ml_architect"}
    roles.check_levels(assessments.current())
    for role in roles.roles:
        assert role.first_90_days and role.skills and role.interview_questions


def test_version_2_asks_what_version_1_could_not() -> None:
    q = assessments.get("groundwork", 2)
    for question_id in ("roles_in_post", "tools", "ml_teams", "ml_platform", "ml_design_owner", "ml_abandoned",
                        "learn_runs", "learn_repeatable", "service_users"):
        assert q.question(question_id) is not None, question_id
    # Ways out where no option was true: not applicable, a document store, a department that now shares.
    assert q.question("store_access").option("nobody_asks").not_applicable
    assert q.question("collect_transactions").option("none_yet").not_applicable
    assert q.question("store_location").option("shared_database").label.endswith("central document store")
    assert q.question("mud_department_access").option("now_share") is not None
    assert {"explain", "production", "automate"} <= {o.id for o in q.question("ml_expectation").options}
    assert q.question("label_outcomes").option("no_problem") is not q.question("label_outcomes").option("not_recorded")
    assert "known outcome" in next(s for s in q.sections if s.id == "label").intro
    assert len(q.contradictions) >= 3


def test_copy_forward_from_version_1_goes_through_the_explicit_map() -> None:
    v1, v2 = assessments.get("groundwork", 1), assessments.get("groundwork", 2)
    old = {"collect_events": "tracking_plan", "learn_reproducible": "versioned", "headcount": "under_10",
           "mud_department_access": "some_refuse", "collect_transactions": "nowhere", "data_people": 3}
    carried, new = assessments.carry_forward(old, v1, v2)
    # Mapped, with a renamed option.
    assert carried["collect_activity"] == "defined"
    assert carried["headcount"] == "under_10" and carried["data_people"] == 3
    assert carried["mud_department_access"] == "some_refuse"
    # Not mapped: the question split in two, and an option with no counterpart.
    assert "learn_reproducible" not in carried and {"learn_runs", "learn_repeatable"} <= set(new)
    assert "collect_transactions" not in carried
    assert "roles_in_post" in new and "collect_activity" not in new
    assessments.evaluate(v2, carried)  # what is carried is valid on version 2


@pytest.mark.parametrize("version", [2, 3])
def test_every_entry_of_each_map_names_a_real_question_and_option_of_the_version_before(version: int) -> None:
    target = assessments.get("groundwork", version)
    source = assessments.get("groundwork", version - 1)
    assert target.carried_from is not None and target.carried_from.version == version - 1
    for qid, origin in target.carried_from.questions.items():
        before, after = source.question(origin.question), target.question(qid)
        assert before is not None and after is not None, origin.question
        if origin.same_options:
            assert {o.id for o in before.options} <= {o.id for o in after.options}, qid
        for old, new in origin.options.items():
            assert before.option(old) is not None and after.option(new) is not None, (qid, old)


def test_version_3_carries_every_version_2_question() -> None:
    v2, v3 = assessments.get("groundwork", 2), assessments.get("groundwork", 3)
    assert {o.question for o in v3.carried_from.questions.values()} == {q.id for q in v2.questions}


def test_copy_forward_from_version_2_maps_renamed_options_and_names_what_is_new() -> None:
    v2, v3 = assessments.get("groundwork", 2), assessments.get("groundwork", 3)
    old = {"headcount": "over_1000", "ml_expectation": "predictions", "mud_secure_environment": "no",
           "roles_in_post": ["data_scientist"], "data_people": 4, "main_question": "Why?", "sector": "health"}
    carried, new = assessments.carry_forward(old, v2, v3)
    assert carried["headcount"] == "over_1000" and carried["data_people"] == 4 and carried["main_question"] == "Why?"
    assert carried["ml_expectation"] == ["predictions"]  # one wish became a list of wishes
    assert carried["mud_secure_environment"] == "laptops"  # version 2's "No, people work on their own machines"
    assert v3.question("mud_secure_environment").option("laptops").raises == ("secure_env",)
    assert {"own_about", "own_systems", "own_records", "own_figure", "own_models", "own_decision", "ds_time",
            "people_data_scientist", "sector_other"} <= set(new)
    assert not set(new) & set(carried)
    result = assessments.evaluate(v3, carried)  # what is carried is valid on version 3
    assert result.questionnaire.version == 3


def test_copy_forward_from_version_1_goes_through_version_2() -> None:
    v1, v3 = assessments.get("groundwork", 1), assessments.get("groundwork", 3)
    old = {"collect_events": "tracking_plan", "learn_reproducible": "versioned", "mud_secure_environment": "no"}
    carried, new = assessments.carry_forward(old, v1, v3)
    assert carried == {"collect_activity": "defined", "mud_secure_environment": "laptops"}
    assert {"roles_in_post", "learn_runs", "own_about"} <= set(new)  # new in version 2 or in version 3
    assert "collect_activity" not in new


def test_version_3_fits_what_trials_found_version_2_did_not() -> None:
    q = assessments.get("groundwork", 3)
    for question_id in ("headcount", "sector", "service_users"):
        assert q.question(question_id).dont_know_option is not None, question_id
    assert {"marketplace", "research", "regulator", "professional", "other"} <= {
        o.id for o in q.question("sector").options}
    for question_id in ("store_location", "move_method", "report_dashboards", "label_outcomes", "label_datasets"):
        assert q.question(question_id).option("nothing_yet").not_applicable, question_id
    assert q.question("label_feedback").option("does_not_apply").not_applicable
    dashboards = q.question("report_dashboards")
    assert [dashboards.option(o).points for o in ("vendor_reports", "exist_use_unknown", "used_monthly")] == [1, 2, 2]
    assert q.question("mud_department_access").option("mixed").raises == ("access_refused",)
    assert q.question("mud_secure_environment").option("no").label == "No"
    assert q.question("roles_in_post").option("statistician").in_post == "data_analyst"
    assert q.question("ml_expectation").type == "multi"
    for question_id in ("own_about", "own_systems", "own_records", "own_figure", "own_models", "own_decision",
                        "sector_other"):
        question = q.question(question_id)
        assert question.type == "text" and not question.required and question.max_length <= 400, question_id
        assert question.level is None
    assert [s.id for s in q.sections][-1] == "own_words"
    assert {"ds_on_plumbing", "ds_on_reports"} == {
        signal for o in q.question("ds_time").options for signal in o.signals}


def test_version_3_keeps_version_2_s_scoring() -> None:
    """Levels, threshold and blockers mean the same; every version 2 option earns what it earned."""
    v2, v3 = assessments.get("groundwork", 2), assessments.get("groundwork", 3)
    assert v3.threshold == v2.threshold and v3.levels == v2.levels
    assert {b.id for b in v2.blockers} == {b.id for b in v3.blockers}
    for question in v2.questions:
        after = v3.question(question.id)
        assert after.level == question.level, question.id
        for option in question.options:
            carried = v3.carried_from.questions[question.id]
            new_id = option.id if carried.same_options else carried.options[option.id]
            new = after.option(new_id)
            assert (new.points, new.dont_know, new.not_applicable, new.raises) == (
                option.points, option.dont_know, option.not_applicable, option.raises), (question.id, option.id)


@pytest.mark.parametrize(("answers", "shown", "hidden"), [
    ({"roles_in_post": ["data_analyst", "statistician"]}, {"people_data_analyst", "people_statistician"},
     {"people_data_engineer", "ds_time"}),
    ({"roles_in_post": ["data_scientist"]}, {"ds_time", "people_data_scientist"}, {"people_data_analyst"}),
    ({"roles_in_post": ["dk"]}, set(), {"ds_time", "people_generalist"}),
    ({"sector": "other"}, {"sector_other"}, set()),
    ({"sector": "retail"}, set(), {"sector_other"}),
    ({"learn_models": "several"}, {"own_models", "deploy_ci", "ml_teams"}, set()),
    ({"learn_models": "experiments"}, set(), {"own_models", "deploy_ci"}),
    ({"ml_expectation": ["reporting", "predictions"]}, {"own_decision", "ml_deadline"}, set()),
    ({"ml_expectation": ["reporting", "explain"]}, set(), {"own_decision", "ml_deadline"}),
])
def test_version_3_conditional_questions_show_and_hide(answers: dict, shown: set, hidden: set) -> None:
    from assessments.answers import visible_questions

    q = assessments.get("groundwork", 3)
    visible = {x.id for x in visible_questions(q, answers)}
    assert shown <= visible and not hidden & visible
    assert {"own_about", "own_systems", "own_records", "own_figure"} <= visible


def test_a_data_scientist_on_plumbing_is_a_signal() -> None:
    from tests import personas

    answers = personas.reading("p4", "cautious") | {"ds_time": "plumbing"}
    assert "ds_on_plumbing" in assessments.evaluate(assessments.get("groundwork", 3), answers).scored.signals


def test_own_words_are_short_and_checked_like_other_text() -> None:
    from assessments.answers import AnswerError, clean_answers

    q = assessments.get("groundwork", 3)
    clean = clean_answers(q, {"own_about": "  We bake bread in six shops.  ", "own_figure": ""})
    assert clean == {"own_about": "We bake bread in six shops."}
    with pytest.raises(AnswerError, match="at most 200 characters"):
        clean_answers(q, {"own_systems": "x" * 201})


def test_comparing_version_2_with_version_3_does_not_report_one_wish_become_a_list_as_a_change() -> None:
    from assessments.comparison import compare
    from tests import personas

    v2, v3 = assessments.get("groundwork", 2), assessments.get("groundwork", 3)
    before = assessments.evaluate(v2, personas.reading("p3", "cautious", 2), borderline=False)
    after = assessments.evaluate(v3, personas.reading("p3", "cautious", 3) | {"ml_expectation": ["predictions",
                                                                                                  "reporting"]},
                                 borderline=False)
    assert [c.question_id for c in compare(before, after).changes] == ["ml_expectation"]
    same = assessments.evaluate(v3, personas.reading("p3", "cautious", 3), borderline=False)
    assert compare(before, same).changes == []
    assert "In one line, what does your organisation do?" in compare(before, same).only_after
