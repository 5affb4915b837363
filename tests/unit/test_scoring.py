"""Scoring rules: don't-know handling, gating, inconsistencies, not-yet, conditions."""

from __future__ import annotations

import pytest

import assessments
from assessments.answers import AnswerError, clean_answers
from assessments.scoring import LevelState, score
from tests import personas

Q = assessments.current()


def scored(answers: dict):
    return score(Q, clean_answers(Q, answers))


def best(question_id: str) -> str:
    q = Q.question(question_id)
    return max((o for o in q.options if not o.dont_know), key=lambda o: o.points or 0).id


def worst(question_id: str) -> str:
    q = Q.question(question_id)
    return min((o for o in q.options if not o.dont_know), key=lambda o: o.points or 0).id


def level_questions(level: str) -> list[str]:
    return [q.id for q in Q.questions if q.level == level and q.when is None]


def test_dont_know_counts_as_the_weakest_answer_at_the_low_end_and_the_strongest_at_the_high_end() -> None:
    known = {qid: best(qid) for qid in level_questions("collect")}
    with_unknown = dict(known, collect_history="dk")
    honest_low = dict(known, collect_history=worst("collect_history"))
    assert scored(known).level("collect").score == 100
    unsure = scored(with_unknown).level("collect")
    assert unsure.high == 100 and unsure.low == scored(honest_low).level("collect").low < 100
    assert unsure.known_score == 100  # what was said is strong
    assert scored(with_unknown).confidence < scored(known).confidence


def test_dont_know_counts_as_the_middle_option_of_its_question() -> None:
    answers = {qid: worst(qid) for qid in level_questions("collect")}
    middling = scored(dict(answers, collect_history="dk")).level("collect")
    q = Q.question("collect_history")
    options = sorted((o for o in q.options if not o.dont_know and not o.not_applicable), key=lambda o: o.points)
    assert middling.score == round(100 * options[len(options) // 2].points / sum(
        Q.question(i).max_points for i in level_questions("collect")))
    assert middling.low < middling.score < middling.high


def test_unknowns_never_carry_a_level_whose_known_answers_fall_short() -> None:
    answers = {qid: "dk" for qid in level_questions("report")}
    answers["report_dashboards"] = "spreadsheets"  # the one thing known is weak
    report = scored(answers).level("report")
    assert report.score >= Q.threshold and report.known_score < Q.threshold
    assert report.state is LevelState.PARTLY


def test_not_applicable_answers_are_neither_known_nor_unknown() -> None:
    base = {qid: best(qid) for qid in level_questions("collect")}
    not_yet = dict(base, collect_transactions="none_yet")
    result = scored(not_yet)
    assert result.level("collect").low == result.level("collect").high == 100
    assert result.level("collect").unknown == 0


def test_a_level_with_only_unknown_answers_has_no_score_and_does_not_hold() -> None:
    result = scored({qid: "dk" for qid in level_questions("collect")})
    assert result.level("collect").score is None
    assert result.level("collect").state is LevelState.UNKNOWN
    assert result.stage == 0


def test_a_level_nothing_is_known_of_is_implied_by_strong_known_levels_above() -> None:
    answers = {qid: best(qid) for lv in ("store", "move") for qid in level_questions(lv)}
    answers |= {qid: "dk" for qid in level_questions("collect")}
    result = scored(answers)
    collect = result.level("collect")
    assert collect.state is LevelState.IMPLIED and collect.score is None
    assert collect.implied_by is not None and collect.implied_by.id in ("store", "move")
    assert result.stage == 3 and collect.reached


def test_a_partly_known_level_is_not_implied_by_the_levels_above() -> None:
    answers = {qid: best(qid) for lv in ("store", "move") for qid in level_questions(lv)}
    answers |= {qid: worst(qid) for qid in level_questions("collect")}
    result = scored(answers)
    assert result.level("collect").state is LevelState.MISSING
    assert result.stage == 0


