"""The PDF as a document to hand over: a summary page that says each thing once, a page on how the
assessment works, headings never left at a page foot, the organisation and "page N of M" on every page."""

from __future__ import annotations

import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

import assessments
from app.reports import pdf, summary
from tests import personas

WHEN = date(2026, 11, 30)
CASES = [("p1_online_shop", "Pebble & Co Online"), ("p2_media_company", "Lantern Media"),
         ("p3_retailer", "Harbour Retail Group"), ("p6_mixed_unsure", "Mixed Signals Ltd")]


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag in ("h2", "h3"):
            self._in, self.found = True, [*self.found, ""]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3"):
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.found[-1] += data


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def report(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    persona, organisation = request.param
    outcome = assessments.evaluate(assessments.current(), personas.answers(persona))
    html = pdf.report_html(outcome, organisation=organisation, when=WHEN)
    reader = PdfReader(io.BytesIO(pdf.render_pdf(html)))
    FILLED[organisation] = [filled(page) for page in reader.pages]
    pages = [squash(p.extract_text()) for p in reader.pages]
    return outcome, organisation, html, pages


#: How far down each page of a report its body text reaches (0: empty, 1: to the bottom margin).
FILLED: dict[str, list[float]] = {}
MM = 72 / 25.4


def filled(page) -> float:  # type: ignore[no-untyped-def]
    """The share of the body area (inside the 24 mm top and 22 mm bottom margins) down to the lowest text."""
    height = float(page.mediabox.height)
    top, bottom = height - 24 * MM, 22 * MM
    lows: list[float] = []

    def visit(text, cm, tm, font, size) -> None:  # type: ignore[no-untyped-def]
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and bottom < y < top:
            lows.append(y)

    page.extract_text(visitor_text=visit)
    return round((top - min(lows)) / (top - bottom), 2) if lows else 0.0


def test_every_page_after_the_cover_names_the_organisation_and_counts_pages(report) -> None:
    _, organisation, _, pages = report
    for number, text in enumerate(pages[1:], start=2):
        assert organisation in text, number
        assert f"Page {number} of {len(pages)}" in text


def test_the_summary_fills_its_page_and_how_it_works_follows(report) -> None:
    outcome, _, _, pages = report
    assert pages[1].count("Executive summary") == 1 and "What to find out" in pages[1]
    assert ("first action" in pages[1] or "first two actions" in pages[1] or "first three actions" in pages[1]) \
        and "How sure" in pages[1]
    # How it works follows the summary: on page 3, or page 4 when a long list of things to find out goes on.
    how = next(i for i, text in enumerate(pages) if "How this assessment works" in text)
    assert how in (2, 3)
    for words in ("I don't know", "What confidence means", "How answers are scored", "The pyramid"):
        assert words in pages[how].replace("\u2019", "'").replace("“", "").replace("”", "")
    assert len(summary.first_actions(outcome)) == 3


def test_the_reasons_actions_and_headline_are_not_repeated_word_for_word(report) -> None:
    outcome, _, _, pages = report
    body = " ".join(pages[1:])  # the cover names the recommendation once more, as a title page does
    rec = outcome.recommendation
    assert body.count(squash(rec.headline)) == 1
    for reason in rec.reasons:
        assert body.count(squash(reason.text)) == 1, reason.text
    for action in summary.first_actions(outcome):
        assert body.count(squash(action.text)) == 1, action.text
    story = outcome.story
    for sentence in (story.lead, story.confidence_detail, story.open_range):
        if sentence:
            assert body.count(squash(sentence)) == 1, sentence


def test_no_heading_is_the_last_thing_on_a_page(report) -> None:
    _, organisation, html, pages = report
    parser = _Headings()
    parser.feed(html)
    headings = {squash(h) for h in parser.found if squash(h)}
    furniture = re.compile(r"Page \d+ of \d+|30 November 2026|Groundwork — Data-maturity assessment|"
                           + re.escape(organisation))
    for number, text in enumerate(pages[1:], start=2):
        content = squash(furniture.sub(" ", text))
        for heading in headings:
            if content.endswith(heading):
                pytest.fail(f"page {number} ends with the heading {heading!r}")


def test_a_blocker_given_as_an_action_points_back_to_it_instead_of_repeating_its_fix() -> None:
    outcome = assessments.evaluate(assessments.current(), personas.answers("p1_online_shop"))
    actions = summary.first_actions(outcome)
    fixing = [a for a in actions if a.blocker_id]
    assert fixing
    html = pdf.report_html(outcome, organisation="Pebble", when=WHEN)
    assert f"First fix: action {actions.index(fixing[0]) + 1} of the executive summary." in html


def test_no_section_start_leaves_the_page_before_it_mostly_empty(report) -> None:
    """Sections after the summary follow on rather than start a page: a page is left short only where what
    comes next cannot be split (a card, a chart), never half empty. The summary has its page; the last page
    ends where the answers end."""
    _, organisation, _, pages = report
    how = next(i for i, text in enumerate(pages) if "How this assessment works" in text)
    fills = FILLED[organisation]
    for number in range(how, len(pages) - 1):
        assert fills[number] >= 0.6, (number + 1, fills)
