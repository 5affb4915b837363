"""The first fifteen minutes: filing an assessment in one step, moving around the questionnaire,
links to copy, the sample result, and the advert button that opens a page."""

from __future__ import annotations

import re

import pytest

import assessments
from app.extensions import db
from app.models import Assessment, Membership, Organisation, ShareLink
from app.services import demo
from app.services.assessments import saved_answers
from app.web.forms import field_name
from tests import personas
from tests.web.helpers import (
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
Q = assessments.current()


@pytest.fixture
def finished(client):
    token = start(client, organisation="Harbour Retail")
    complete(client, token, personas.answers("p3_retailer"))
    return token


def test_the_result_and_shared_views_link_to_the_advert_page_not_the_markdown(client, finished) -> None:
    html = client.get(f"/assessments/{finished}").get_data(as_text=True)
    assert f'href="/assessments/{finished}/advert"' in html and "advert.md" not in html
    advert = client.get(f"/assessments/{finished}/advert")
    assert advert.mimetype == "text/html" and f'href="/assessments/{finished}/advert.md"' in advert.get_data(
        as_text=True)
    assert client.get(f"/assessments/{finished}/advert.md").mimetype == "text/markdown"
    result = f"/assessments/{finished}"
    assert client.post(f"{result}/shares", data={"csrf_token": form_token(client, result)}).status_code == 302
    share = re.search(r"/shared/([\w-]+)", client.get(f"/assessments/{finished}").get_data(as_text=True)).group(1)
    shared = client.get(f"/shared/{share}").get_data(as_text=True)
    assert f'href="/shared/{share}/advert"' in shared and "advert.md" not in shared
    assert client.get(f"/shared/{share}/advert").mimetype == "text/html"


def test_signing_up_from_a_result_files_it_in_a_new_organisation_named_at_the_start(client, app, finished) -> None:
    result = client.get(f"/assessments/{finished}").get_data(as_text=True)
    link = re.search(r'href="(/signup\?[^"]+)"', result).group(1).replace("&amp;", "&")
    assert f"next=/assessments/{finished}" in link.replace("%2F", "/") and "new organisation, Harbour Retail" in result
    assert "filed in your new organisation" in client.get(link).get_data(as_text=True)
    assert request_sign_up(client, "new@harbour.example", next=f"/assessments/{finished}").status_code == 302
    response = confirm_email(client, "new@harbour.example")  # the link in the e-mail, then the password
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/assessments/{finished}")
    shown = client.get(f"/assessments/{finished}").get_data(as_text=True)
    assert "filed in Harbour Retail&#39;s history" in shown and "Organisation history" in shown
    with app.app_context():
        assessment = db.session.execute(db.select(Assessment)).scalar_one()
        organisation = db.session.get(Organisation, assessment.organisation_id)
        member = db.session.execute(db.select(Membership)).scalar_one()
        assert organisation.name == "Harbour Retail"
        assert (member.organisation_id, member.role) == (organisation.id, "owner")


def test_sign_up_files_nothing_without_a_result_or_with_someone_elses_filed_one(client, app) -> None:
    sign_up(client, "owner@example.org")
    org = create_org(client, "Owned")
    _, token = make_assessment(app, org, personas.answers("p1_online_shop"))  # already filed
    client.post("/logout", data={"csrf_token": form_token(client, "/orgs")})
    stranger = app.test_client()
    request_sign_up(stranger, "stranger@example.org", next=f"/assessments/{token}")
    response = confirm_email(stranger, "stranger@example.org")
    assert f"/assessments/{token}" in response.headers["Location"]  # sent on, where it is a 404 to them
    assert stranger.get(response.headers["Location"]).status_code == 404
    plain = app.test_client()
    request_sign_up(plain, "plain@example.org")
    assert confirm_email(plain, "plain@example.org").headers["Location"].endswith("/orgs")
    with app.app_context():
        assert db.session.execute(db.select(Assessment)).scalar_one().organisation_id == org
        assert len(db.session.execute(db.select(Organisation)).all()) == 1


def test_a_member_chooses_an_organisation_or_a_new_one_named_at_the_start(client, app) -> None:
    sign_up(client, "member@example.org")
    create_org(client, "Existing Ltd")
    client.post("/logout", data={"csrf_token": form_token(client, "/orgs")})
    token = start(client, organisation="Second Site")
    complete(client, token, personas.answers("p2_media_company"))
    log_in(client, "member@example.org")
    result = client.get(f"/assessments/{token}").get_data(as_text=True)
    assert "Existing Ltd" in result and "A new organisation: Second Site" in result
    response = client.post(f"/assessments/{token}/claim", data={"csrf_token": csrf(result), "organisation": "new"})
    assert response.headers["Location"].endswith(f"/assessments/{token}")
    with app.app_context():
        names = set(db.session.execute(db.select(Organisation.name)).scalars())
        filed = db.session.execute(db.select(Assessment)).scalar_one()
        assert names == {"Existing Ltd", "Second Site"}
        assert db.session.get(Organisation, filed.organisation_id).name == "Second Site"


def test_the_section_list_counts_answers_and_a_jump_saves_the_page_first(client, app) -> None:
    token = start(client)
    first = Q.sections[0]
    page = client.get(f"/assessments/{token}/sections/{first.id}").get_data(as_text=True)
    assert "All sections" in page and f'value="{Q.sections[3].id}"' in page
    assert "0/" in page  # nothing answered yet
    response = client.post(f"/assessments/{token}/sections/{first.id}", data={
        "csrf_token": csrf(page), field_name("headcount"): "from_10_to_49", "jump": Q.sections[3].id})
    assert response.headers["Location"].endswith(f"/sections/{Q.sections[3].id}")
    with app.app_context():
        assert saved_answers(db.session.execute(db.select(Assessment)).scalar_one())["headcount"] == "from_10_to_49"
    again = client.get(f"/assessments/{token}/sections/{first.id}").get_data(as_text=True)
    assert re.search(r">\s*1/\d+\s*<", again)
    bogus = client.post(f"/assessments/{token}/sections/{first.id}", data={
        "csrf_token": csrf(again), field_name("headcount"): "from_10_to_49", "jump": "nowhere"})
    assert bogus.status_code in (200, 302) and "nowhere" not in bogus.headers.get("Location", "")


def test_editing_a_finished_assessment_can_save_and_return_to_the_result(client, finished) -> None:
    page = client.get(f"/assessments/{finished}/sections/{Q.sections[1].id}").get_data(as_text=True)
    assert "Save and return to the result" in page
    response = post_section(client, finished, Q.sections[1].id,
                            {q.id: personas.answers("p3_retailer")[q.id] for q in Q.sections[1].questions
                             if q.id in personas.answers("p3_retailer")}, extra={"to_result": "1"})
    assert response.headers["Location"].endswith(f"/assessments/{finished}")
    unfinished = start(client)
    assert "Save and return to the result" not in client.get(
        f"/assessments/{unfinished}/sections/{Q.sections[1].id}").get_data(as_text=True)


def test_links_handed_out_have_copy_buttons(client, finished) -> None:
    section = client.get(f"/assessments/{finished}/sections/{Q.sections[0].id}").get_data(as_text=True)
    assert 'data-copy="resume-link"' in section and 'id="resume-link"' in section
    client.post(f"/assessments/{finished}/shares", data={"csrf_token": form_token(client, f"/assessments/{finished}")})
    assert 'data-copy="share-' in client.get(f"/assessments/{finished}").get_data(as_text=True)
    sign_up(client, "inviter@example.org")
    org = create_org(client, "Inviting")
    invite = client.post(f"/orgs/{org}/invites", data={"csrf_token": form_token(client, f"/orgs/{org}")})
    assert 'data-copy="invite-link"' in invite.get_data(as_text=True)


def test_the_landing_page_links_to_the_demo_sample_read_only(client, app, runner) -> None:
    assert "See a sample result" not in client.get("/").get_data(as_text=True)  # no demo, no sample
    runner.invoke(args=["demo", "--if-empty"])
    landing = client.get("/").get_data(as_text=True)
    share = re.search(r'href="/shared/([\w-]+)">See a sample result', landing).group(1)
    sample = client.get(f"/shared/{share}").get_data(as_text=True)
    assert "Northwind Outfitters" in sample and "Edit the answers" not in sample and "Save label" not in sample


def test_demo_labels_name_the_quarter_of_their_dates_and_a_second_run_adds_a_lost_sample(runner, app) -> None:
    runner.invoke(args=["demo", "--if-empty"])
    with app.app_context():
        rows = db.session.execute(db.select(Assessment).order_by(Assessment.created_at)).scalars().all()
        for row in rows:
            assert row.label.startswith(f"Q{(row.created_at.month - 1) // 3 + 1} {row.created_at.year} ")
        db.session.execute(db.delete(ShareLink))
        db.session.commit()
    assert "Demo sign-in" in runner.invoke(args=["demo", "--if-empty"]).output
    with app.app_context():
        assert demo.sample_share_token() is not None
