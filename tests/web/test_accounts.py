"""Accounts people run themselves: e-mail (against a real local SMTP server), password resets, invitations
and resume links by e-mail, sessions that expire, one account per mailbox."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Invite, User, UserSession, utcnow
from app.services import accounts
from tests.web.helpers import create_org, form_token, log_in, request_sign_up, sign_up, start

pytestmark = pytest.mark.db


def _forgot(client, email: str):
    return client.post("/password/forgot", data={"csrf_token": form_token(client, "/password/forgot"),
                                                 "email": email})


def _new_password(client, link: str, password: str, confirm: str | None = None):
    return client.post(link, data={"csrf_token": form_token(client, link), "password": password,
                                   "confirm": confirm if confirm is not None else password})


def test_a_password_reset_by_email_works_once_and_ends_every_other_session(client, app, mailbox) -> None:
    sign_up(client, "reset@example.org")
    laptop = app.test_client()
    log_in(laptop, "reset@example.org")
    person = app.test_client()
    response = _forgot(person, "Reset@Example.org")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    message = mailbox.last_to("reset@example.org")
    assert message.message["Subject"] == "Set a new Groundwork password"
    assert message.message.get_body(("html",)) is not None and "/password/reset/" in message.html
    link = mailbox.link("reset@example.org", "/password/reset/")
    page = person.get(link)
    assert page.status_code == 200 and 'name="confirm"' in page.get_data(as_text=True)
    assert "passwords differ" in _new_password(person, link, "a new password!", "another one!!").get_data(
        as_text=True)
    assert _new_password(person, link, "a new password!").status_code == 302
    assert person.get("/orgs").status_code == 200  # signed in with the new password
    for ended in (client, laptop):
        assert ended.get("/orgs").status_code == 302
    assert person.get(link).status_code == 404  # single use
    late = app.test_client()
    assert late.post(link, data={"csrf_token": form_token(late, "/login"), "password": "third password!",
                                 "confirm": "third password!"}).status_code == 404
    assert log_in(app.test_client(), "reset@example.org").status_code == 200
    assert log_in(app.test_client(), "reset@example.org", "a new password!").status_code == 302


def test_forgot_password_answers_the_same_whether_or_not_the_address_has_an_account(client, app, mailbox) -> None:
    sign_up(client, "known@example.org")
    known = _forgot(app.test_client(), "known@example.org")
    unknown = _forgot(app.test_client(), "unknown@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    # Both get an e-mail; only the account's holds a reset link.
    assert "/password/reset/" in mailbox.last_to("known@example.org").text
    note = mailbox.last_to("unknown@example.org")
    assert "no Groundwork account" in note.text and "/password/reset/" not in note.text


def test_reset_links_expire_and_cannot_be_forged(client, app, mailbox, monkeypatch) -> None:
    sign_up(client, "expire@example.org")
    _forgot(client, "expire@example.org")
    link = mailbox.link("expire@example.org", "/password/reset/")
    assert client.get(link[:-2] + "xx").status_code == 404
    assert client.get("/password/reset/" + "a" * 2000).status_code == 404
    with app.app_context():  # a link signed for confirming an address is no reset link
        user = accounts.user_by_email("expire@example.org")
        other_purpose = accounts.verification_token(user)
    assert client.get("/password/reset/" + other_purpose).status_code == 404
    monkeypatch.setattr(accounts, "RESET_LIFETIME", timedelta(seconds=-1))
    assert client.get(link).status_code == 404


def test_reset_requests_are_limited_per_recipient_and_per_address(client, app, mailbox) -> None:
    statuses = [_forgot(app.test_client(), "victim@example.org").status_code for _ in range(7)]
    assert statuses[:5] == [302] * 5 and statuses[5:] == [429, 429]
    assert len(mailbox.to("victim@example.org")) == 5


def test_a_mail_server_that_refuses_is_reported_plainly_never_a_500(client, app, mailbox) -> None:
    mailbox.refuse = True
    response = request_sign_up(client, "down@example.org")
    assert response.status_code == 503 and "could not be sent" in response.get_data(as_text=True)
    response = _forgot(client, "down@example.org")
    assert response.status_code == 503 and "could not be sent" in response.get_data(as_text=True)
    app.config["SMTP_URL"] = "smtp://127.0.0.1:1"  # nothing listens there
    response = _forgot(app.test_client(), "nobody-listens@example.org")
    assert response.status_code == 503
    mailbox.refuse = False
    app.config["SMTP_URL"] = mailbox.url
    assert request_sign_up(client, "down@example.org").status_code == 302  # trying again works


def test_the_smtp_url_signs_in_with_its_user_and_password(app, mailbox) -> None:
    port = mailbox.url.rsplit(":", 1)[1]
    app.config["SMTP_URL"] = f"smtp://mailer%40groundwork:p%3Ass@127.0.0.1:{port}"
    assert _forgot(app.test_client(), "auth@example.org").status_code == 302
    assert mailbox.last_to("auth@example.org").login == ("mailer@groundwork", "p:ss")


def test_without_an_smtp_url_messages_go_to_the_log(app, mailbox, caplog) -> None:
    app.config["SMTP_URL"] = None
    with caplog.at_level(logging.INFO, logger="app.mail"):
        request_sign_up(app.test_client(), "logged@example.org")
    assert not mailbox.to("logged@example.org")
    assert "To: logged@example.org" in caplog.text and "/signup/confirm/" in caplog.text


def test_invitations_by_email_escape_what_people_typed(client, app, mailbox) -> None:
    sign_up(client, "owner@example.org")
    org = create_org(client, "<b>Acme</b> & Sons\nBcc: x@evil.example")
    response = client.post(f"/orgs/{org}/invites/email", data={
        "csrf_token": form_token(client, f"/orgs/{org}/people"), "email": "Colleague@Example.org"})
    assert response.status_code == 302
    message = mailbox.last_to("colleague@example.org")
    assert message.message["Subject"] == "Join <b>Acme</b> & Sons Bcc: x@evil.example on Groundwork"
    assert message.message["Bcc"] is None and message.recipients == ["colleague@example.org"]
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; Sons" in message.html and "<b>Acme" not in message.html
    assert "<b>Acme</b> & Sons" in message.text
    people = client.get(f"/orgs/{org}/people").get_data(as_text=True)
    assert "colleague@example.org" in people  # listed as pending
    colleague = app.test_client()
    sign_up(colleague, "colleague@example.org")
    link = mailbox.link("colleague@example.org", "/invites/")
    assert colleague.post(link, data={"csrf_token": form_token(colleague, link)}).status_code == 302
    assert colleague.get(f"/orgs/{org}").status_code == 200


def test_owners_revoke_pending_invites(client, app, mailbox) -> None:
    sign_up(client, "revoker@example.org")
    org = create_org(client, "Revokers")
    client.post(f"/orgs/{org}/invites/email", data={
        "csrf_token": form_token(client, f"/orgs/{org}/people"), "email": "late@example.org"})
    link = mailbox.link("late@example.org", "/invites/")
    with app.app_context():
        invite_id = db.session.execute(db.select(Invite.id)).scalar_one()
    confirm = client.get(f"/orgs/{org}/invites/{invite_id}/revoke")
    assert confirm.status_code == 200 and "late@example.org" in confirm.get_data(as_text=True)
    assert client.post(f"/orgs/{org}/invites/{invite_id}/revoke", data={}).status_code == 400  # no CSRF token
    assert client.post(f"/orgs/{org}/invites/{invite_id}/revoke", data={
        "csrf_token": form_token(client, f"/orgs/{org}/invites/{invite_id}/revoke")}).status_code == 302
    assert app.test_client().get(link).status_code == 404
    assert client.get(f"/orgs/{org}/invites/{invite_id}/revoke").status_code == 404
    # A member who is not an owner cannot see or revoke invites.
    outsider = app.test_client()
    sign_up(outsider, "outsider@example.org")
    assert outsider.get(f"/orgs/{org}/people").status_code == 404


def test_the_resume_link_by_email(client, app, mailbox) -> None:
    token = start(client, organisation="Resume <Co>")
    page = client.get(f"/assessments/{token}/sections/profile").get_data(as_text=True)
    assert "E-mail me the link" in page
    response = client.post(f"/assessments/{token}/email-link", data={
        "csrf_token": form_token(client, f"/assessments/{token}/sections/profile"), "email": "me@example.org"})
    assert response.status_code == 302
    message = mailbox.last_to("me@example.org")
    assert f"/assessments/{token}/resume" in message.text and "Resume &lt;Co&gt;" in message.html
    bad = client.post(f"/assessments/{token}/email-link", data={
        "csrf_token": form_token(client, f"/assessments/{token}/sections/profile"), "email": "not an address"})
    assert bad.status_code == 302 and len(mailbox.to("not an address")) == 0
    assert client.post("/assessments/not-a-token/email-link", data={"email": "me@example.org"}).status_code == 404


@pytest.mark.parametrize(("first", "second"), [
    ("Ada@Exämple.org", "ada@xn--exmple-cua.org"),
    ("ada@exa\u0308mple.org", "ADA@EXÄMPLE.ORG"),
    ("jose\u0301@example.org", "JOSÉ@example.org"),
    ("ａｄａ@ｅｘａｍｐｌｅ.org", "ada@example.org"),
])
def test_one_mailbox_is_one_account(client, app, mailbox, first: str, second: str) -> None:
    with app.app_context():
        assert accounts.normalise_email(first) == accounts.normalise_email(second)
    sign_up(client, first)
    request_sign_up(app.test_client(), second, "another password")
    with app.app_context():
        users = db.session.execute(db.select(User)).scalars().all()
        address = users[0].email
    assert len(users) == 1
    assert "already has one" in mailbox.last_to(address).text
    assert log_in(app.test_client(), second).status_code == 302


def test_sessions_end_after_idle_time_and_absolute_lifetime_and_are_purged(client, app) -> None:
    sign_up(client, "sessions@example.org")
    other = app.test_client()
    log_in(other, "sessions@example.org")
    assert client.get("/orgs").status_code == 200
    with app.app_context():
        first, second = db.session.execute(db.select(UserSession).order_by(UserSession.id)).scalars().all()
        first.last_seen_at = utcnow() - timedelta(days=app.config["SESSION_IDLE_DAYS"], minutes=1)
        second.created_at = utcnow() - timedelta(days=app.config["SESSION_LIFETIME_DAYS"], minutes=1)
        db.session.commit()
    assert client.get("/orgs").status_code == 302  # idle too long
    assert other.get("/orgs").status_code == 302  # too old, although used just now
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(UserSession)).scalar_one() == 2
    log_in(app.test_client(), "sessions@example.org")  # every sign-in purges expired sessions
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(UserSession)).scalar_one() == 1


def test_a_session_in_use_is_kept_alive(client, app) -> None:
    sign_up(client, "alive@example.org")
    with app.app_context():
        row = db.session.execute(db.select(UserSession)).scalar_one()
        row.last_seen_at = utcnow() - timedelta(days=app.config["SESSION_IDLE_DAYS"] - 1)
        db.session.commit()
    assert client.get("/orgs").status_code == 200
    with app.app_context():
        seen = db.session.execute(db.select(UserSession.last_seen_at)).scalar_one()
        seen = seen if seen.tzinfo else seen.replace(tzinfo=utcnow().tzinfo)
        assert utcnow() - seen < timedelta(minutes=1)


def test_purge_sessions_command(runner, app, client) -> None:
    sign_up(client, "purge@example.org")
    with app.app_context():
        row = db.session.execute(db.select(UserSession)).scalar_one()
        row.created_at = utcnow() - timedelta(days=400)
        db.session.commit()
    result = runner.invoke(args=["users", "purge-sessions"])
    assert result.exit_code == 0 and "1 expired sessions deleted" in result.output


def test_the_demo_account_is_confirmed_and_signs_in(app, client, runner) -> None:
    from app.services import demo

    assert runner.invoke(args=["demo"]).exit_code == 0
    assert log_in(client, demo.EMAIL, demo.PASSWORD).status_code == 302
    assert client.get("/orgs").status_code == 200
