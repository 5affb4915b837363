"""Accounts, organisations, history, comparison, export and share links."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

import assessments
from app.extensions import db
from app.models import Assessment, Invite, Organisation, User
from app.services.assessments import saved_answers
from assessments import Questionnaire
from assessments.answers import clean_answers
from tests import personas
from tests.web.helpers import (
    checked,
    complete,
    confirm_email,
    create_org,
    csrf,
    form_token,
    log_in,
    make_assessment,
    post_section,
    request_sign_up,
    sign_up,
    start,
)

pytestmark = pytest.mark.db


def test_sign_up_hashes_the_password_and_signs_in(client, app) -> None:
    response = sign_up(client, "Ada@Example.org")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.execute(db.select(User)).scalar_one()
        assert user.email == "ada@example.org"
        assert user.password_hash.startswith("scrypt:") and "correct horse" not in user.password_hash
    assert client.get("/orgs").status_code == 200


def test_session_cookie_is_httponly_and_samesite(client) -> None:
    response = sign_up(client, "cookie@example.org")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_short_passwords_are_refused_and_sign_up_never_says_an_email_is_taken(client, app, mailbox) -> None:
    assert "at least 10 characters" in sign_up(client, "a@example.org", "short").get_data(as_text=True)
    sign_up(client, "b@example.org")
    client.post("/logout", data={"csrf_token": form_token(client, "/orgs")})
    stranger = app.test_client()
    taken = request_sign_up(stranger, "B@example.org", "another password")
    fresh = request_sign_up(stranger, "fresh@example.org", "another password")
    # The same answer for an address with an account and one without: "check your e-mail".
    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"] == "/signup/sent"
    assert stranger.get("/orgs").status_code == 302  # and neither signs anyone in
    # Only the mailbox learns which: the owner is told the account exists, and nothing changed.
    note = mailbox.last_to("b@example.org")
    assert "already has one" in note.text and "/signup/confirm/" not in note.text
    assert "/password/forgot" in note.text
    assert log_in(client, "b@example.org").status_code == 302  # the old password still works
    assert "/signup/confirm/" in mailbox.last_to("fresh@example.org").text


def test_sign_up_is_rate_limited_per_address(client) -> None:
    statuses = [sign_up(client, f"many{i}@example.org", "short").status_code for i in range(7)]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_login_logout_and_wrong_password(client) -> None:
    sign_up(client, "c@example.org")
    client.post("/logout", data={"csrf_token": form_token(client, "/orgs")})
    assert client.get("/orgs").status_code == 302
    assert "do not match" in log_in(client, "c@example.org", "wrong password!!").get_data(as_text=True)
    assert log_in(client, "c@example.org").status_code == 302
    assert client.get("/orgs").status_code == 200


def test_login_is_rate_limited(client) -> None:
    statuses = [log_in(client, "nobody@example.org", "wrong password!!").status_code for _ in range(12)]
    assert statuses[0] == 200 and 429 in statuses


def test_each_request_checks_the_account_still_exists(client, app) -> None:
    sign_up(client, "gone@example.org")
    assert client.get("/orgs").status_code == 200
    with app.app_context():
        db.session.execute(db.delete(User).where(User.email == "gone@example.org"))
        db.session.commit()
    response = client.get("/orgs")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signing_out_ends_the_session_on_the_server(client, app) -> None:
    sign_up(client, "out@example.org")
    saved_cookie = client.get_cookie("session", domain="groundwork.test").value
    assert client.post("/logout", data={"csrf_token": form_token(client, "/orgs")}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", saved_cookie, domain="groundwork.test")
    response = thief.get("/orgs")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_sign_out_everywhere_ends_every_session_of_the_account(client, app) -> None:
    sign_up(client, "everywhere@example.org")
    laptop, phone, colleague = app.test_client(), app.test_client(), app.test_client()
    log_in(laptop, "everywhere@example.org")
    log_in(phone, "everywhere@example.org")
    sign_up(colleague, "colleague-everywhere@example.org")
    response = client.post("/logout/everywhere", data={"csrf_token": form_token(client, "/orgs")})
    assert response.status_code == 302
    for ended in (client, laptop, phone):
        assert ended.get("/orgs").status_code == 302
    assert colleague.get("/orgs").status_code == 200  # another account is untouched
    assert "Sign out everywhere" in colleague.get("/orgs").get_data(as_text=True)


def test_session_tokens_are_checked_against_the_server(app) -> None:
    from app.services import accounts

    with app.app_context():
        accounts.sign_up(email="ids@example.org", password="correct horse battery")
        user = accounts.user_by_email("ids@example.org")
        token = accounts.start_session(user).get_id()
        assert accounts.user_for_session(token).email == "ids@example.org"
        for bad in ("", str(user.id), token[:-1], token + "x", "a" * 65, "\x00" + token[1:]):
            assert accounts.user_for_session(bad) is None, bad
        accounts.end_session(token)
        assert accounts.user_for_session(token) is None


def test_the_csrf_token_changes_at_sign_in(client) -> None:
    before = form_token(client, "/login")
    sign_up(client, "rotate@example.org")
    assert form_token(client, "/orgs") != before


def test_wrong_passwords_are_limited_per_account_and_address_not_locking_the_owner_out(app) -> None:
    """Five guesses a minute per (e-mail, client address): the guesser waits, the owner elsewhere does not,
    and an address without an account is answered exactly the same way."""
    sign_up(app.test_client(), "target@example.org")

    def attempt(email: str, password: str, address: str):
        person = app.test_client()
        return person.post("/login", environ_base={"REMOTE_ADDR": address}, data={
            "csrf_token": form_token(person, "/login"), "email": email, "password": password})

    known = [attempt("target@example.org", "wrong password!!", "10.0.0.1") for _ in range(7)]
    unknown = [attempt("nobody@example.org", "wrong password!!", "10.0.0.2") for _ in range(7)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * 5 + [429] * 2
    assert known[-1].get_data(as_text=True) == unknown[-1].get_data(as_text=True)
    assert int(known[-1].headers["Retry-After"]) > 0
    # Even the right password waits, from the guessing address...
    assert attempt("target@example.org", "correct horse battery", "10.0.0.1").status_code == 429
    # ...but the owner, from their own address, signs in at once.
    assert attempt("target@example.org", "correct horse battery", "10.0.9.9").status_code == 302


def test_unconfirmed_accounts_cannot_sign_in_and_are_sent_a_new_link(client, app, mailbox) -> None:
    request_sign_up(client, "later@example.org")
    first = mailbox.last_to("later@example.org")
    response = log_in(client, "later@example.org")
    assert response.status_code == 200 and "Confirm your e-mail address first" in response.get_data(as_text=True)
    assert client.get("/orgs").status_code == 302
    assert len(mailbox.to("later@example.org")) == 2 and mailbox.last_to("later@example.org") is not first
    # A wrong password learns nothing: the usual answer, and no e-mail.
    assert "do not match" in log_in(client, "later@example.org", "wrong password!!").get_data(as_text=True)
    assert len(mailbox.to("later@example.org")) == 2
    assert confirm_email(client, "later@example.org").status_code == 302
    assert client.get("/orgs").status_code == 200


def test_a_confirmation_link_needs_the_password_and_works_once(client, app, mailbox) -> None:
    request_sign_up(client, "once@example.org")
    link = mailbox.link("once@example.org", "/signup/confirm/")
    wrong = client.post(link, data={"csrf_token": form_token(client, link), "password": "not the password"})
    assert wrong.status_code == 200 and "not the password chosen" in wrong.get_data(as_text=True)
    assert client.get("/orgs").status_code == 302
    assert confirm_email(client, "once@example.org").status_code == 302
    other = app.test_client()
    assert other.get(link).status_code == 404
    assert other.get(link[:-3] + "abc").status_code == 404  # tampered
    assert other.get("/signup/confirm/" + "x" * 600).status_code == 404


def test_someone_else_signing_up_with_your_address_cannot_take_the_account(app, mailbox) -> None:
    """The squatter chose a password for an address they do not own; the owner signs up later and wins:
    the owner's sign-up replaces the password, and the link asks for it."""
    squatter, owner = app.test_client(), app.test_client()
    request_sign_up(squatter, "mine@example.org", "squatter password")
    request_sign_up(owner, "mine@example.org", "owner password!!")
    link = mailbox.link("mine@example.org", "/signup/confirm/")
    older = mailbox.to("mine@example.org")[0].links()[0]
    assert owner.get("/" + older.split("://", 1)[1].split("/", 1)[1]).status_code == 404  # replaced
    assert owner.post(link, data={"csrf_token": form_token(owner, link), "password": "squatter password"}
                      ).status_code == 200
    assert confirm_email(owner, "mine@example.org", "owner password!!").status_code == 302
    assert log_in(squatter, "mine@example.org", "squatter password").status_code == 200