def test_foundations_gate_upper_levels_and_the_gap_is_an_inconsistency() -> None:
    answers = {qid: best(qid) for lv in ("collect", "report") for qid in level_questions(lv)}
    answers |= {qid: worst(qid) for lv in ("store", "move") for qid in level_questions(lv)}
    result = scored(answers)
    assert result.level("report").score == 100
    assert not result.level("report").reached
    assert result.stage == 1
    assert result.level("store").state is LevelState.MISSING
    assert any("Explore and report is in place (100/100)" in note and "Store" in note
               for note in result.inconsistencies)


def test_unknown_answers_never_raise_an_inconsistency() -> None:
    answers = {qid: best(qid) for lv in ("report", "label") for qid in level_questions(lv)}
    answers |= {qid: "dk" for lv in ("collect", "store", "move") for qid in level_questions(lv)}
    result = scored(answers)
    assert result.inconsistencies == ()


def test_no_product_yet_means_not_yet() -> None:
    outcome = assessments.evaluate(Q, {"service_users": "pre_launch", "collect_activity": "not_yet"})
    rec = outcome.to_dict()["recommendation"]
    assert rec["first_hire"] is None and rec["not_yet"] is True
    assert "nobody uses your product or service yet" in rec["reasons"][0]["text"].lower()
    assert "first hire is in place" not in outcome.recommendation.runner_up_reason
    assert outcome.recommendation.headline.startswith("Not yet")


def test_hidden_conditional_answers_do_not_count() -> None:
    base = {qid: best(qid) for qid in level_questions("learn")} | {"learn_models": "none"}
    with_hidden = base | {"deploy_serving": "platform", "deploy_ci": "ci_cd"}
    assert scored(with_hidden).level("deploy").score is None
    shown = scored(base | {"learn_models": "several", "deploy_serving": "platform"}).level("deploy")
    assert shown.known_score == 100 and shown.high == 100 and shown.known == 1


def test_blockers_come_with_the_answer_that_raised_them() -> None:
    result = scored({"mud_department_access": "some_refuse"})
    [blocker] = result.blockers
    assert blocker.id == "access_refused"
    assert blocker.evidence.question_id == "mud_department_access"
    assert "unwilling" in blocker.detail


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"headcount": "9"}, "question 'headcount': '9' is not an option; allowed: under_10,"),
        ({"headcount": -1}, "question 'headcount': -1 is not an option"),
        ({"nonsense": "x"}, "question 'nonsense': no such question"),
        ({"data_people": "ten"}, "question 'data_people': 'ten' is not a number"),
        ({"data_people": -3}, "must be at least 0"),
        ({"main_question": "x" * 501}, "at most 500 characters"),
    ],
)
def test_bad_answers_name_the_question_and_what_is_allowed(answers: dict, message: str) -> None:
    with pytest.raises(AnswerError) as error:
        clean_answers(Q, answers)
    assert message in str(error.value)


def test_nul_bytes_are_replaced_and_other_text_kept() -> None:
    text = "Sales \x00 📈 مرحبا " + "x" * 300
    assert clean_answers(Q, {"main_question": text})["main_question"] == text.replace("\x00", "\ufffd")


def test_every_persona_scores_with_reasons_citing_real_questions() -> None:
    for name in personas.NAMES:
        result = assessments.evaluate(Q, personas.answers(name)).to_dict()
        for reason in result["recommendation"]["reasons"]:
            for e in reason["evidence"]:
                assert Q.question(e["question_id"]) is not None


def test_evaluate_from_many_threads_at_once_matches_one_thread() -> None:
    """`make run` serves with threads; evaluate() keeps no shared state that threads could corrupt."""
    import threading

    answer_sets = [personas.answers(name) | {"main_question": f"Question {i}"}
                   for i in range(300) for name in personas.NAMES[:2]]
    expected = [assessments.evaluate(Q, a).to_dict() for a in answer_sets]
    failures: list[BaseException] = []
    results: dict[int, dict] = {}

    def work(offset: int) -> None:
        try:
            for i in range(offset, len(answer_sets), 8):
                results[i] = assessments.evaluate(Q, answer_sets[i]).to_dict()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert [results[i] for i in range(len(answer_sets))] == expected
