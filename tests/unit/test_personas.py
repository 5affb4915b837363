"""Acceptance: the six example organisations reach the outcome the brief describes."""

from __future__ import annotations

import pytest

import assessments
from tests import personas


def outcome(name: str) -> dict:
    return assessments.evaluate(assessments.current(), personas.answers(name)).to_dict()


# name: (lowest stage, highest stage, first hire)
EXPECTED = {
    "p1_online_shop": (0, 1, "data_engineer"),
    "p2_media_company": (3, 3, "data_analyst"),
    "p3_retailer": (4, 5, "data_scientist"),
    "p4_logistics": (5, 6, "ml_engineer"),
    "p5_search": (7, 7, "ml_researcher"),
    "p6_mixed_unsure": (0, 2, "data_engineer"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_stage_band_and_first_hire(name: str) -> None:
    low, high, hire = EXPECTED[name]
    result = outcome(name)
    assert low <= result["stage"]["index"] <= high
    assert result["recommendation"]["first_hire"] == hire
    assert result["recommendation"]["runner_up"] not in (None, hire)


def test_p1_is_a_generalist_and_ml_is_premature_against_leadership_hopes() -> None:
    result = outcome("p1_online_shop")
    rec = result["recommendation"]
    assert rec["generalist"] is True
    premature = {p["role"]: p["reason"] for p in rec["premature"]}
    assert {"data_scientist", "ml_engineer", "ml_scientist"} <= set(premature)
    assert "Move" in premature["data_scientist"]
    assert any("within six months" in e for e in result["expectations"])
    cited = {e["question_id"] for r in rec["reasons"] for e in r["evidence"]}
    assert cited & {"collect_events", "collect_transactions", "store_location"}


def test_p2_reasons_cite_missing_reporting() -> None:
    rec = outcome("p2_media_company")["recommendation"]
    first = rec["reasons"][0]
    assert "Explore and report" in first["text"]
    assert {"report_dashboards"} <= {e["question_id"] for e in first["evidence"]}


def test_p3_sees_ml_engineer_as_next_not_now_and_no_inconsistency() -> None:
    result = outcome("p3_retailer")
    assert result["stage"]["id"] in ("report", "label")
    assert result["recommendation"]["runner_up"] == "ml_engineer"
    assert result["inconsistencies"] == []


def test_p4_learning_holds_but_deployment_does_not() -> None:
    levels = {lv["id"]: lv for lv in outcome("p4_logistics")["levels"]}
    assert levels["learn"]["reached"] and not levels["deploy"]["reached"]


def test_p5_holds_every_level() -> None:
    result = outcome("p5_search")
    assert all(lv["reached"] for lv in result["levels"])
    assert result["recommendation"]["premature"] == []


def test_p6_low_confidence_access_blocker_and_cautious_reasoning() -> None:
    result = outcome("p6_mixed_unsure")
    assert result["confidence"]["label"] == "low"
    assert "access_refused" in {b["id"] for b in result["blockers"]}
    texts = " ".join(r["text"] for r in result["recommendation"]["reasons"])
    assert "unknown" in texts and "foundations" in texts