def test_sign_up_keeps_where_the_person_was_going(client, mailbox) -> None:
    request_sign_up(client, "next@example.org", next="/assessments/new")
    assert confirm_email(client, "next@example.org").headers["Location"] == "/assessments/new"
    request_sign_up(client, "evil-next@example.org", next="//evil.example/x")
    assert confirm_email(client, "evil-next@example.org").headers["Location"] == "/orgs"


def test_next_parameter_never_leaves_the_site(client) -> None:
    sign_up(client, "d@example.org")
    client.post("/logout", data={"csrf_token": form_token(client, "/orgs")})
    response = client.post("/login?next=//evil.example/x", data={
        "csrf_token": form_token(client, "/login"), "email": "d@example.org", "password": "correct horse battery"})
    assert response.headers["Location"] == "/orgs"


def test_invites_add_members_once_and_expire(client, app) -> None:
    sign_up(client, "owner@example.org")
    org = create_org(client, "Acme")
    page = client.post(f"/orgs/{org}/invites", data={"csrf_token": form_token(client, f"/orgs/{org}")})
    link = page.get_data(as_text=True).split("/invites/")[1].split("<")[0]
    other = app.test_client()
    sign_up(other, "colleague@example.org")
    assert other.get(f"/orgs/{org}").status_code == 404
    accept = other.post(f"/invites/{link}", data={"csrf_token": form_token(other, f"/invites/{link}")})
    assert accept.headers["Location"].endswith(f"/orgs/{org}")
    assert other.get(f"/orgs/{org}").status_code == 200
    third = app.test_client()
    sign_up(third, "third@example.org")
    assert third.get(f"/invites/{link}").status_code == 404  # used
    page = client.post(f"/orgs/{org}/invites", data={"csrf_token": form_token(client, f"/orgs/{org}")})
    link2 = page.get_data(as_text=True).split("/invites/")[1].split("<")[0]
    with app.app_context():
        for invite in db.session.execute(db.select(Invite)).scalars():
            invite.expires_at = invite.expires_at - timedelta(days=8)
        db.session.commit()
    assert third.get(f"/invites/{link2}").status_code == 404


