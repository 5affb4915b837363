"""Demo data: an organisation whose three quarterly assessments show progress.

The first is a shop on spreadsheets (hire a data engineer); a quarter later
the data engineer has built a warehouse and pipelines (hire an analyst); a
quarter after that, with an analyst in post, dashboards and experiments run
(hire a data scientist). Labels name the calendar quarter of each date, so
"Q2 2026" is never dated November. The latest assessment has a read-only
share link: the landing page's sample result.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from werkzeug.security import generate_password_hash

import assessments
from assessments.answers import clean_answers

from ..extensions import db
from ..models import AnswerRow, Assessment, Membership, Organisation, ShareLink, User, utcnow
from . import commit

EMAIL = "demo@groundwork.example"
PASSWORD = "groundwork-demo"  # noqa: S105 - a published demo login, printed by `groundwork demo`
ORGANISATION = "Northwind Outfitters"

QUARTER_1 = {
    "headcount": "from_10_to_49", "sector": "retail", "service_users": "established", "data_people": 0,
    "roles_in_post": ["none"],
    "ml_expectation": "ai_product", "ml_deadline": "within_12_months",
    "main_question": "Which customers are about to stop buying?",
    "collect_activity": "few", "collect_transactions": "vendor_dashboards", "collect_ownership": "some_sources",
    "collect_history": "years", "store_location": "spreadsheets", "store_dictionary": "none",
    "store_access": "days", "store_scale": "at_limit", "move_method": "by_hand", "move_freshness": "month",
    "move_quality": "none", "move_cleaning": "most", "report_dashboards": "spreadsheets",
    "report_metrics": "disputed", "report_turnaround": "weeks", "report_experiments": "never",
    "report_statistics": "no", "label_outcomes": "partly", "label_datasets": "none", "label_workflow": "no_way",
    "label_feedback": "possible", "learn_models": "none", "learn_baseline": "no", "mud_data_map": "partly",
    "mud_department_access": "slowly", "mud_legal": "partly", "mud_compute": "yes",
    "mud_secure_environment": "no", "mud_leadership": "interested", "mud_interpretation": "often_misread",
    "mud_right_data": "partly", "mud_production_path": "with_effort", "mud_ml_fit": "assumed",
    "mud_scope": "all_urgent",
}
QUARTER_2 = QUARTER_1 | {
    "data_people": 1, "roles_in_post": ["data_engineer"], "collect_activity": "most",
    "collect_transactions": "queryable",
    "collect_ownership": "most_sources", "store_location": "warehouse", "store_coverage": "most",
    "store_dictionary": "partial", "store_scale": "scales", "move_method": "scheduled", "move_freshness": "day",
    "move_monitoring": "alert", "move_quality": "key_tables", "move_cleaning": "some", "mud_data_map": "yes",
    "mud_legal": "owned", "mud_secure_environment": "yes",
}
QUARTER_3 = QUARTER_2 | {
    "data_people": 2, "roles_in_post": ["data_engineer", "data_analyst"], "store_dictionary": "maintained",
    "move_method": "orchestrated",
    "move_monitoring": "alert_and_owner", "report_dashboards": "used_weekly", "report_metrics": "documented",
    "report_turnaround": "days", "report_experiments": "regularly", "report_statistics": "one_person",
    "label_outcomes": "recorded_linked", "label_datasets": "some", "label_workflow": "not_needed",
    "label_feedback": "partly", "learn_baseline": "measured", "mud_interpretation": "mostly",
    "mud_ml_fit": "yes", "mud_scope": "mostly",
}
#: What each assessment was for; its label starts with the calendar quarter it is dated in.
QUARTERS = [("baseline", QUARTER_1), ("after our data engineer joined", QUARTER_2), ("review", QUARTER_3)]


def label_for(when: datetime, purpose: str) -> str:
    """"Q4 2026 review": the quarter and year of the date, then what the assessment was for."""
    return f"Q{(when.month - 1) // 3 + 1} {when.year} {purpose}"


@dataclass(frozen=True)
class Created:
    organisation: str
    email: str
    password: str
    assessments: int


def create(*, if_empty: bool = False) -> Created | None:
    """One transaction: the account, the organisation and its assessments all exist, or none does."""
    if if_empty and db.session.execute(db.select(User.id).limit(1)).first() is not None:
        return None
    user = db.session.execute(db.select(User).filter_by(email=EMAIL)).scalar_one_or_none()
    if user is None:
        # Confirmed: a published demo login has no mailbox to confirm.
        user = User(email=EMAIL, password_hash=generate_password_hash(PASSWORD), email_verified_at=utcnow())
        db.session.add(user)
    organisation = Organisation(name=ORGANISATION)
    db.session.add_all([organisation, Membership(user=user, organisation=organisation, role="owner")])
    questionnaire = assessments.current()
    now = utcnow()
    try:
        for index, (purpose, answers) in enumerate(QUARTERS):
            when = now - timedelta(days=91 * (len(QUARTERS) - 1 - index))
            latest = Assessment(
                token=secrets.token_urlsafe(24), start_key=secrets.token_urlsafe(24),
                organisation_name=ORGANISATION, organisation=organisation, created_by=user,
                label=label_for(when, purpose),
                questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version,
                last_section=questionnaire.sections[-1].id, created_at=when, updated_at=when, completed_at=when,
                answer_rows=[AnswerRow(question_id=q, value=v)
                             for q, v in clean_answers(questionnaire, answers).items()])
            db.session.add(latest)
        db.session.flush()
        db.session.add(ShareLink(assessment_id=latest.id, token=secrets.token_urlsafe(24)))
    except Exception:
        db.session.rollback()
        raise
    commit()
    return Created(ORGANISATION, EMAIL, PASSWORD, len(QUARTERS))


def exists() -> bool:
    """Whether the demo account is in the database (`make run` prints its sign-in every time)."""
    return db.session.execute(db.select(User.id).filter_by(email=EMAIL)).first() is not None


def ensure_sample() -> None:
    """Give a demo made before samples existed its read-only link (the landing page links to it)."""
    if sample_share_token() is not None:
        return
    latest = db.session.execute(
        db.select(Assessment.id).join(User, Assessment.created_by_id == User.id)
        .where(User.email == EMAIL, Assessment.completed_at.is_not(None), Assessment.round_id.is_(None))
        .order_by(Assessment.created_at.desc()).limit(1)).scalar_one_or_none()
    if latest is not None:
        db.session.add(ShareLink(assessment_id=latest, token=secrets.token_urlsafe(24)))
        commit()


def sample_share_token() -> str | None:
    """The read-only link of the demo organisation's latest assessment: the landing page's sample result.

    None when there is no demo (a production database), so the landing page offers no sample."""
    return db.session.execute(
        db.select(ShareLink.token).join(Assessment, ShareLink.assessment_id == Assessment.id)
        .join(User, Assessment.created_by_id == User.id)
        .where(User.email == EMAIL, ShareLink.revoked_at.is_(None), Assessment.completed_at.is_not(None))
        .order_by(Assessment.created_at.desc(), ShareLink.id).limit(1)).scalar_one_or_none()
