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


def test_every_entry_of_the_map_names_a_real_version_1_question_and_option() -> None:
    v1, v2 = assessments.get("groundwork", 1), assessments.get("groundwork", 2)
    assert v2.carried_from is not None and v2.carried_from.version == 1
    for qid, origin in v2.carried_from.questions.items():
        source, target = v1.question(origin.question), v2.question(qid)
        assert source is not None, origin.question
        if origin.same_options:
            assert {o.id for o in source.options} <= {o.id for o in target.options}, qid
        for old, new in origin.options.items():
            assert source.option(old) is not None and target.option(new) is not None, (qid, old)