def test_an_anonymous_assessment_can_be_claimed_with_its_answers(client, app) -> None:
    token = start(client, organisation="Before signup")
    complete(client, token, personas.answers("p2_media_company"))
    with app.app_context():
        before = saved_answers(db.session.execute(db.select(Assessment)).scalar_one())
    sign_up(client, "claimer@example.org")
    org = create_org(client, "Claimers")
    result = client.get(f"/assessments/{token}").get_data(as_text=True)
    assert "File this assessment" in result
    response = client.post(f"/assessments/{token}/claim", data={
        "csrf_token": form_token(client, f"/assessments/{token}"), "organisation": str(org)})
    assert response.headers["Location"].endswith(f"/assessments/{token}")  # back to the result, now filed
    with app.app_context():
        claimed = db.session.execute(db.select(Assessment)).scalar_one()
        assert claimed.organisation_id == org and saved_answers(claimed) == before
    outsider = app.test_client()
    assert outsider.get(f"/assessments/{token}").status_code == 404  # the token alone no longer opens it


def test_new_assessment_from_a_copy_is_prefilled_and_editable(client, app) -> None:
    sign_up(client, "copy@example.org")
    org = create_org(client, "Copycat")
    make_assessment(app, org, personas.answers("p3_retailer"), label="Q1")
    page = client.get(f"/orgs/{org}").get_data(as_text=True)
    key = page.split('name="start_key" type="hidden" value="')[1].split('"')[0]
    response = client.post(f"/orgs/{org}/assessments", data={
        "csrf_token": form_token(client, f"/orgs/{org}"), "start_key": key, "label": "Q2", "copy_latest": "y"})
    token = response.headers["Location"].split("/assessments/")[1].split("/")[0]
    with app.app_context():
        new = db.session.execute(db.select(Assessment).filter_by(token=token)).scalar_one()
        assert new.label == "Q2" and new.organisation_id == org
        assert saved_answers(new) == {k: v for k, v in personas.answers("p3_retailer").items()}
    post_section(client, token, "learn", {"learn_models": "several", "learn_validation": "held_out",
                                          "learn_runs": "scheduled_job", "learn_repeatable": "yes",
                                              "learn_baseline": "tracked"})
    with app.app_context():
        assert saved_answers(db.session.execute(db.select(Assessment).filter_by(token=token)).scalar_one())[
            "learn_models"] == "several"


