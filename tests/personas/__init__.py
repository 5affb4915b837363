"""The eleven example organisations of the product brief (P1 to P11), on questionnaire versions 2 and 3.

Each is written as the facts its description states (`facts`), plus the
questions its description is silent on. A reading fills those silences one
way: "unsure" answers "don't know" wherever the question allows it, as a
respondent who does not know would; "cautious" picks a modest answer that does
not overclaim. A good assessment reaches the organisation's outcome in both
readings. `answers(name)` gives the cautious reading under the historical
names (p1_online_shop, ...), which the web tests use.

The facts are written on version 2. On version 3 an organisation's answers
are its version 2 answers carried through version 3's explicit map (as "start
from a copy" carries them), with the new questions answered the same way: the
cautious reading picks NEW_IN_V3's answer, the unsure one "don't know". The
other new questions (own words, how many people hold each role) are optional
and left empty, as a respondent in a hurry would.

Version 1 answer files of the first six stay in tests/personas/v1/ (version 1
is frozen and still scores).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DIR = Path(__file__).parent
V1_DIR = DIR / "v1"

#: A modest, non-committal answer for every question a description may leave silent.
CAUTIOUS: dict[str, Any] = {
    "service_users": "established", "roles_in_post": ["generalist"], "ml_expectation": "nothing_specific",
    "ml_deadline": "no_date",
    "collect_activity": "most", "collect_transactions": "exports", "collect_ownership": "some_sources",
    "collect_history": "years",
    "store_location": "shared_database", "move_method": "scheduled", "report_dashboards": "some",
    "learn_models": "none",
    "store_coverage": "most", "store_dictionary": "partial", "store_access": "days", "store_scale": "some_tuning",
    "move_freshness": "day", "move_monitoring": "analyst_checks", "move_quality": "key_tables",
    "move_cleaning": "half",
    "report_metrics": "mostly", "report_turnaround": "days", "report_experiments": "informal",
    "report_statistics": "roughly",
    "label_outcomes": "partly", "label_datasets": "small", "label_kept": "shared_files", "label_workflow": "informal",
    "label_feedback": "possible",
    "learn_validation": "eyeballed", "learn_runs": "shared_notebooks", "learn_repeatable": "partly",
    "learn_baseline": "roughly",
    "ml_teams": "one", "ml_platform": "shared", "ml_design_owner": "named", "ml_abandoned": "rarely",
    "deploy_serving": "script", "deploy_ci": "some_tests", "deploy_monitoring": "logs", "deploy_retraining": "by_hand",
    "deploy_versioning": "partly", "deploy_rollout": "sometimes",
    "mud_data_map": "mostly", "mud_department_access": "slowly", "mud_legal": "partly", "mud_compute": "slow",
    "mud_secure_environment": "partly", "mud_leadership": "interested", "mud_interpretation": "mostly",
    "mud_right_data": "partly", "mud_production_path": "with_effort", "mud_ml_fit": "assumed", "mud_scope": "mostly",
}

#: The cautious answers on version 3, for examples written on it directly (P12 to P14).
CAUTIOUS_V3: dict[str, Any] = {
    "service_users": "established", "ml_expectation": ["nothing_specific"], "ml_deadline": "no_date",
    "collect_activity": "most", "collect_transactions": "exports", "collect_ownership": "some_sources",
    "collect_history": "years", "store_coverage": "most", "store_dictionary": "partial", "store_access": "days",
    "store_scale": "some_tuning", "move_freshness": "day", "move_monitoring": "analyst_checks",
    "move_quality": "key_tables", "move_cleaning": "half", "report_metrics": "mostly", "report_turnaround": "days",
    "report_experiments": "informal", "report_statistics": "roughly", "label_outcomes": "partly",
    "label_datasets": "small", "label_workflow": "informal", "label_feedback": "possible",
    "mud_data_map": "mostly", "mud_department_access": "slowly", "mud_legal": "partly", "mud_compute": "slow",
    "mud_secure_environment": "partly", "mud_leadership": "interested", "mud_interpretation": "mostly",
    "mud_right_data": "partly", "mud_production_path": "with_effort", "mud_ml_fit": "assumed", "mud_scope": "mostly",
}

#: Version 3's new required questions, answered the cautious way (the unsure reading says "don't know").
NEW_IN_V3: dict[str, Any] = {"ds_time": "mix"}

#: Facts each description states, in answers. Anything not here is silent.
FACTS: dict[str, dict[str, Any]] = {
    # P1 Online shop on spreadsheets: orders in the shop platform, payments in the provider's dashboard,
    # ad spend in exports, joined by hand monthly; no warehouse or pipelines; the founder wants AI.
    "p1": {"headcount": "from_10_to_49", "sector": "retail", "service_users": "established", "data_people": 0,
           "roles_in_post": ["none"], "ml_expectation": "ai_product", "ml_deadline": "within_6_months",
           "collect_transactions": "vendor_dashboards", "store_location": "spreadsheets", "move_method": "by_hand",
           "move_freshness": "month", "report_dashboards": "spreadsheets", "learn_models": "none",
           "main_question": "Which products should we recommend to each customer?"},
    # P2 Media company: events into a warehouse through scheduled, monitored pipelines; documented tables;
    # no dashboards; management asks why subscriptions dropped.
    "p2": {"headcount": "from_50_to_249", "sector": "media", "data_people": 2, "roles_in_post": ["data_engineer"],
           "ml_expectation": "explain", "collect_activity": "defined", "collect_transactions": "queryable",
           "store_location": "warehouse", "store_coverage": "most", "store_dictionary": "maintained",
           "move_method": "orchestrated", "move_monitoring": "alert_and_owner", "move_quality": "everywhere",
           "report_dashboards": "none", "report_turnaround": "weeks", "learn_models": "none",
           "main_question": "Why did subscriptions drop last quarter?"},
    # P3 Retailer ready to predict: warehouse, automated pipelines, weekly BI, A/B platform, purchase
    # histories usable as labels; no models; leadership wants personalised offers.
    "p3": {"headcount": "from_250_to_999", "sector": "retail", "data_people": 6,
           "roles_in_post": ["data_engineer", "data_analyst"], "ml_expectation": "predictions",
           "collect_activity": "defined", "collect_transactions": "queryable", "store_location": "warehouse",
           "store_coverage": "all", "move_method": "orchestrated", "report_dashboards": "used_weekly",
           "report_metrics": "documented", "report_experiments": "platform", "label_outcomes": "recorded_linked",
           "label_feedback": "yes", "learn_models": "none"},
    # P4 Logistics firm: good warehouse and dashboards; a delivery-time model in a notebook, re-run by hand,
    # not versioned, no API, no tests, no monitoring.
    "p4": {"headcount": "from_250_to_999", "sector": "logistics", "data_people": 5,
           "roles_in_post": ["data_engineer", "data_analyst", "data_scientist"], "ml_expectation": "production",
           "store_location": "warehouse", "store_coverage": "all", "store_dictionary": "maintained",
           "move_method": "orchestrated", "report_dashboards": "used_weekly", "report_metrics": "documented",
           "learn_models": "one_in_use", "learn_runs": "laptop", "learn_repeatable": "no",
           "deploy_serving": "rerun_by_hand", "deploy_ci": "no", "deploy_monitoring": "no",
           "deploy_versioning": "no"},
    # P5 Search company: ranking models in production behind an API, CI/CD, monitoring, scheduled retraining,
    # shadow deployments; gains stalled; they want methods beyond off-the-shelf.
    "p5": {"headcount": "from_250_to_999", "sector": "software", "data_people": 30,
           "roles_in_post": ["data_engineer", "data_analyst", "data_scientist", "ml_engineer", "ml_scientist"],
           "ml_expectation": "beyond_state_of_art", "collect_activity": "defined", "collect_transactions": "queryable",
           "collect_ownership": "all_sources", "store_location": "warehouse", "store_coverage": "all",
           "store_dictionary": "maintained", "store_access": "self_service", "store_scale": "scales",
           "move_method": "orchestrated", "move_freshness": "hour", "move_monitoring": "alert_and_owner",
           "move_quality": "everywhere", "move_cleaning": "little", "report_dashboards": "used_weekly",
           "report_metrics": "documented", "report_turnaround": "hours", "report_experiments": "platform",
           "report_statistics": "team_practice", "label_outcomes": "recorded_linked", "label_datasets": "curated",
           "label_kept": "central", "label_workflow": "managed", "label_feedback": "yes", "learn_models": "several",
           "learn_validation": "held_out_baseline", "learn_runs": "pipeline", "learn_repeatable": "yes",
           "learn_baseline": "tracked", "ml_teams": "one", "ml_design_owner": "named", "ml_abandoned": "rarely",
           "deploy_serving": "platform", "deploy_ci": "ci_cd", "deploy_monitoring": "alerts",
           "deploy_retraining": "scheduled", "deploy_versioning": "automated", "deploy_rollout": "always",
           "mud_ml_fit": "yes"},
    # P6 Mixed and unsure: some data in a cloud database, some in spreadsheets; does not know whether
    # pipelines are automated; "don't know" to most labelling and deployment; two departments will not share.
    "p6": {"headcount": "from_10_to_49", "sector": "other", "data_people": 1, "roles_in_post": ["generalist"],
           "ml_expectation": "dk", "store_location": "shared_database", "store_coverage": "few", "move_method": "dk",
           "move_monitoring": "dk", "move_quality": "dk", "report_dashboards": "some", "label_outcomes": "dk",
           "label_datasets": "dk", "label_workflow": "dk", "label_feedback": "dk", "learn_models": "dk",
           "mud_department_access": "some_refuse"},
    # P7 Subscription business whose analyst does the plumbing: exports billing and CRM into spreadsheets,
    # nurses a cron script; two dashboards disagree on churn; no warehouse, no pipelines.
    "p7": {"headcount": "from_10_to_49", "sector": "software", "data_people": 1, "roles_in_post": ["data_analyst"],
           "ml_expectation": "reporting", "collect_transactions": "exports", "store_location": "spreadsheets",
           "move_method": "manual_scripts", "move_monitoring": "whoever_notices", "move_cleaning": "most",
           "report_dashboards": "some", "report_metrics": "disputed", "learn_models": "none",
           "main_question": "What is our real churn rate, and why do customers leave?"},
    # P8 Bank with many model teams and no design: six teams, each on its own platform; several models in
    # production; projects dropped when a simple rule does as well; nobody designs ML end to end.
    "p8": {"headcount": "over_1000", "sector": "finance", "data_people": 60,
           "roles_in_post": ["data_engineer", "data_analyst", "data_scientist"],
           "ml_expectation": "predictions", "learn_models": "several", "ml_teams": "four_plus",
           "ml_platform": "per_team", "ml_design_owner": "nobody", "ml_abandoned": "often",
           "deploy_serving": "per_team_platforms", "store_location": "warehouse", "move_method": "scheduled"},
    # P9 Clinic group, first assessment: data in each clinic's system, no central store, no data map,
    # one department withholding data.
    "p9": {"headcount": "from_250_to_999", "sector": "health", "data_people": 0, "roles_in_post": ["none"],
           "ml_expectation": "reporting", "collect_transactions": "vendor_dashboards", "store_location": "scattered",
           "store_dictionary": "none", "move_method": "by_hand", "mud_data_map": "no",
           "mud_department_access": "some_refuse", "report_dashboards": "spreadsheets", "learn_models": "none"},
    # P9 a year later: a data engineer in post, a warehouse and a data map exist, pipelines half built,
    # the department now shares.
    "p9_later": {"headcount": "from_250_to_999", "sector": "health", "data_people": 1,
                 "roles_in_post": ["data_engineer"], "ml_expectation": "reporting",
                 "collect_transactions": "queryable", "store_location": "warehouse", "store_coverage": "most",
                 "store_dictionary": "partial", "move_method": "manual_scripts", "move_monitoring": "whoever_notices",
                 "move_quality": "ad_hoc", "mud_data_map": "yes", "mud_department_access": "now_share",
                 "report_dashboards": "spreadsheets", "learn_models": "none"},
    # P10 On the edge: pipelines run daily with checks by hand; dashboards for some teams; informal experiments.
    "p10": {"headcount": "from_50_to_249", "sector": "insurance", "store_location": "warehouse",
            "store_coverage": "most", "move_method": "scheduled", "move_freshness": "day",
            "move_quality": "ad_hoc", "report_dashboards": "some", "report_experiments": "informal",
            "report_metrics": "mostly", "report_turnaround": "days", "report_statistics": "one_person",
            "learn_models": "none"},
    # P11 Strong base, unknown top: warehouse, monitored pipelines, dashboards and experiments solid;
    # "don't know" to every labelling, model and deployment question.
    "p11": {"headcount": "from_250_to_999", "sector": "retail", "data_people": 8,
            "roles_in_post": ["data_engineer", "data_analyst"], "ml_expectation": "predictions",
            "collect_activity": "defined", "collect_transactions": "queryable", "collect_ownership": "most_sources",
            "store_location": "warehouse", "store_coverage": "all", "store_dictionary": "maintained",
            "store_access": "self_service", "move_method": "orchestrated", "move_monitoring": "alert_and_owner",
            "move_quality": "everywhere", "move_freshness": "day", "report_dashboards": "used_weekly",
            "report_metrics": "documented", "report_experiments": "regularly", "report_statistics": "team_practice",
            "report_turnaround": "days", "label_outcomes": "dk", "label_datasets": "dk", "label_workflow": "dk",
            "label_feedback": "dk", "learn_models": "dk"},
}

HISTORICAL = {"p1_online_shop": "p1", "p2_media_company": "p2", "p3_retailer": "p3", "p4_logistics": "p4",
              "p5_search": "p5", "p6_mixed_unsure": "p6"}
NAMES = sorted(HISTORICAL)
READINGS = ("cautious", "unsure")


def reading(key: str, how: str, version: int = 3) -> dict[str, Any]:
    """The organisation's answers on `version` (2 or 3), its silences filled the `how` way ("cautious" or
    "unsure")."""
    import assessments

    v2 = assessments.get("groundwork", 2)
    answers = _fill(v2, FACTS[key], CAUTIOUS, how)
    if version == 2:
        return answers
    target = assessments.get("groundwork", version)
    carried, new = assessments.carry_forward(answers, v2, target)
    carried.update(_fill(target, {}, {q: NEW_IN_V3[q] for q in new if q in NEW_IN_V3}, how))
    return carried


def _fill(questionnaire: Any, facts: dict[str, Any], cautious: dict[str, Any], how: str) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.id in facts:
            answers[question.id] = facts[question.id]
        elif question.id in cautious:
            dont_know = question.dont_know_option
            answers[question.id] = dont_know.id if how == "unsure" and dont_know else cautious[question.id]
    return answers


def answers(name: str) -> dict[str, Any]:
    """The cautious reading of an example organisation on the latest version, by its historical name or its
    key (p1 ... p11)."""
    return reading(HISTORICAL.get(name, name), "cautious")


def answers_v1(name: str) -> dict[str, Any]:
    """A version 1 answer file's answers (tests/personas/v1/<name>.yaml)."""
    from assessments.schema import read_yaml

    return read_yaml(V1_DIR / f"{name}.yaml")["answers"]
