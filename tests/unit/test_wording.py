"""The wording defects the persona reviews found (session 4): own words that sit well in sentences, tools
named only when in use and never as form labels, the size said as prose, counts that agree, the charts in
one order, and first months that follow from what each organisation said."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

import assessments
from app.reports import charts
from assessments.advert import advert
from assessments.wording import Words
from assessments.wording import phrasebook as say
from tests import personas

V3 = assessments.current()
SVG = "{http://www.w3.org/2000/svg}"


def evaluate(key: str, **extra):  # type: ignore[no-untyped-def]
    return assessments.evaluate(V3, personas.reading(key, "cautious") | extra, borderline=False)


def section(outcome: assessments.Outcome, title: str, name: str = "Acme") -> str:
    found = next(s for s in advert(outcome, name).sections if s.title == title)
    return " ".join((*found.paragraphs, *found.items))


# --- 1. own words in sentences ------------------------------------------------------------------------------

def test_a_leading_capital_is_lowered_only_for_an_ordinary_word_and_names_stay() -> None:
    assert Words.of({"own_figure": "Monthly churn"}).phrases()["figure"] == "monthly churn"
    assert Words.of({"own_records": "Orders and refunds"}).phrases("the")["records"] == "the orders and refunds"
    for systems in ("Stripe and HubSpot", "SAP and Salesforce", "HubSpot"):
        assert Words.of({"own_systems": systems}).phrases()["sources"] == systems
    # A capital that may be a name or not is never lowered: it is quoted as typed.
    assert Words.of({"own_records": "Stripe payments"}).phrases("our")["records"] == \
        "our records (\u201cStripe payments\u201d)"
    assert Words.of({"own_figure": "Monthly Recurring Revenue"}).phrases()["figure"] == \
        "the figure leadership watches (\u201cMonthly Recurring Revenue\u201d)"  # a title keeps its capitals
    assert Words.of({"own_figure": "NPS by region"}).phrases()["figure"] == "NPS by region"
    assert Words.of({"own_records": "The Shopify orders"}).phrases("our")["records"] == "the Shopify orders"


def test_own_words_in_several_parts_are_set_off_in_quotes_not_run_into_the_sentence() -> None:
    words = Words.of({"own_systems": "Subscriptions and payments in Stripe; customer records in HubSpot",
                      "own_records": "orders\nrefunds"})
    assert words.phrases("the")["sources"] == \
        "the systems (\u201cSubscriptions and payments in Stripe; customer records in HubSpot\u201d)"
    assert words.phrases("our")["records"] == "our records (\u201corders; refunds\u201d)"
    rec = evaluate("p1", **words.given()).recommendation
    plan = " ".join(rec.first_90_days)
    assert "load the Subscriptions" not in plan and "into it first" in plan
    assert "who owns it" not in plan and "who owns each" in plan  # agrees with a list of systems


# --- 2 and 3. tools -------------------------------------------------------------------------------------------

def test_no_tool_is_named_unless_the_answers_say_it_is_in_use() -> None:
    for key in ("p1", "p2", "p3", "p4", "p5"):
        lines = " ".join(evaluate(key).recommendation.screen_for)
        for product in ("Python", " R ", "Tableau", "Spark", "Excel"):
            assert product not in lines, (key, product)
    lines = evaluate("p1", tools=["python", "bigquery"]).recommendation.screen_for
    assert "Hands-on experience with the tools in use here: Python and BigQuery" in lines
    assert not any("programming language" in line or "warehouse or database" in line for line in lines)


def test_a_ticked_option_is_said_as_what_it_means_never_as_its_label() -> None:
    lines = evaluate("p2", tools=["excel", "dbt_airflow"]).recommendation.screen_for
    text = " ".join(lines)
    assert "Hands-on experience with the tools in use here: spreadsheets and a pipeline or orchestration tool" \
        in lines
    assert "Excel or Google Sheets" not in text and "\u201c" not in text


# --- 4. about us ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["p1", "p2", "p3", "p8"])
def test_about_us_says_the_size_as_prose_never_the_band(key: str) -> None:
    about = section(evaluate(key), "About us")
    assert not any(c.isdigit() for c in about.replace("1,000", "")), about
    assert "organisation" in about or "team" in about
    own = section(evaluate(key, own_about="We publish three regional newspapers"), "About us")
    assert own == "We publish three regional newspapers."


# --- 5. whom the hire joins -------------------------------------------------------------------------------------

def test_whom_the_hire_joins_agrees_with_the_counts_the_answers_give() -> None:
    two = evaluate("p7", people_data_analyst=2)
    assert section(two, "Whom you will join") == "You will join our two data analysts."
    assert any(r.text.startswith("You already have two data analysts.") for r in two.recommendation.reasons)
    one = evaluate("p7")  # one person on data, and the analyst ticked: one analyst
    assert section(one, "Whom you will join") == "You will join our data analyst."
    assert any(r.text.startswith("You already have a data analyst.") for r in one.recommendation.reasons)
    # Two people on data, only an engineer ticked: the count is not the engineers'.
    assert section(evaluate("p2"), "Whom you will join") == \
        "You will join the two people who work mainly on data here, among them a data engineer."


# --- 7. counts --------------------------------------------------------------------------------------------------

def test_counts_are_in_words_when_small_and_agree_with_their_noun() -> None:
    assert [say.count(n, "blocker") for n in (1, 2, 10, 12)] == ["one blocker", "two blockers", "ten blockers",
                                                                   "12 blockers"]
    assert say.count(2, "pair of answers") == "two pairs of answers"
    assert say.team([("Data analyst", 2), ("Statistician", 1)], None, "our") == \
        "our two data analysts and our statistician"


# --- 8. the charts read in one order ----------------------------------------------------------------------------

def _titles_top_down(svg_text: str, titles: list[str]) -> list[str]:
    svg = ET.fromstring(svg_text)
    found = [(float(t.get("y")), t.text or "") for t in svg.iter(f"{SVG}text")]
    ordered = [text for _, text in sorted(found)]
    return [next(title for title in titles if text.startswith(title)) for text in ordered
            if any(text.startswith(title) for title in titles)]


@pytest.mark.parametrize("key", ["p1", "p4", "p11"])
def test_the_bars_list_the_levels_top_down_like_the_pyramid(key: str) -> None:
    scored = evaluate(key).scored
    titles = sorted((ls.level.title for ls in scored.levels), key=len, reverse=True)  # longest prefix first
    pyramid = _titles_top_down(str(charts.pyramid(scored)), titles)
    bars = _titles_top_down(str(charts.level_scores(scored)), titles)
    assert pyramid == bars == [ls.level.title for ls in reversed(scored.levels)]


# --- 10. first months from what the answers say ----------------------------------------------------------------

def test_a_data_engineer_s_first_months_follow_what_each_organisation_said() -> None:
    shop, clinics = evaluate("p1").recommendation, evaluate("p9").recommendation
    assert shop.first_hire.id == clinics.first_hire.id == "data_engineer"
    own = [s for s in clinics.plan if s.text not in shop.first_90_days]
    assert len(own) >= 2  # where the data sits, the department that will not share
    assert all(step.evidence for step in own), [s.text for s in own]
    text = " ".join(clinics.first_90_days)
    assert "each application's own database" in text and "not shared so far" in text
    assert "spreadsheets and exported files" in " ".join(shop.first_90_days)
    with_analyst = evaluate("p7").recommendation  # a data engineer joins the analyst in post
    step = next(s for s in with_analyst.plan if "people in post who report on data" in s.text)
    assert [e.question_id for e in step.evidence] == ["roles_in_post"]
    assert not any("people in post" in text for text in shop.first_90_days)  # nobody is in post at the shop


def test_strengthening_the_team_says_only_what_the_answers_say() -> None:
    team = {"roles_in_post": ["data_analyst", "statistician"], "ml_expectation": ["predictions", "reporting"],
            "learn_models": "none"}
    outcome = evaluate("p3", **team)
    rec = outcome.recommendation
    assert rec.strengthen, rec.headline
    text = " ".join(rec.first_90_days)
    assert "whoever forecasts" not in text and "by hand" not in text  # nobody said either
    assert "Leadership wants forecasts" in text
    assert "among them a data analyst and a statistician, already do that work" in rec.reasons[0].text
    by_hand = evaluate("p3", **team, report_dashboards="spreadsheets").recommendation
    assert by_hand.strengthen
    assert any("by hand in spreadsheets" in s.text and s.evidence for s in by_hand.plan)


@pytest.mark.parametrize("key", ["p1", "p2", "p3", "p4", "p5", "p11"])
def test_the_runner_up_is_conditional_on_the_level_it_needs_when_that_level_is_not_in_place(key: str) -> None:
    """A runner-up whose summary speaks of work that needs a level ("improves models that already exist")
    is said to come once that level is in place, when it is not; never when it is."""
    outcome = assessments.evaluate(assessments.current(), personas.reading(key, "cautious"), borderline=False)
    rec = outcome.recommendation
    if rec.runner_up is None or rec.runner_up.needs is None:
        return
    needs = outcome.scored.level(rec.runner_up.needs)
    once = f"once {needs.level.title} is in place"
    assert (once in rec.runner_up_reason) == (not needs.reached), rec.runner_up_reason