def test_comparison_shows_stage_levels_answers_recommendation_and_blockers(client, app) -> None:
    sign_up(client, "cmp@example.org")
    org = create_org(client, "Comparisons")
    before_id, _ = make_assessment(app, org, personas.answers("p1_online_shop"), label="Q1")
    after_id, _ = make_assessment(app, org, personas.answers("p2_media_company")
                                  | {"mud_interpretation": "often_misread"}, label="Q2 <b>bold</b>")
    html = client.get(f"/orgs/{org}/compare?before={before_id}&after={after_id}").get_data(as_text=True)
    assert "0 → 3" in html and "up 3" in html
    assert "Data engineer" in html and "Data analyst" in html
    assert "Since then you have hired a data engineer; the recommendation is now your next hire after them: " \
           "a data analyst." in html
    assert "Up from stage 0 to 3: Collect, Store and Move are now in place." in html
    transactions = assessments.current().question("collect_transactions")
    assert transactions.text in html  # question texts are the real ones
    assert "Only in the screens of the tools we use" in html and "In a database we can query" in html
    assert "Nobody has a map of the data" not in html  # neither had it
    assert "Machine learning is assumed, not justified" in html  # resolved
    assert "Numbers are often misread" in html  # new
    assert "Q2 &lt;b&gt;bold&lt;/b&gt;" in html
    assert 'class="chart comparison"' in html


def test_comparison_follows_edits_to_answers_and_labels(client, app) -> None:
    sign_up(client, "fresh@example.org")
    org = create_org(client, "Freshness")
    before_id, _ = make_assessment(app, org, personas.answers("p3_retailer"), label="Q1")
    after_id, after_token = make_assessment(app, org, personas.answers("p3_retailer"), label="Q2")
    url = f"/orgs/{org}/compare?before={before_id}&after={after_id}"
    assert "No answer changed." in client.get(url).get_data(as_text=True)

    post_section(client, after_token, "learn", {"learn_models": "several", "learn_validation": "held_out",
                                                "learn_runs": "scheduled_job", "learn_repeatable": "yes",
                                                    "learn_baseline": "tracked"})
    html = client.get(url).get_data(as_text=True)
    assert "Answers that changed (" in html and "No answer changed." not in html
    assert "Several models used in decisions or in what we offer" in html

    page = client.get(f"/assessments/{after_token}").get_data(as_text=True)
    client.post(f"/assessments/{after_token}/label", data={"csrf_token": csrf(page), "label": "After the hire"})
    html = client.get(url).get_data(as_text=True)
    assert "After the hire" in html and "<strong>Q2</strong>" not in html


def test_a_comparison_is_not_shown_outside_its_organisation(client, app) -> None:
    sign_up(client, "first@example.org")
    org = create_org(client, "First")
    ids = [make_assessment(app, org, personas.answers(p))[0] for p in ("p1_online_shop", "p2_media_company")]
    url = f"/orgs/{org}/compare?before={ids[0]}&after={ids[1]}"
    assert client.get(url).status_code == 200
    client.post("/logout", data={"csrf_token": form_token(client, "/orgs")})
    sign_up(client, "second@example.org")
    other = create_org(client, "Second")
    assert client.get(url).status_code == 404
    assert client.get(f"/orgs/{other}/compare?before={ids[0]}&after={ids[1]}").status_code == 404


def _next_version(questionnaire: Questionnaire) -> tuple[Questionnaire, str, str]:
    """A version 2 that drops one question and adds another: (questionnaire, dropped text, added text)."""
    data = questionnaire.model_dump()
    data["version"] = questionnaire.version + 1
    data["carried_from"] = None
    report = next(s for s in data["sections"] if s["id"] == "report")
    dropped = next(q for q in report["questions"] if q["id"] == "report_experiments")
    added = {**report["questions"][0], "id": "report_self_serve", "when": None,
             "text": "Can people outside the data team answer their own questions from the reports?"}
    report["questions"] = [q for q in report["questions"] if q is not dropped] + [added]
    return Questionnaire.model_validate(data), dropped["text"], added["text"]


