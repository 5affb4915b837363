"""Only what they told us: role texts take the organisation's own words or neutral ones, and a sector
adds only what is true of every organisation in it (its legal note)."""

from __future__ import annotations

import re

import pytest

import assessments
from assessments.wording import Words
from tests import personas
from tests.audit import DOUBLED, sector_nouns

SECTORS = assessments.sectors().sectors
ROLES = assessments.roles().roles
V3 = assessments.current()

OWN = Words(about="We bake bread and cakes in six shops", systems="Shopify, Xero and a stock spreadsheet",
            records="orders and stock counts", figure="weekly sales by shop",
            models="churn for retention offers; pricing", decision="how much stock to order each week")


def test_every_sector_any_questionnaire_offers_has_its_legal_note() -> None:
    for questionnaire in assessments.published().values():
        for option in questionnaire.question("sector").options:
            assert option.dont_know or option.id in SECTORS, (questionnaire.version, option.id)


def _templates(role: assessments.schema.Role) -> list[str]:
    items = (*role.first_90_days, *role.skills, *role.interview_questions)
    return [item if isinstance(item, str) else item.text for item in items]


@pytest.mark.parametrize("words", [Words(), OWN], ids=["neutral", "own words"])
@pytest.mark.parametrize("voice", ["our", "your", "the"])
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.id)
def test_role_texts_read_well_in_own_and_neutral_words(role, voice: str, words: Words) -> None:
    for template in _templates(role):
        text = words.fill(template, voice)  # type: ignore[arg-type]
        assert "{" not in text and "}" not in text, text
        assert not DOUBLED.search(text), text
        assert not re.search(r"\b(the|a|an|our|your) (the|a|an|our|your)\b", text), text
        if words == Words():  # neutral words invent nothing a sector would have
            assert not sector_nouns(text.lower(), ""), text


def test_own_words_are_used_where_given_and_neutral_words_elsewhere() -> None:
    phrases = OWN.phrases("our")
    assert phrases["records"] == "our orders and stock counts"
    assert phrases["sources"] == "Shopify, Xero and a stock spreadsheet"
    assert Words.of({"own_records": "Our sales ledger"}).phrases("your")["records"] == "your sales ledger"
    assert Words.of({"own_records": " The till  rolls. "}).phrases("our")["records"] == "the till rolls"
    assert Words.of({"own_systems": "Shopify and Xero"}).phrases()["sources"] == "Shopify and Xero"
    neutral = Words().phrases("your")
    assert neutral == {"records": "your most important records", "sources": "your main systems",
                       "figure": "the figure leadership watches most", "models": "your models",
                       "decision": "a decision you make often"}


def _with_own_words(key: str, words: Words) -> assessments.recommend.Recommendation:
    """An example organisation on the newest questionnaire, giving its own words."""
    answers = personas.reading(key, "cautious")
    return assessments.evaluate(assessments.current(), answers | words.given(), borderline=False).recommendation


def test_an_organisation_s_own_words_reach_its_plan_interview_and_screening() -> None:
    rec = _with_own_words("p1", OWN)  # a small shop that needs a data engineer first
    plan = " ".join(rec.first_90_days)
    assert "Shopify, Xero and a stock spreadsheet" in plan and "weekly sales by shop" in plan
    assert "the orders and stock counts" in plan
    assert any("our orders and stock counts" in q for q in rec.interview_questions)
    assert "Has worked with records like ours (\u201corders and stock counts\u201d) and with systems like ours " \
           "(\u201cShopify, Xero and a stock spreadsheet\u201d)" in rec.screen_for
    cited = {e.question_id for step in rec.plan for e in step.evidence}
    assert {"own_systems", "own_records", "own_figure"} <= cited  # each sentence knows what it rests on
    neutral = _with_own_words("p1", Words())
    assert "the main systems" in " ".join(neutral.first_90_days)


def test_without_own_words_nothing_is_invented() -> None:
    for key in ("p1", "p9"):  # a shop and a clinic group: both need a data engineer first
        rec = assessments.evaluate(V3, personas.reading(key, "cautious")).recommendation
        text = " ".join((*rec.first_90_days, *rec.interview_questions, *rec.screen_for)).lower()
        for word in ("patient", "till", "shop", "stock", "order", "billing", "crm", "years of"):
            assert word not in text.replace("which products should we recommend to each customer", ""), (key, word)


def test_the_legal_note_is_the_sector_s_and_only_where_the_sector_is_known() -> None:
    answers = personas.reading("p9", "cautious")  # a clinic group
    rec = assessments.evaluate(V3, answers).recommendation
    assert rec.sector_legal == SECTORS["health"].legal
    assert assessments.evaluate(V3, answers | {"sector": "retail"}).recommendation.sector_legal == \
        SECTORS["retail"].legal


def test_screening_names_the_tools_in_use_and_reads_well() -> None:
    answers = personas.reading("p2", "cautious") | {"tools": ["snowflake", "looker"]}
    rec = assessments.evaluate(V3, answers).recommendation
    assert "Hands-on experience with the tools in use here: Snowflake and Looker" in rec.screen_for
    assert not any("with A " in line for line in rec.screen_for)
    assert len(set(rec.screen_for)) == len(rec.screen_for)
    python = assessments.evaluate(V3, personas.reading("p1", "cautious") | {"tools": ["python"]}).recommendation
    assert not any(line == "Hands-on experience with Python" for line in python.screen_for)  # named already
    engineer = assessments.evaluate(V3, personas.reading("p1", "cautious")).recommendation
    assert "Strong SQL" in engineer.screen_for
    assert not any(line.endswith("with SQL") for line in engineer.screen_for)  # already a skill


def test_scale_skills_only_where_the_answers_say_the_data_is_large() -> None:
    small = assessments.evaluate(V3, personas.reading("p1", "cautious")).recommendation
    assert not any("memory" in line or "distributed" in line for line in small.screen_for)
    assert not any("memory" in q for q in small.interview_questions)
    large = assessments.evaluate(V3, personas.reading("p1", "cautious") | {"store_scale": "at_limit"})
    assert any("too large for one machine's memory" in line for line in large.recommendation.screen_for)


def test_own_words_reach_the_advert_and_stay_with_their_organisation() -> None:
    from assessments.advert import advert

    clinic_words = Words(about="We run nine clinics", systems="EMIS and a rota spreadsheet",
                         records="referrals and waiting lists", figure="patients waiting over 18 weeks")
    shop = assessments.evaluate(V3, personas.reading("p1", "cautious") | OWN.given(), borderline=False)
    clinics = assessments.evaluate(V3, personas.reading("p9", "cautious") | clinic_words.given(), borderline=False)
    def everything(ad) -> str:  # type: ignore[no-untyped-def]
        """The advert and its hiring pack (how we interview names the records)."""
        pack = (text for section in ad.internal for text in (*section.paragraphs, *section.items))
        return ad.markdown() + "\n".join(pack)

    shop_ad, clinic_ad = everything(advert(shop, "Crumb & Co")), everything(advert(clinics, "Nine Clinics"))
    assert "We bake bread and cakes in six shops." in shop_ad and "our orders and stock counts" in shop_ad
    assert "We run nine clinics." in clinic_ad and "EMIS and a rota spreadsheet" in clinic_ad
    for text in (OWN.records, OWN.systems, OWN.figure, OWN.about):
        assert text not in clinic_ad
    for text in (clinic_words.records, clinic_words.systems, clinic_words.figure):
        assert text not in shop_ad
