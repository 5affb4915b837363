"""P14, three people and one insurer: the example organisation answered as a team.

400 staff, insurance. The CTO says pipelines are scheduled and monitored and the key figures are
documented. The finance director says the figures are disputed every month and dashboards are barely
used. The head of claims does not know about pipelines and says claim outcomes are recorded for years.
All three say there are no models, and that leadership wants to predict which claims need a specialist.

The finance director, like the head of claims, does not speak to how data is stored and moved: in
every reading those answers are "don't know" (the CTO's are the only known ones). Each respondent's
other silences are filled the two ways the other examples are read (`personas.READINGS`):
"cautious" (a modest answer) and "unsure" ("don't know"). A third reading puts the finance director in a
business seat rather than leadership: the seat must not decide what is disputed.
"""

from __future__ import annotations

from typing import Any

from tests import personas

#: What all three say.
COMMON: dict[str, Any] = {
    "headcount": "from_250_to_999", "sector": "insurance", "service_users": "established",
    "learn_models": "none", "ml_expectation": ["automate"],
}

#: (seat, name, facts) of each respondent.
RESPONDENTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("technical", "Chief technology officer", {
        **COMMON, "roles_in_post": ["data_engineer"], "store_location": "warehouse", "move_method": "scheduled",
        "move_monitoring": "alert_and_owner", "report_metrics": "documented"}),
    ("leadership", "Finance director", {
        **COMMON, **{q: "dk" for q in ("store_location", "move_method", "move_monitoring")},
        "report_metrics": "disputed", "report_dashboards": "some"}),
    ("business", "Head of claims", {
        **COMMON, "move_method": "dk", "move_freshness": "dk", "move_monitoring": "dk", "move_quality": "dk",
        "label_outcomes": "recorded", "collect_history": "years"}),
)

READINGS = (*personas.READINGS, "finance_in_business")

#: Required questions that version 3's cautious answers leave open, answered the cautious way. Who holds
#: which data role is for the CTO to say: the other two do not know in either reading.
CAUTIOUS: dict[str, Any] = {**personas.CAUTIOUS_V3, "roles_in_post": ["dk"], "store_location": "shared_database",
                            "move_method": "scheduled", "report_dashboards": "some",
                            "label_kept": "shared_files", "learn_baseline": "roughly"}

#: The question whose disagreement decides between an analyst and a data scientist.
DISPUTED = "report_metrics"


def respondents(how: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(seat, name, answers on the newest questionnaire) of each respondent, read the `how` way."""
    import assessments

    questionnaire = assessments.current()
    fill = "cautious" if how == "finance_in_business" else how
    found = []
    for seat, name, facts in RESPONDENTS:
        if how == "finance_in_business" and name == "Finance director":
            seat = "business"
        found.append((seat, name, personas._fill(questionnaire, facts, CAUTIOUS, fill)))
    return found


def responses(how: str) -> list[Any]:
    from assessments.team import Response

    return [Response(seat, answers, name) for seat, name, answers in respondents(how)]