def test_comparison_across_questionnaire_versions_compares_what_they_share(client, app, monkeypatch) -> None:
    sign_up(client, "versions@example.org")
    org = create_org(client, "Versions")
    before_id, _ = make_assessment(app, org, personas.answers("p1_online_shop"), label="On v1")
    latest = assessments.current().version
    v2, dropped, added = _next_version(assessments.current())
    monkeypatch.setitem(assessments.published(), v2.key, v2)
    assert assessments.current() is v2
    after_answers = personas.answers("p2_media_company") | {"report_self_serve": "used_weekly"}
    after_answers.pop("report_experiments", None)
    after_id, _ = make_assessment(app, org, after_answers, label="On v2")

    html = client.get(f"/orgs/{org}/compare?before={before_id}&after={after_id}").get_data(as_text=True)
    assert f"answered on different questionnaire versions ({latest} and {latest + 1})" in html
    assert f"Asked only before: {dropped}" in html and f"Asked only after: {added}" in html
    table = html.split('<table class="changes stack-on-phone">')[1].split("</table>")[0]
    assert dropped not in table and added not in table  # only shared questions are compared
    assert assessments.current().question("collect_transactions").text in table

    exported = json.loads(client.get(f"/orgs/{org}/export.json").get_data(as_text=True))["assessments"]
    assert [a["questionnaire_version"] for a in exported] == [latest, latest + 1]
    assert "report_experiments" in exported[0]["answers"] and "report_self_serve" in exported[1]["answers"]


