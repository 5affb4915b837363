"""Input nobody should send still gets a 4xx page, never a 500 (shared/docs/quality.md, the security review)."""

from __future__ import annotations

import io

import pytest

from app.web.converters import MAX_ID
from tests import personas
from tests.web.helpers import complete, create_org, form_token, make_assessment, sign_up, start

pytestmark = pytest.mark.db

HUGE = 10**20


def _file(name: str = "x.txt") -> tuple[io.BytesIO, str]:
    return io.BytesIO(b"not text"), name


def test_a_file_where_text_is_expected_is_a_validation_error(client, app) -> None:
    anonymous = app.test_client()
    for url, fields in (("/login", ("email", "password")), ("/signup", ("email", "password", "confirm")),
                        ("/assessments/new", ("organisation_name", "start_key"))):
        token = form_token(anonymous, url)
        data = {"csrf_token": token} | {name: _file() for name in fields}
        response = anonymous.post(url, data=data, content_type="multipart/form-data")
        assert 200 <= response.status_code < 500 and response.status_code != 302, (url, response.status_code)

    token = start(client)
    page_token = form_token(client, f"/assessments/{token}/sections/profile")
    response = client.post(f"/assessments/{token}/sections/profile", content_type="multipart/form-data", data={
        "csrf_token": page_token, "q_main_question": _file(), "q_headcount": _file(), "proceed": "Next"})
    assert response.status_code == 200 and "Some answers need attention" in response.get_data(as_text=True)

    sign_up(client, "files@example.org")
    response = client.post("/orgs", content_type="multipart/form-data",
                           data={"csrf_token": form_token(client, "/orgs"), "name": _file()})
    assert response.status_code == 400
    org = create_org(client, "Files Ltd")
    _, finished = make_assessment(app, org, personas.answers("p3_retailer"))
    response = client.post(f"/assessments/{finished}/label", content_type="multipart/form-data",
                           data={"csrf_token": form_token(client, f"/assessments/{finished}"), "label": _file()})
    assert response.status_code == 302


def test_a_json_body_is_not_taken_for_a_form(client) -> None:
    for body in ('{"email": {"a": 1}, "password": ["x"]}', "[1, 2, 3]", '"text"'):
        response = client.post("/login", data=body, content_type="application/json")
        assert response.status_code in (200, 400), body


def test_ids_beyond_what_the_database_holds_are_404(client, app) -> None:
    sign_up(client, "ids-big@example.org")
    org = create_org(client, "Big Ids")
    first, token = make_assessment(app, org, personas.answers("p3_retailer"))
    second, _ = make_assessment(app, org, personas.answers("p4_logistics"))
    csrf = form_token(client, "/orgs")
    for big in (HUGE, MAX_ID + 1, 0, -1):
        for url in (f"/orgs/{big}", f"/orgs/{big}/export.csv", f"/orgs/{big}/export.json",
                    f"/orgs/{big}/compare?before={first}&after={second}"):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/orgs/{big}/invites", data={"csrf_token": csrf}).status_code == 404
        assert client.post(f"/assessments/{token}/shares/{big}/revoke", data={"csrf_token": csrf}).status_code == 404
        assert client.get(f"/orgs/{org}/compare?before={big}&after={second}").status_code == 404
    assert client.get(f"/orgs/{MAX_ID}").status_code == 404


def test_nul_bytes_in_tokens_and_emails_are_harmless(client, app) -> None:
    for url in ("/assessments/a%00b", "/assessments/a%00b/resume", "/assessments/a%00b/report.pdf",
                "/shared/a%00b", "/shared/a%00b/report.pdf", "/invites/a%00b"):
        assert client.get(url).status_code == 404, url
    response = client.post("/login", data={"csrf_token": form_token(client, "/login"),
                                           "email": "a\x00b@example.org", "password": "whatever12345"})
    assert response.status_code == 200 and "do not match" in response.get_data(as_text=True)
    response = client.post("/signup", data={"csrf_token": form_token(client, "/signup"),
                                            "email": "nul\x00@example.org", "password": "whatever12345",
                                            "confirm": "whatever12345"})
    assert response.status_code in (200, 302)


def test_answers_with_nul_bytes_are_stored_readably(client) -> None:
    token = start(client, organisation="Nul\x00 Ltd")
    complete(client, token, personas.answers("p6_mixed_unsure") | {"main_question": "a\x00b"})
    page = client.get(f"/assessments/{token}").get_data(as_text=True)
    assert "Nul\ufffd Ltd" in page
