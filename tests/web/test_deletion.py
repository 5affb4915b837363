"""Leaving and deleting: members, invites, assessments, organisations, accounts. Each asks first (a POST
with a CSRF token from a confirmation page) and leaves nothing readable: every URL of it is then a 404,
and its PDFs are gone from the cache."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.extensions import db
from app.models import AnswerRow, Assessment, Membership, ShareLink, User
from app.services import deletion
from tests import personas
from tests.web.helpers import create_org, form_token, log_in, make_assessment, sign_up

pytestmark = pytest.mark.db


def _post_confirmed(client, url: str, **fields: str):
    """Open the confirmation page, then press its button (the page's CSRF token included)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, data={"csrf_token": form_token(client, url), **fields})


def _invite(client, app, org: int, email: str) -> int:
    """Invite `email` (a new account) into the organisation; return their membership id and client."""
    page = client.post(f"/orgs/{org}/invites", data={"csrf_token": form_token(client, f"/orgs/{org}")})
    link = page.get_data(as_text=True).split("/invites/")[1].split("<")[0]
    person = app.test_client()
    sign_up(person, email)
    person.post(f"/invites/{link}", data={"csrf_token": form_token(person, f"/invites/{link}")})
    with app.app_context():
        return person, db.session.execute(db.select(Membership.id).join(User).where(User.email == email)).scalar_one()


def test_owners_remove_members_and_members_leave(client, app, caplog) -> None:
    sign_up(client, "boss@example.org")
    org = create_org(client, "Leavers")
    colleague, colleague_membership = _invite(client, app, org, "colleague@example.org")
    leaver, _ = _invite(client, app, org, "leaver@example.org")
    assert colleague.get(f"/orgs/{org}").status_code == 200
    # Members may not remove anyone.
    assert colleague.get(f"/orgs/{org}/members/{colleague_membership}/remove").status_code == 404
    with caplog.at_level(logging.INFO, logger="app.services.accounts"):
        response = _post_confirmed(client, f"/orgs/{org}/members/{colleague_membership}/remove")
    assert response.status_code == 302
    assert "removed membership of user" in caplog.text
    for url in (f"/orgs/{org}", f"/orgs/{org}/people", f"/orgs/{org}/export.csv"):
        assert colleague.get(url).status_code == 404
    assert _post_confirmed(leaver, f"/orgs/{org}/leave").status_code == 302
    assert leaver.get(f"/orgs/{org}").status_code == 404
    assert client.get(f"/orgs/{org}").status_code == 200


def test_the_last_owner_cannot_leave_until_someone_else_is_an_owner(client, app) -> None:
    sign_up(client, "only-owner@example.org")
    org = create_org(client, "Sole")
    response = _post_confirmed(client, f"/orgs/{org}/leave")
    assert response.status_code == 302
    assert "would have no owner left" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get(f"/orgs/{org}").status_code == 200
    colleague, membership_id = _invite(client, app, org, "next-owner@example.org")
    assert _post_confirmed(client, f"/orgs/{org}/members/{membership_id}/owner").status_code == 302
    assert "Delete Sole" in colleague.get(f"/orgs/{org}/people").get_data(as_text=True)
    assert _post_confirmed(client, f"/orgs/{org}/leave").status_code == 302
    assert client.get(f"/orgs/{org}").status_code == 404


def test_a_confirmation_without_its_csrf_token_changes_nothing(client, app) -> None:
    sign_up(client, "csrf-delete@example.org")
    org = create_org(client, "Kept")
    assert client.post(f"/orgs/{org}/delete", data={}).status_code == 400
    assert client.post(f"/orgs/{org}/delete", data={"csrf_token": "forged"}).status_code == 400
    assert client.get(f"/orgs/{org}").status_code == 200


def _cache_reports(app, token: str) -> set[Path]:
    """Put files where the PDF cache keeps this assessment's reports (as a render would), return them."""
    with app.app_context():
        assessment = db.session.execute(db.select(Assessment).filter_by(token=token)).scalar_one()
        keys = deletion.cached_report_keys([assessment])
    directory = Path(app.config["PDF_CACHE_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    paths = {directory / f"{key}.pdf" for key in keys}
    for path in paths:
        if not path.exists():  # a real render is left as it is
            path.write_bytes(b"%PDF-1.7 cached")
    return paths


def _share(client, token: str) -> str:
    client.post(f"/assessments/{token}/shares", data={"csrf_token": form_token(client, f"/assessments/{token}")})
    page = client.get(f"/assessments/{token}").get_data(as_text=True)
    return page.split("/shared/")[1].split('"')[0].split("<")[0]


def _assessment_urls(token: str, share: str) -> list[str]:
    return [f"/assessments/{token}", f"/assessments/{token}/resume", f"/assessments/{token}/sections/profile",
            f"/assessments/{token}/report.pdf", f"/assessments/{token}/advert", f"/assessments/{token}/advert.md",
            f"/assessments/{token}/delete", f"/shared/{share}", f"/shared/{share}/report.pdf",
            f"/shared/{share}/advert", f"/shared/{share}/advert.md"]


def test_an_owner_deletes_an_assessment_with_its_answers_shares_and_pdfs(client, app, caplog) -> None:
    sign_up(client, "deleter@example.org")
    org = create_org(client, "Deleters")
    first_id, first = make_assessment(app, org, personas.answers("p1_online_shop"), label="Q1")
    _, second = make_assessment(app, org, personas.answers("p2_media_company"), label="Q2")
    share = _share(client, first)
    assert client.get(f"/shared/{share}").status_code == 200
    pdf = client.get(f"/assessments/{first}/report.pdf")  # a real render, into the real cache
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    cached = _cache_reports(app, first) | _cache_reports(app, second)  # the next one's report compares with Q1
    assert any(p.read_bytes() == pdf.data for p in cached)
    member, _ = _invite(client, app, org, "member-cannot-delete@example.org")
    assert member.get(f"/assessments/{first}/delete").status_code == 404
    with caplog.at_level(logging.INFO, logger="app.services.deletion"):
        response = _post_confirmed(client, f"/assessments/{first}/delete")
    assert response.status_code == 302 and response.headers["Location"] == f"/orgs/{org}"
    assert f"Assessment {first_id} (organisation {org}) deleted" in caplog.text
    for url in _assessment_urls(first, share):
        assert client.get(url).status_code == 404, url
    assert not any(p.exists() for p in cached)
    with app.app_context():
        assert db.session.get(Assessment, first_id) is None
        assert not db.session.execute(db.select(AnswerRow).filter_by(assessment_id=first_id)).first()
        assert not db.session.execute(db.select(ShareLink)).first()
    assert client.get(f"/assessments/{second}").status_code == 200  # the other stays


def test_whoever_holds_an_unclaimed_assessment_may_delete_it(client, app) -> None:
    _, token = make_assessment(app, None, personas.answers("p3_retailer"))
    assert _post_confirmed(client, f"/assessments/{token}/delete").status_code == 302
    assert client.get(f"/assessments/{token}").status_code == 404


def test_an_owner_deletes_the_organisation_and_everything_in_it(client, app, mailbox) -> None:
    sign_up(client, "org-deleter@example.org")
    org = create_org(client, "Gone Ltd")
    first_id, first = make_assessment(app, org, personas.answers("p1_online_shop"), label="Q1")
    second_id, second = make_assessment(app, org, personas.answers("p4_logistics"), label="Q2")
    share = _share(client, second)
    cached = _cache_reports(app, first) | _cache_reports(app, second)
    member, _ = _invite(client, app, org, "org-member@example.org")
    page = client.post(f"/orgs/{org}/invites", data={"csrf_token": form_token(client, f"/orgs/{org}")})
    pending = page.get_data(as_text=True).split("/invites/")[1].split("<")[0]
    assert member.get(f"/orgs/{org}/delete").status_code == 404  # members may not
    assert "cannot be undone" in client.get(f"/orgs/{org}/delete").get_data(as_text=True)
    assert _post_confirmed(client, f"/orgs/{org}/delete").status_code == 302
    urls = [f"/orgs/{org}", f"/orgs/{org}/people", f"/orgs/{org}/export.csv", f"/orgs/{org}/export.json",
            f"/orgs/{org}/compare?before={first_id}&after={second_id}", f"/orgs/{org}/delete",
            f"/orgs/{org}/leave", f"/invites/{pending}"]
    urls += _assessment_urls(first, share) + _assessment_urls(second, share)
    for person in (client, member):
        for url in urls:
            assert person.get(url).status_code == 404, url
    assert not any(p.exists() for p in cached)
    with app.app_context():
        assert not db.session.execute(db.select(Assessment)).first()
        assert not db.session.execute(db.select(Membership)).first()
    assert "Gone Ltd" not in client.get("/orgs").get_data(as_text=True)


def test_a_person_deletes_their_account_but_not_while_last_owner(client, app) -> None:
    sign_up(client, "leaving@example.org")
    org = create_org(client, "Left Behind")
    _, token = make_assessment(app, org, personas.answers("p1_online_shop"))
    colleague, membership_id = _invite(client, app, org, "stays@example.org")
    laptop = app.test_client()
    log_in(laptop, "leaving@example.org")
    refused = _post_confirmed(client, "/account/delete", password="correct horse battery")
    assert refused.status_code == 302
    assert "only owner of Left Behind" in client.get(refused.headers["Location"]).get_data(as_text=True)
    wrong = _post_confirmed(client, "/account/delete", password="not my password")
    _post_confirmed(client, f"/orgs/{org}/members/{membership_id}/owner")
    wrong = _post_confirmed(client, "/account/delete", password="not my password")
    assert wrong.status_code == 200 and "password is not right" in wrong.get_data(as_text=True)
    assert _post_confirmed(client, "/account/delete", password="correct horse battery").status_code == 302
    for gone in (client, laptop):
        assert gone.get("/orgs").status_code == 302 and gone.get("/account").status_code == 302
    assert log_in(app.test_client(), "leaving@example.org").status_code == 200  # no such account now
    assert colleague.get(f"/assessments/{token}").status_code == 200  # the organisation keeps its history
    with app.app_context():
        assert db.session.execute(db.select(User).filter_by(email="leaving@example.org")).first() is None
