"""Issue #18: the comparison tells what moved, in the levels' own figures, and names hires made since."""

from __future__ import annotations

import pytest

import assessments
from assessments.comparison import compare
from tests import personas

V2 = assessments.get("groundwork", 2)


def outcome(answers: dict) -> assessments.Outcome:
    return assessments.evaluate(V2, answers, borderline=False)


@pytest.mark.parametrize("how", personas.READINGS)
def test_a_year_later_names_the_hire_made_and_the_levels_gained(how: str) -> None:
    c = compare(outcome(personas.reading("p9", how, version=2)),
                outcome(personas.reading("p9_later", how, version=2)))
    assert c.hired == ["Data engineer"]
    assert c.recommendation_note == ("Since then you have hired a data engineer; the recommendation is now your "
                                     "next hire after them: a data analyst.")
    assert c.stage_note.startswith(f"Up from stage {c.before.scored.stage} to {c.after.scored.stage}")
    built = {ch.question_id: ch.direction for ch in c.changes}
    assert built["store_location"] == built["collect_transactions"] == 1


def test_a_stage_that_did_not_move_says_why_in_figures() -> None:
    before = personas.reading("p9", "cautious", version=2)
    after = dict(before, store_location="shared_database", store_dictionary="partial")
    c = compare(outcome(before), outcome(after))
    sb, sa = c.before.scored, c.after.scored
    assert sb.stage == sa.stage == 0
    collect_b, collect_a = sb.level("collect").score, sa.level("collect").score
    assert c.stage_note.startswith("Stage unchanged at 0: Collect")
    store_b, store_a = sb.level("store").score, sa.level("store").score
    assert store_a > store_b and f"Store rose from {store_b} to {store_a}" in c.stage_note
    assert collect_a == collect_b and f"Collect stayed at {collect_a}, short of 60" in c.stage_note
    assert all(ch.direction == 1 for ch in c.changes)


def test_an_answer_that_becomes_known_is_marked_now_known_not_slipped() -> None:
    before = personas.reading("p11", "unsure", version=2)
    after = dict(before, label_outcomes="not_recorded")
    c = compare(outcome(before), outcome(after))
    (change,) = [ch for ch in c.changes if ch.question_id == "label_outcomes"]
    assert change.now_known and change.direction == 0


def test_building_what_did_not_exist_yet_is_progress() -> None:
    q = V2.question("collect_transactions")
    nothing = next(o for o in q.options if o.not_applicable)
    c = compare(outcome({"collect_transactions": nothing.id}), outcome({"collect_transactions": "queryable"}))
    assert [ch.direction for ch in c.changes] == [1]


def test_an_obstacle_cleared_outside_the_pyramid_is_progress() -> None:
    c = compare(outcome({"mud_data_map": "no"}), outcome({"mud_data_map": "yes"}))
    assert [ch.direction for ch in c.changes] == [1]
    back = compare(outcome({"mud_data_map": "yes"}), outcome({"mud_data_map": "no"}))
    assert [ch.direction for ch in back.changes] == [-1]
