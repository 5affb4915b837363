"""The result page and the PDF show what the recommendation rests on: ranges, people in post,
borderline answers and contradictions."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests import personas
from tests.web.helpers import complete, start

pytestmark = pytest.mark.db


def squash(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return squash(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.mark.usefixtures("pdf_worker")
def test_borderline_and_what_would_change_it_on_the_page_and_in_the_pdf(client) -> None:
    token = start(client, organisation="Edge Insurance")
    complete(client, token, personas.reading("p10", "cautious"))
    page = squash(client.get(f"/assessments/{token}").get_data(as_text=True))
    assert "A borderline recommendation" in page
    assert "If the answer to “" in page and "the first hire would be <strong>data scientist</strong>" in page
    text = pdf_text(client.get(f"/assessments/{token}/report.pdf").data)
    assert "A borderline recommendation" in text and "the first hire would be data scientist" in text


@pytest.mark.usefixtures("pdf_worker")
def test_the_range_and_the_people_in_post(client) -> None:
    token = start(client, organisation="Known Base")
    complete(client, token, personas.reading("p11", "cautious"))
    page = squash(client.get(f"/assessments/{token}").get_data(as_text=True))
    assert "The pyramid is in place up to Explore and report (stage 4 of 7)" in page
    assert "What the unknown answers leave open" in page and "Were every unknown answer favourable" in page
    assert "Already in post:</strong> Data analyst, Data engineer" in page
    text = pdf_text(client.get(f"/assessments/{token}/report.pdf").data)
    assert "The pyramid is in place up to Explore and report" in text and "could be in place up to" in text


@pytest.mark.usefixtures("pdf_worker")
def test_contradictions_are_named_and_lower_the_confidence(client) -> None:
    answers = personas.reading("p5", "cautious") | {"store_access": "self_service", "store_location": "spreadsheets"}
    token = start(client, organisation="Odd Answers")
    complete(client, token, answers)
    page = squash(client.get(f"/assessments/{token}").get_data(as_text=True))
    assert "Answers that cannot all be true" in page
    assert "Central permissions need a central store." in page
    text = pdf_text(client.get(f"/assessments/{token}/report.pdf").data)
    assert "Answers that cannot all be true" in text


def test_the_advert_page_its_markdown_and_the_share_link(client, app) -> None:
    from tests.web.helpers import create_org, form_token, make_assessment, sign_up

    sign_up(client, "advert@example.org")
    org = create_org(client, "Advert Clinics")
    _, token = make_assessment(app, org, personas.reading("p9_later", "cautious"))
    page = client.get(f"/assessments/{token}/advert").get_data(as_text=True)
    assert "<h1>Data analyst</h1>" in page and "Copy as Markdown" in page
    assert "You will join our data engineer" in page and "We are an organisation in health care" in page
    markdown = client.get(f"/assessments/{token}/advert.md")
    assert markdown.mimetype == "text/markdown" and markdown.headers["Content-Disposition"].endswith('-advert.md"')
    assert markdown.get_data(as_text=True).startswith("# Data analyst\n")
    client.post(f"/assessments/{token}/shares", data={"csrf_token": form_token(client, f"/assessments/{token}")})
    share = client.get(f"/assessments/{token}").get_data(as_text=True).split("/shared/")[1].split("<")[0]
    anonymous = app.test_client()
    assert "<h1>Data analyst</h1>" in anonymous.get(f"/shared/{share}/advert").get_data(as_text=True)
    assert anonymous.get(f"/assessments/{token}/advert").status_code == 404
