"""Acceptance: P12 (a logistics firm whose respondent leaves a few honest unknowns) and P13 (a garden centre
chain that gives its own words), on the newest questionnaire, each read more than one reasonable way.

P12: the stage stays "in place up to Explore and report" with two unknowns, and softens but never collapses
with five. P13: a data engineer, every specific in the plan, interview and advert being one of the things it
told us; with its own-words fields empty, the same hire in neutral words, no system named at all.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import assessments
from assessments.advert import advert
from assessments.scoring import LevelState
from tests import personas

Q = assessments.current()

#: What a respondent says for questions the description leaves silent, read cautiously.
CAUTIOUS = personas.CAUTIOUS_V3

P12 = {
    "headcount": "from_250_to_999", "sector": "logistics", "service_users": "established",
    "collect_activity": "defined", "collect_transactions": "queryable", "collect_ownership": "dk",
    "collect_history": "dk", "store_location": "warehouse", "store_dictionary": "maintained",
    "move_method": "orchestrated", "move_freshness": "hour", "move_monitoring": "alert_and_owner",
    "move_quality": "everywhere", "report_dashboards": "used_weekly", "learn_models": "none",
}

#: Four or five such unknowns spread over the lower levels.
P12_MORE_UNKNOWNS = {"store_coverage": "dk", "store_access": "dk", "move_cleaning": "dk"}

P13_WORDS = {
    "own_about": "We run five garden centres and a web shop.",
    "own_systems": "Lightspeed tills, the Shopify web shop and a Google Sheet per centre for plant stock",
    "own_figure": "weekly sales per square metre",
    "own_decision": "how many bedding plants each centre will sell in May, so that fewer are thrown away",
}
P13 = {
    "headcount": "from_50_to_249", "sector": "retail", "service_users": "established", "roles_in_post": ["none"],
    "data_people": 0, "ml_expectation": ["predictions"], "store_location": "scattered", "move_method": "by_hand",
    "learn_models": "none",
}
#: Things the garden centre never mentioned: none may appear as theirs.
NEVER_SAID = ("payment", "order", "loyalty", "footfall", "subscription", "patient", "claim", "billing", "crm")


def answered(facts: dict[str, Any], how: str) -> dict[str, Any]:
    """The facts, and the silences filled the `how` way, as the example organisations are read."""
    return personas._fill(Q, facts, CAUTIOUS, how)


def everything_said(outcome: assessments.Outcome, name: str, *, quotes: bool = False) -> str:
    """Every sentence Groundwork writes about the organisation, less what it quotes (in “quotes”: the
    questions, and own words set off as typed) unless `quotes`."""
    rec = outcome.recommendation
    parts = [rec.headline, outcome.story.lead, *(r.text for r in rec.reasons), *(s.text for s in rec.plan),
             *rec.screen_for, *rec.interview_questions, *rec.expectations, advert(outcome, name).markdown()]
    text = "\n".join(parts)
    return text if quotes else re.sub("“[^”]*”", "", text)


@pytest.mark.parametrize("how", ["cautious", "unsure"])
def test_p12_two_unknowns_keep_the_stage_up_to_explore_and_report(how: str) -> None:
    outcome = assessments.evaluate(Q, answered(P12, how))
    scored = outcome.scored
    assert scored.stage == 4, outcome.story.lead
    assert scored.next_level.level.id == "label"
    collect = scored.level("collect")
    assert collect.state.counts and collect.unknown >= 2 and collect.low < collect.high
    assert "The pyramid is in place up to Explore and report" in outcome.story.lead


@pytest.mark.parametrize("how", ["cautious", "unsure"])
def test_p12_with_five_unknowns_softens_but_never_collapses(how: str) -> None:
    outcome = assessments.evaluate(Q, answered(P12 | P12_MORE_UNKNOWNS, how))
    scored = outcome.scored
    assert scored.stage >= 3, outcome.story.lead
    assert "no level" not in outcome.story.lead.lower()
    assert all(ls.state is not LevelState.MISSING for ls in scored.levels[:4])


@pytest.mark.parametrize("how", ["cautious", "unsure"])
def test_p13_own_words_are_the_only_specifics(how: str) -> None:
    outcome = assessments.evaluate(Q, answered(P13 | P13_WORDS, how))
    rec = outcome.recommendation
    assert rec.first_hire is not None and rec.first_hire.id == "data_engineer", rec.headline
    text = everything_said(outcome, "Green Thumb Garden Centres")
    assert "Lightspeed tills" in everything_said(outcome, "Green Thumb Garden Centres", quotes=True)
    assert "weekly sales per square metre" in text
    lowered = text.lower()
    for word in NEVER_SAID:
        assert word not in lowered, word


@pytest.mark.parametrize("how", ["cautious", "unsure"])
def test_p13_without_own_words_reads_neutrally_with_the_same_hire(how: str) -> None:
    outcome = assessments.evaluate(Q, answered(P13, how))
    rec = outcome.recommendation
    assert rec.first_hire is not None and rec.first_hire.id == "data_engineer", rec.headline
    lowered = everything_said(outcome, "Green Thumb Garden Centres").lower()
    for word in (*NEVER_SAID, "lightspeed", "shopify", "google sheet", " tills", "plant stock"):
        assert word not in lowered, word
