"""Interview questions and legal advice speak the organisation's own sector, for every role and sector."""

from __future__ import annotations

import pytest

import assessments
from tests import personas

SECTORS = assessments.sectors().sectors
ROLES = [r.id for r in assessments.roles().roles]


def test_every_sector_any_questionnaire_offers_has_its_words() -> None:
    for questionnaire in assessments.published().values():
        for option in questionnaire.question("sector").options:
            assert option.dont_know or option.id in SECTORS, (questionnaire.version, option.id)


def _words(sector_id: str) -> set[str]:
    words = SECTORS[sector_id]
    return {words.records, words.sources, words.figure, words.outcome, words.decision}


@pytest.mark.parametrize("sector_id", sorted(SECTORS))
@pytest.mark.parametrize("role_id", ROLES)
def test_interview_questions_use_this_sector_s_examples_and_no_other(role_id: str, sector_id: str) -> None:
    role = assessments.roles().get(role_id)
    words = SECTORS[sector_id].model_dump()
    for template in role.interview_questions:
        text = template.format_map(words)
        assert "{" not in text and "}" not in text
        for other in SECTORS:
            if other == sector_id:
                continue
            for phrase in _words(other) - _words(sector_id):
                assert phrase not in text, (role_id, sector_id, other, phrase)


def test_the_recommendation_carries_the_sector_s_words_and_its_legal_note() -> None:
    answers = personas.reading("p9", "cautious")  # a clinic group
    rec = assessments.evaluate(assessments.current(), answers).recommendation
    assert any("patient records" in q for q in rec.interview_questions)
    assert "Patient records are health data" in rec.sector_legal
    retail = assessments.evaluate(assessments.current(), answers | {"sector": "retail"}).recommendation
    assert not any("patient" in q for q in retail.interview_questions)


def test_screening_names_the_tools_in_use_and_reads_well() -> None:
    answers = personas.reading("p2", "cautious") | {"tools": ["snowflake", "looker"]}
    rec = assessments.evaluate(assessments.current(), answers).recommendation
    assert "Hands-on experience with the tools you use: Snowflake, Looker or Looker Studio" in rec.screen_for
    assert not any("with A " in line for line in rec.screen_for)
    engineer = assessments.evaluate(assessments.current(), personas.reading("p1", "cautious")).recommendation
    assert any("Strong SQL" in line for line in engineer.screen_for)
    assert not any(line.endswith("with SQL") for line in engineer.screen_for)  # already a skill


def test_two_organisations_with_the_same_hire_get_their_own_plan_and_interview() -> None:
    """A shop and a clinic group both need a data engineer first: the advice must still be theirs."""
    shop = assessments.evaluate(assessments.current(), personas.reading("p1", "cautious")).recommendation
    clinics = assessments.evaluate(assessments.current(), personas.reading("p9", "cautious")).recommendation
    assert shop.first_hire.id == clinics.first_hire.id == "data_engineer"
    role_steps = [s.text for s in shop.plan if not s.text.startswith("With leadership, remove a blocker")]
    assert role_steps and not set(role_steps) & {s.text for s in clinics.plan}
    assert not set(shop.interview_questions) & set(clinics.interview_questions)
    assert set(shop.screen_for) != set(clinics.screen_for)