def test_export_csv_neutralises_formulas_and_json_has_answers(client, app) -> None:
    sign_up(client, "exp@example.org")
    org = create_org(client, "Exporters")
    make_assessment(app, org, personas.answers("p3_retailer") | {"main_question": "=HYPERLINK(\"x\")"},
                    label="+cmd|' /C calc'!A0")
    response = client.get(f"/orgs/{org}/export.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["label"] == "'+cmd|' /C calc'!A0"
    assert rows[0]["answer:main_question"] == "'=HYPERLINK(\"x\")"
    expected = assessments.evaluate(assessments.current(), personas.answers("p3_retailer")).scored
    assert rows[0]["first_hire"] == "data_scientist"
    assert rows[0]["level:collect"] == str(expected.level("collect").score)
    data = json.loads(client.get(f"/orgs/{org}/export.json").get_data(as_text=True))
    assert data["assessments"][0]["answers"]["headcount"] == "from_250_to_999"
    assert data["assessments"][0]["stage"] == 5


def test_share_links_are_read_only_and_revocable(client, app) -> None:
    sign_up(client, "share@example.org")
    org = create_org(client, "Sharers")
    _, token = make_assessment(app, org, personas.answers("p4_logistics"))
    client.post(f"/assessments/{token}/shares", data={"csrf_token": form_token(client, f"/assessments/{token}")})
    page = client.get(f"/assessments/{token}").get_data(as_text=True)
    share = page.split("/shared/")[1].split("<")[0]
    anonymous = app.test_client()
    shared = anonymous.get(f"/shared/{share}").get_data(as_text=True)
    assert "Hire a machine learning engineer" in shared
    assert "Edit the answers" not in shared and "Read-only links" not in shared
    assert anonymous.get(f"/assessments/{token}").status_code == 404
    share_id = page.split(f"/assessments/{token}/shares/")[1].split("/")[0]
    client.post(f"/assessments/{token}/shares/{share_id}/revoke",
                data={"csrf_token": form_token(client, f"/assessments/{token}")})
    assert anonymous.get(f"/shared/{share}").status_code == 404
    assert anonymous.get(f"/shared/{share}/report.pdf").status_code == 404


def test_owners_manage_sharing_and_invites_members_label_and_compare(client, app) -> None:
    sign_up(client, "boss@example.org")
    org = create_org(client, "Roles Ltd")
    _, token = make_assessment(app, org, personas.answers("p4_logistics"))
    page = client.post(f"/orgs/{org}/invites", data={"csrf_token": form_token(client, f"/orgs/{org}")})
    link = page.get_data(as_text=True).split("/invites/")[1].split("<")[0]
    member = app.test_client()
    sign_up(member, "member@example.org")
    member.post(f"/invites/{link}", data={"csrf_token": form_token(member, f"/invites/{link}")})
    client.post(f"/assessments/{token}/shares", data={"csrf_token": form_token(client, f"/assessments/{token}")})
    share_id = client.get(f"/assessments/{token}").get_data(as_text=True).split(
        f"/assessments/{token}/shares/")[1].split("/")[0]

    page = member.get(f"/assessments/{token}").get_data(as_text=True)
    assert "ask one of them to create or revoke a link" in page and "/shared/" not in page
    csrf_token = form_token(member, f"/assessments/{token}")
    assert member.post(f"/assessments/{token}/shares", data={"csrf_token": csrf_token}).status_code == 404
    assert member.post(f"/assessments/{token}/shares/{share_id}/revoke",
                       data={"csrf_token": csrf_token}).status_code == 404
    assert member.post(f"/orgs/{org}/invites", data={"csrf_token": csrf_token}).status_code == 404
    assert member.post(f"/assessments/{token}/label",
                       data={"csrf_token": csrf_token, "label": "Member label"}).status_code == 302
    assert "Member label" in member.get(f"/orgs/{org}").get_data(as_text=True)


def test_reset_password_command_ends_the_old_sessions(runner, client, app) -> None:
    sign_up(client, "reset@example.org")
    other_device = app.test_client()
    log_in(other_device, "reset@example.org")
    assert other_device.get("/orgs").status_code == 200
    result = runner.invoke(args=["users", "reset-password", "reset@example.org", "--password", "a brand new one"])
    assert result.exit_code == 0, result.output
    for stale in (client, other_device):
        response = stale.get("/orgs")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert log_in(client, "reset@example.org", "correct horse battery").status_code == 200  # refused
    assert log_in(client, "reset@example.org", "a brand new one").status_code == 302
    assert client.get("/orgs").status_code == 200
    missing = runner.invoke(args=["users", "reset-password", "ghost@example.org", "--password", "whatever123"])
    assert missing.exit_code != 0 and "No account" in missing.output


def test_demo_command_creates_progress_and_prints_the_login(runner, client) -> None:
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0 and "demo@groundwork.example" in result.output
    again = runner.invoke(args=["demo", "--if-empty"]).output
    assert "Demo sign-in: demo@groundwork.example with password groundwork-demo" in again  # every time
    log_in(client, "demo@groundwork.example", "groundwork-demo")
    orgs = client.get("/orgs").get_data(as_text=True)
    org = int(orgs.split("/orgs/")[1].split('"')[0])
    html = client.get(f"/orgs/{org}").get_data(as_text=True)
    assert html.count("<tr>") == 4  # header + three assessments
    assert "Data engineer" in html and "Data analyst" in html and "Data scientist" in html


def test_a_demo_that_fails_half_way_leaves_nothing_and_can_be_made_again(runner, app, monkeypatch) -> None:
    from app.services import demo

    calls = []

    def fails_on_the_third(questionnaire, answers):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return clean_answers(questionnaire, answers)

    monkeypatch.setattr(demo, "clean_answers", fails_on_the_third)
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code != 0
    with app.app_context():
        assert db.session.execute(db.select(User)).first() is None
        assert db.session.execute(db.select(Organisation)).first() is None
    monkeypatch.undo()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0 and "3 assessments" in result.output


def test_the_signed_in_identity_is_the_account_row(client, app) -> None:
    """One identity type: whatever Flask-Login loads works with every service."""
    from flask_login import current_user

    from app.web import access

    sign_up(client, "one-type@example.org")
    org = create_org(client, "One Type")
    with client:
        client.get("/orgs")
        assert isinstance(current_user._get_current_object(), User)
        assert access.membership_or_404(org).role == "owner"


def _queries_for(client, count_queries, url: str) -> int:
    with count_queries() as n:
        assert client.get(url).status_code == 200
    return n[0]


def test_history_and_comparison_use_a_fixed_number_of_queries(client, app, count_queries) -> None:
    sign_up(client, "many@example.org")
    org = create_org(client, "Many")
    ids = [make_assessment(app, org, personas.answers(personas.NAMES[i % 6]), label=f"A{i}")[0] for i in range(5)]
    few = _queries_for(client, count_queries, f"/orgs/{org}")
    few_cmp = _queries_for(client, count_queries, f"/orgs/{org}/compare?before={ids[0]}&after={ids[1]}")
    ids += [make_assessment(app, org, personas.answers(personas.NAMES[i % 6]))[0] for i in range(45)]
    assert _queries_for(client, count_queries, f"/orgs/{org}") == few
    assert _queries_for(client, count_queries, f"/orgs/{org}/compare?before={ids[0]}&after={ids[49]}") == few_cmp
    assert few <= 6


def test_a_version_1_assessment_compares_with_a_latest_version_one_and_copies_forward(client, app) -> None:
    sign_up(client, "v1-to-v2@example.org")
    org = create_org(client, "Long-standing")
    before_id, before_token = make_assessment(app, org, personas.answers_v1("p1_online_shop"), label="On v1",
                                              version=1)
    # The version 1 assessment keeps scoring with version 1.
    assert "Hire a data engineer" in client.get(f"/assessments/{before_token}").get_data(as_text=True)
    # Start from a copy: the latest version, filled through each version's explicit map, the new questions named.
    page = client.get(f"/orgs/{org}").get_data(as_text=True)
    response = client.post(f"/orgs/{org}/assessments", data={
        "csrf_token": csrf(page), "start_key": "k" * 24, "copy_latest": "y", "label": "On latest"},
        follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "This version of the questionnaire asks" in html
    assert "Which data roles do you already have in post?" in html  # named as new
    assert checked(html, "headcount", "from_10_to_49")  # carried over
    with app.app_context():
        after = db.session.execute(db.select(Assessment).filter_by(label="On latest")).scalar_one()
        assert after.questionnaire_version == assessments.current().version
        copied = saved_answers(after)
    assert copied["collect_activity"] == "few"  # collect_events "few", through the map
    assert "learn_reproducible" not in copied and "product_users" not in copied
    after_answers = personas.answers("p2_media_company")
    complete(client, after.token, after_answers)
    html = client.get(f"/orgs/{org}/compare?before={before_id}&after={after.id}").get_data(as_text=True)
    assert f"answered on different questionnaire versions (1 and {assessments.current().version})" in html
    assert "Asked only after:" in html and "Which data roles do you already have in post?" in html


def test_a_version_2_assessment_copies_into_version_3_naming_only_the_new_questions_that_apply(client, app) -> None:
    sign_up(client, "v2-to-v3@example.org")
    org = create_org(client, "Two to three")
    answers = personas.reading("p7", "cautious", version=2) | {"mud_secure_environment": "no"}
    make_assessment(app, org, answers, label="On v2", version=2)
    page = client.get(f"/orgs/{org}").get_data(as_text=True)
    html = client.post(f"/orgs/{org}/assessments", data={
        "csrf_token": csrf(page), "start_key": "k" * 24, "copy_latest": "y", "label": "On v3"},
        follow_redirects=True).get_data(as_text=True)
    notice = html.split("This version of the questionnaire asks")[1].split("</")[0]
    assert "How many data or business intelligence analysts?" in notice  # new, and an analyst is in post
    assert "How many data engineers?" not in notice and "What do your data scientists" not in notice
    assert "5 new questions" in notice and "In one line, what does your organisation do?" in notice
    assert checked(html, "ml_expectation", "reporting")  # one wish, carried as a list of wishes
    with app.app_context():
        after = db.session.execute(db.select(Assessment).filter_by(label="On v3")).scalar_one()
        assert after.questionnaire_version == 3
        copied = saved_answers(after)
    assert copied["mud_secure_environment"] == "laptops"  # version 2's "No, people work on their own machines"
    assert copied["ml_expectation"] == ["reporting"] and "own_about" not in copied


@pytest.mark.usefixtures("pdf_worker")
def test_p9_a_year_later_reads_right_on_the_comparison_and_the_result(client, app) -> None:
    sign_up(client, "clinics@example.org")
    org = create_org(client, "Clinic Group")
    first_id, _ = make_assessment(app, org, personas.reading("p9", "cautious"), label="Year one")
    later_id, later_token = make_assessment(app, org, personas.reading("p9_later", "cautious"), label="Year two")
    html = client.get(f"/orgs/{org}/compare?before={first_id}&after={later_id}").get_data(as_text=True)
    resolved = html.split('id="res-h"')[1].split("</section>")[0]
    still_open = html.split('id="open-h"')[1].split("</section>")[0]
    assert "Nobody has a map of the data" in resolved and "Departments withhold their data" in resolved
    assert "Legal and privacy duties are unclear" in still_open
    assert "progress</span>" in html  # answers that moved, even part of the way, show as progress
    result = client.get(f"/assessments/{later_token}").get_data(as_text=True)
    assert "You already have a data engineer in post" in result
    assert "Stand up a central warehouse" not in result and "Write down every important data source" not in result
    pdf = client.get(f"/assessments/{later_token}/report.pdf")
    assert pdf.status_code == 200
