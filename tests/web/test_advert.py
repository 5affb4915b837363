"""The job advert a manager can publish, and the hiring pack that stays with the organisation."""

from __future__ import annotations

import re

import pytest

import assessments
from assessments.advert import Details, advert, markdown_text
from tests import personas
from tests.web.helpers import complete, csrf, form_token, start

pytestmark = pytest.mark.db


@pytest.fixture
def finished(client):
    token = start(client, organisation="Harbour Retail")
    complete(client, token, personas.answers("p1_online_shop"))
    return token


def save(client, token: str, **fields: str):
    data = {"csrf_token": form_token(client, f"/assessments/{token}/advert"), "about": "", "salary": "",
            "location": "", "how_to_apply": ""} | fields
    return client.post(f"/assessments/{token}/advert", data=data)


def test_the_four_fields_are_saved_with_the_assessment_and_reach_page_and_markdown(client, finished) -> None:
    empty = client.get(f"/assessments/{finished}/advert.md").get_data(as_text=True)
    assert empty.count("To fill in before publishing:") == 3  # salary, location, how to apply
    response = save(client, finished, about="We sell outdoor kit from Bristol.", salary="£48,000 to £56,000",
                    location="Bristol, two days a week in the office", how_to_apply="Write to jobs at harbour")
    assert response.status_code == 302
    page = client.get(f"/assessments/{finished}/advert").get_data(as_text=True)
    markdown = client.get(f"/assessments/{finished}/advert.md").get_data(as_text=True)
    for text in ("We sell outdoor kit from Bristol.", "£48,000 to £56,000", "Bristol, two days a week in the office",
                 "Write to jobs at harbour"):
        assert text in page and text in markdown
    assert "To fill in before publishing" not in markdown
    assert 'value="£48,000 to £56,000"' in page  # the form shows what was saved


def test_the_advert_keeps_interview_questions_blockers_and_legal_notes_for_the_hiring_pack(client, finished) -> None:
    outcome = assessments.evaluate(assessments.current(), personas.answers("p1_online_shop"), borderline=False)
    rec = outcome.recommendation
    markdown = client.get(f"/assessments/{finished}/advert.md").get_data(as_text=True)
    page = client.get(f"/assessments/{finished}/advert").get_data(as_text=True)
    pack = client.get(f"/assessments/{finished}/hiring-pack").get_data(as_text=True)
    assert rec.interview_questions and outcome.scored.blockers
    for question in rec.interview_questions:
        assert markdown_text(question) not in markdown
        assert question.replace("'", "&#39;").replace('"', "&#34;") in pack
    for blocker in outcome.scored.blockers:
        assert blocker.title not in markdown and blocker.fix not in markdown
        assert blocker.title in pack
    if rec.sector_legal:
        assert rec.sector_legal not in markdown and rec.sector_legal not in page
    assert "How we will interview" in pack and "How we will interview" not in page


def test_user_text_in_the_markdown_adds_no_heading_link_image_or_html(client, finished) -> None:
    save(client, finished, about="# Big news\n\n[click](https://evil.example) ![x](https://evil.example/x.png)",
         salary="<img src=x onerror=alert(1)>", location="<b>London</b>", how_to_apply="- www.evil.example")
    markdown = client.get(f"/assessments/{finished}/advert.md").get_data(as_text=True)
    lines = markdown.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert all(line.startswith(("# ", "## ")) for line in headings) and "# Big news" not in lines
    assert "\\# Big news" in markdown
    for markup in ("[click](", "![x](", "https://", "www.evil"):
        assert markup not in markdown
    assert re.search(r"(?<!\\)[<>]", markdown) is None  # every angle bracket escaped: no HTML
    assert "\\- www\\.evil.example" in markdown
    page = client.get(f"/assessments/{finished}/advert").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_markdown_text_escapes_only_what_markdown_reads_as_markup() -> None:
    assert markdown_text("Plain words, a full stop. And p9_later.") == "Plain words, a full stop. And p9_later."
    assert markdown_text("1. first") == "1\\. first"
    assert markdown_text("> quote\nline") == "\\> quote line"


def test_the_screening_guidance_agrees_with_the_lines_under_it(client) -> None:
    """The notes name the tools in use: the guidance above them asks what was done with them, rather than
    dismissing "a list of tools" right above one."""
    token = start(client, organisation="Harbour Retail")
    complete(client, token, personas.answers("p1_online_shop") | {"tools": ["excel", "python"]})
    pack = client.get(f"/assessments/{token}/hiring-pack").get_data(as_text=True)
    notes = pack[pack.index("Screening notes"):pack.index("Before the hire starts")]
    assert "Hands-on experience with the tools in use here: spreadsheets and Python" in notes
    assert "list of tools" not in notes and "Where a line names tools, ask what they did with them" in notes


def test_empty_fields_are_placeholders_and_about_falls_back_to_the_answers() -> None:
    outcome = assessments.evaluate(assessments.current(), personas.answers("p2_media_company"), borderline=False)
    generated = advert(outcome, "Lantern Media")
    written = advert(outcome, "Lantern Media", Details(about="We publish local news.", salary="£50k"))
    about = {s.title: s for s in generated.public}["About us"].paragraphs
    assert about and "Lantern Media" in about[0]
    assert {s.title: s for s in written.public}["About us"].paragraphs == ("We publish local news.",)
    offer = {s.title: s for s in written.public}["What we offer"].items
    assert offer[0] == "Salary: £50k" and offer[1].startswith("Location: To fill in before publishing:")


def test_a_bad_save_keeps_what_was_typed_and_says_why(client, finished) -> None:
    page = client.get(f"/assessments/{finished}/advert").get_data(as_text=True)
    response = client.post(f"/assessments/{finished}/advert", data={
        "csrf_token": csrf(page), "about": "x" * 1001, "salary": "kept salary", "location": "", "how_to_apply": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="kept salary"' in html and "1000" in html
    expired = client.post(f"/assessments/{finished}/advert", data={"csrf_token": "stale", "salary": "typed"})
    assert expired.status_code == 400 and 'value="typed"' in expired.get_data(as_text=True)
    assert "nothing was saved" in expired.get_data(as_text=True)


def test_share_links_show_the_saved_advert_read_only_and_never_the_hiring_pack(client, app, finished) -> None:
    save(client, finished, salary="£51,000")
    result = f"/assessments/{finished}"
    client.post(f"{result}/shares", data={"csrf_token": form_token(client, result)})
    share = client.get(result).get_data(as_text=True).split("/shared/")[1].split("<")[0].split('"')[0]
    visitor = app.test_client()
    shared = visitor.get(f"/shared/{share}/advert").get_data(as_text=True)
    assert "£51,000" in shared and "Save the advert" not in shared and "Hiring pack" not in shared
    assert visitor.get(f"/shared/{share}/hiring-pack").status_code == 404
    assert "Hiring pack" not in visitor.get(f"/shared/{share}").get_data(as_text=True)
    assert visitor.post(f"/assessments/{finished}/advert", data={"salary": "x"}).status_code in (400, 404)
