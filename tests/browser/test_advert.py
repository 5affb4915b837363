"""Done when (issue 20): from the result page's advert button to a filled advert, downloaded as Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

import assessments
from assessments.advert import markdown_text
from tests import personas
from tests.browser.test_questionnaire import complete, serious_violations, start

pytestmark = pytest.mark.browser

FIELDS = {"About us": "We sell outdoor kit from a warehouse in Bristol.", "Salary": "£48,000 to £56,000",
          "Location": "Bristol, two days a week in the office",
          "How to apply": "Send a CV and a short note by 31 January."}


def test_advert_button_opens_the_page_and_the_filled_fields_reach_the_markdown(browser: Browser,
                                                                              live_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        answers = personas.answers("p1_online_shop")
        start(page, live_server, organisation="Pebble Online")
        complete(page, answers)
        page.get_by_role("link", name="Job advert").click()
        expect(page.locator("h1")).to_have_text("Data engineer at Pebble Online")  # a page, not a download
        expect(page.locator(".advert .placeholder").first).to_be_visible()
        for label, value in FIELDS.items():
            page.get_by_label(label).fill(value)
        page.get_by_role("button", name="Save the advert").click()
        expect(page.get_by_role("status")).to_contain_text("Advert saved")
        expect(page.locator(".advert .placeholder")).to_have_count(0)
        assert serious_violations(page) == []
        with page.expect_download() as info:
            page.get_by_role("link", name="Download as Markdown").click()
        markdown = Path(info.value.path()).read_text(encoding="utf-8")
        for value in FIELDS.values():
            assert markdown_text(value) in markdown
        assert page.locator("#advert-markdown").input_value() == markdown  # the copy button's text is the same
        outcome = assessments.evaluate(assessments.current(), answers, borderline=False)
        for question in outcome.recommendation.interview_questions:
            assert markdown_text(question) not in markdown
        for blocker in outcome.scored.blockers:
            assert markdown_text(blocker.title) not in markdown and markdown_text(blocker.fix) not in markdown
        legal = outcome.recommendation.sector_legal
        assert not legal or markdown_text(legal) not in markdown
        page.get_by_role("link", name="Hiring pack").click()
        expect(page.get_by_role("heading", name="How we will interview")).to_be_visible()
    finally:
        context.close()
