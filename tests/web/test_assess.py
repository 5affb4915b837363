"""Taking an assessment through the web: saving, validation, bad input and faults."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

import assessments
from app.extensions import db
from app.models import AnswerRow, Assessment
from app.services.assessments import saved_answers
from tests import personas
from tests.web.helpers import START_KEY_RE, checked, complete, csrf, post_section, start

pytestmark = pytest.mark.db


def stored(app, token: str) -> dict:
    with app.app_context():
        row = db.session.execute(db.select(Assessment).filter_by(token=token)).scalar_one()
        return saved_answers(row)


def test_landing_page_explains_and_links_to_the_questionnaire(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "Hire the data person your organisation is ready for" in html
    assert 'href="/assessments/new"' in html


def test_double_submitting_the_start_form_creates_one_assessment(client, app) -> None:
    page = client.get("/assessments/new").get_data(as_text=True)
    data = {"csrf_token": csrf(page), "start_key": START_KEY_RE.search(page).group(1), "organisation_name": "A"}
    first = client.post("/assessments/new", data=data)
    second = client.post("/assessments/new", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Assessment.id))).scalar_one() == 1


def test_next_saves_and_moves_on_and_the_page_shows_progress(client, app) -> None:
    token = start(client)
    page = client.get(f"/assessments/{token}/sections/profile").get_data(as_text=True)
    assert "Section 1 of 12" in page
    assert f"/assessments/{token}/resume" in page
    response = post_section(client, token, "profile", {
        "headcount": "from_10_to_49", "sector": "retail", "service_users": "early",
            "roles_in_post": ["none"], "ml_expectation": "reporting"})
    assert response.headers["Location"].endswith(f"/assessments/{token}/sections/collect")
    assert stored(app, token)["headcount"] == "from_10_to_49"
    again = client.get(f"/assessments/{token}/sections/profile").get_data(as_text=True)
    assert checked(again, "headcount", "from_10_to_49")
    assert client.get(f"/assessments/{token}/resume").headers["Location"].endswith("/sections/profile")


def test_progress_counts_the_sections_that_apply_and_says_why_others_are_skipped(client, app) -> None:
    token = start(client)
    answers = personas.answers("p1_online_shop")  # no models in use
    for section in assessments.current().sections[:7]:  # up to and including the models question
        page = client.get(f"/assessments/{token}/sections/{section.id}").get_data(as_text=True)
        assert "skipped" not in page  # nothing is skipped before the answer that decides it
        post_section(client, token, section.id, {q.id: answers[q.id] for q in section.questions if q.id in answers})
    page = client.get(f"/assessments/{token}/sections/access").get_data(as_text=True)
    assert "Section 8 of 10; two sections skipped because no models are in use yet" in page
    assert "<title>Access and ownership (8 of 10)" in page


def test_missing_required_answers_are_marked_next_to_the_question(client, app) -> None:
    token = start(client)
    response = post_section(client, token, "profile", {"headcount": "under_10"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="sector-error"' in html and "Please answer this question" in html
    assert stored(app, token) == {}


def test_back_saves_what_is_valid_without_requiring_the_rest(client, app) -> None:
    token = start(client)
    response = post_section(client, token, "collect", {"collect_activity": "most"}, back=True)
    assert response.headers["Location"].endswith("/sections/profile")
    assert stored(app, token) == {"collect_activity": "most"}


@pytest.mark.parametrize("value", ["9", "-1", "abc", ""])
def test_tampered_choices_are_rejected_next_to_the_field(client, app, value: str) -> None:
    token = start(client)
    response = post_section(client, token, "collect", {
        "collect_activity": value, "collect_transactions": "exports", "collect_ownership": "nobody",
        "collect_history": "years"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="collect_activity-error"' in html
    assert stored(app, token) == {}


def test_extra_fields_are_ignored(client, app) -> None:
    token = start(client)
    post_section(client, token, "collect", {
        "collect_activity": "most", "collect_transactions": "exports", "collect_ownership": "nobody",
        "collect_history": "years"}, extra={"score": "100", "organisation_id": "other", "is_admin": "1",
                                            "deploy_ci": "ci_cd"})
    assert set(stored(app, token)) == {"collect_activity", "collect_transactions", "collect_ownership",
                                        "collect_history"}


def test_missing_csrf_token_keeps_the_answers_on_the_page_and_saves_nothing(client, app) -> None:
    token = start(client)
    response = client.post(f"/assessments/{token}/sections/collect", data={
        "q_collect_activity": "defined", "q_collect_transactions": "queryable", "proceed": "Next"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Your session expired" in html
    assert checked(html, "collect_activity", "defined")
    assert stored(app, token) == {}


def test_markup_in_free_text_and_the_organisation_name_is_escaped(client, app) -> None:
    evil = '"><svg onload=alert(1)>'
    token = start(client, organisation=evil)
    answers = personas.answers("p3_retailer") | {"main_question": evil + " 📈 \x00 שלום"}
    complete(client, token, answers)
    result = client.get(f"/assessments/{token}").get_data(as_text=True)
    assert "<svg onload" not in result
    assert "&#34;&gt;&lt;svg onload=alert(1)&gt;" in result
    assert stored(app, token)["main_question"].endswith("📈 \ufffd שלום")
    page = client.get(f"/assessments/{token}/sections/profile").get_data(as_text=True)
    assert "<svg onload" not in page


def test_a_complete_assessment_as_p3_recommends_a_data_scientist(client) -> None:
    token = start(client)
    last = complete(client, token, personas.answers("p3_retailer"))
    assert last.headers["Location"].endswith(f"/assessments/{token}")
    html = client.get(f"/assessments/{token}").get_data(as_text=True)
    assert "<title>Result for Acme Ltd · Groundwork</title>" in html
    assert "Hire a data scientist" in html
    assert "Runner-up: Machine learning engineer" in html
    assert "<svg" in html and "Data-needs pyramid" in html
    assert "The first 90 days" in html


def test_finishing_with_required_answers_missing_sends_the_person_back(client) -> None:
    token = start(client)
    post_section(client, token, "collect", {"collect_activity": "most"}, back=True)
    last_section = assessments.current().sections[-1]
    answers = personas.answers("p3_retailer")
    response = post_section(client, token, last_section.id,
                            {q.id: answers[q.id] for q in last_section.questions if q.id in answers})
    assert "/sections/profile" in response.headers["Location"] and "check=1" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "required question(s) still need an answer" in html
    assert client.get(f"/assessments/{token}").status_code == 302


def test_editing_answers_rescores_the_result(client) -> None:
    token = start(client)
    complete(client, token, personas.answers("p3_retailer"))
    post_section(client, token, "learn", {"learn_models": "several", "learn_validation": "held_out_baseline",
                                          "learn_runs": "pipeline", "learn_repeatable": "yes",
                                              "learn_baseline": "tracked"})
    html = client.get(f"/assessments/{token}").get_data(as_text=True)
    assert "Hire a machine learning engineer" in html


def test_same_page_conditional_question_is_only_required_when_shown(client, app) -> None:
    token = start(client)
    base = {"headcount": "under_10", "sector": "retail", "service_users": "early", "roles_in_post": ["none"]}
    shown = post_section(client, token, "profile", base | {"ml_expectation": "ai_product"})
    assert shown.status_code == 200 and 'id="ml_deadline-error"' in shown.get_data(as_text=True)
    hidden = post_section(client, token, "profile", base | {"ml_expectation": "reporting"})
    assert hidden.status_code == 302


def test_questions_hidden_by_an_earlier_page_are_not_shown(client) -> None:
    token = start(client)
    post_section(client, token, "learn", {"learn_models": "none", "learn_baseline": "no"})
    page = client.get(f"/assessments/{token}/sections/deploy").get_data(as_text=True)
    assert 'name="q_deploy_ci"' not in page
    post_section(client, token, "learn", {"learn_models": "several", "learn_validation": "held_out",
                                          "learn_runs": "scheduled_job", "learn_repeatable": "yes",
                                              "learn_baseline": "no"})
    assert 'name="q_deploy_ci"' in client.get(f"/assessments/{token}/sections/deploy").get_data(as_text=True)


def test_unknown_assessment_and_section_are_404(client) -> None:
    assert client.get("/assessments/not-a-token").status_code == 404
    token = start(client)
    assert client.get(f"/assessments/{token}/sections/nope").status_code == 404
    assert "Page not found" in client.get("/assessments/not-a-token/resume").get_data(as_text=True)


def test_oversized_bodies_get_a_413_page(client, app) -> None:
    token = start(client)
    response = client.post(f"/assessments/{token}/sections/profile", data={"q_main_question": "x" * 400_000})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert stored(app, token) == {}


def test_database_failure_mid_save_rolls_back_and_keeps_the_draft(client, app, monkeypatch) -> None:
    token = start(client)
    post_section(client, token, "collect", {"collect_activity": "most"}, back=True)

    def broken_commit(*_args, **_kwargs):
        raise OperationalError("COMMIT", {}, Exception("database is read-only"))

    page = client.get(f"/assessments/{token}/sections/collect").get_data(as_text=True)
    monkeypatch.setattr(db.session, "commit", broken_commit)
    response = client.post(f"/assessments/{token}/sections/collect", data={
        "csrf_token": csrf(page), "q_collect_activity": "none", "back": "Back"})
    monkeypatch.undo()
    assert response.status_code == 503
    assert "could not be saved" in response.get_data(as_text=True)
    assert stored(app, token) == {"collect_activity": "most"}


def test_answers_are_one_row_per_question(client, app) -> None:
    token = start(client)
    post_section(client, token, "collect", {"collect_activity": "most", "collect_history": "years"}, back=True)
    post_section(client, token, "store", {"store_location": "warehouse"}, back=True)
    with app.app_context():
        rows = db.session.execute(db.select(AnswerRow.question_id)).scalars().all()
    assert sorted(rows) == ["collect_activity", "collect_history", "store_location"]


def test_two_tabs_saving_different_sections_at_once_lose_nothing(app) -> None:
    import threading

    token = start(app.test_client())
    errors: list[BaseException] = []
    plans = {
        "collect": [{"collect_activity": v} for v in ("none", "few", "most", "defined") * 5],
        "store": [{"store_location": v} for v in ("spreadsheets", "scattered", "shared_database", "warehouse") * 5],
    }

    def tab(section: str) -> None:
        client = app.test_client()
        try:
            for answers in plans[section]:
                response = post_section(client, token, section, answers, back=True)
                assert response.status_code == 302, response.status_code
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=tab, args=(s,)) for s in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert stored(app, token) == {"collect_activity": "defined", "store_location": "warehouse"}


def test_an_expired_csrf_token_keeps_the_answers_and_asks_to_resubmit(client, app, monkeypatch) -> None:
    import time

    import itsdangerous.timed

    token = start(client)
    page = client.get(f"/assessments/{token}/sections/collect").get_data(as_text=True)
    two_hours_later = time.time() + 7200
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: int(two_hours_later))
    response = client.post(f"/assessments/{token}/sections/collect", data={
        "csrf_token": csrf(page), "q_collect_activity": "most", "q_collect_transactions": "exports",
        "q_collect_ownership": "nobody", "q_collect_history": "years", "proceed": "Next"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Your session expired" in html
    assert checked(html, "collect_activity", "most") and checked(html, "collect_history", "years")
    assert stored(app, token) == {}
    resubmit = client.post(f"/assessments/{token}/sections/collect", data={
        "csrf_token": csrf(html), "q_collect_activity": "most", "q_collect_transactions": "exports",
        "q_collect_ownership": "nobody", "q_collect_history": "years", "proceed": "Next"})
    assert resubmit.status_code == 302
    assert stored(app, token)["collect_activity"] == "most"


def test_sections_with_nothing_to_ask_are_skipped_both_ways(client) -> None:
    token = start(client)
    response = post_section(client, token, "learn", {"learn_models": "none", "learn_baseline": "no"})
    assert response.headers["Location"].endswith("/sections/access")  # ml_scale and deploy do not apply
    back = post_section(client, token, "access", {}, back=True)
    assert back.headers["Location"].endswith("/sections/learn")
    page = client.get(f"/assessments/{token}/sections/deploy").get_data(as_text=True)
    assert "None of this section's questions apply" in page  # reached directly: one sentence, not a blank page


def test_an_unfinished_version_1_assessment_is_finished_on_version_1(client, app) -> None:
    from tests import personas
    from tests.web.helpers import make_assessment

    _, token = make_assessment(app, None, {"headcount": "under_10"}, complete=False, version=1)
    page = client.get(f"/assessments/{token}/sections/collect").get_data(as_text=True)
    assert 'name="q_collect_events"' in page and 'name="q_collect_activity"' not in page
    answers = personas.answers_v1("p2_media_company")
    for section in assessments.get("groundwork", 1).sections:
        response = post_section(client, token, section.id,
                                {q.id: answers[q.id] for q in section.questions if q.id in answers})
        assert response.status_code == 302
    assert "Hire a data analyst" in client.get(f"/assessments/{token}").get_data(as_text=True)


def test_an_unfinished_version_2_assessment_is_finished_on_version_2(client, app) -> None:
    from tests.web.helpers import make_assessment

    _, token = make_assessment(app, None, {"headcount": "under_10"}, complete=False, version=2)
    page = client.get(f"/assessments/{token}/sections/profile").get_data(as_text=True)
    assert "Section 1 of 11" in page
    assert 'name="q_people_data_analyst"' not in page and 'value="statistician"' not in page
    answers = personas.reading("p2", "cautious", version=2)
    for section in assessments.get("groundwork", 2).sections:
        response = post_section(client, token, section.id,
                                {q.id: answers[q.id] for q in section.questions if q.id in answers})
        assert response.status_code == 302
    assert stored(app, token)["ml_expectation"] == "explain"  # a single choice, as version 2 asks it
    assert "Hire a data analyst" in client.get(f"/assessments/{token}").get_data(as_text=True)
