"""End to end: accounts, an organisation's two assessments, the comparison, and isolation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import personas
from tests.browser.test_questionnaire import complete, serious_violations

pytestmark = pytest.mark.browser


def sign_up(page: Page, base: str, email: str) -> None:
    page.goto(base + "/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_label("Repeat the password").fill("correct horse battery")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Your organisations")


def test_two_assessments_compared_and_kept_from_other_organisations(page: Page, browser: Browser,
                                                                    live_server: str) -> None:
    sign_up(page, live_server, "hiring@harbour.example")
    page.get_by_label("Organisation name").fill("Harbour Media")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.locator("h1")).to_have_text("Harbour Media")
    org_url = page.url

    page.get_by_label("Label").fill("Q1 review")
    page.get_by_role("button", name="Start a new assessment").click()
    complete(page, personas.answers("p2_media_company"))
    expect(page.locator("h1")).to_contain_text("Hire a data analyst")

    page.goto(org_url)
    page.get_by_label("Label").fill("Q2 after the analyst joined")
    expect(page.get_by_label("Start from a copy of the latest answers")).to_be_checked()
    page.get_by_role("button", name="Start a new assessment").click()
    expect(page.locator("#q-headcount input[value='from_50_to_249']")).to_be_checked()  # pre-filled
    complete(page, personas.answers("p3_retailer"))
    expect(page.locator("h1")).to_contain_text("Hire a data scientist")

    page.goto(org_url)
    expect(page.get_by_role("img", name="Stage and level scores over time")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Compare the two selected").click()
    expect(page.locator("h1")).to_have_text("What moved")
    expect(page.get_by_text("up 2")).to_be_visible()
    expect(page.get_by_text("the recommendation is now your next hire after them: a data scientist")).to_be_visible()
    changes = page.locator("table.changes")
    expect(changes).to_contain_text("Does leadership have dashboards for the figures that run the business?")
    expect(changes).to_contain_text("Yes, and they are used every week")
    assert serious_violations(page) == []
    compare_url = page.url

    other = browser.new_context()
    stranger = other.new_page()
    sign_up(stranger, live_server, "someone@elsewhere.example")
    stranger.get_by_label("Organisation name").fill("Elsewhere Ltd")
    stranger.get_by_role("button", name="Create organisation").click()
    for url in (org_url, compare_url, org_url + "/export.csv"):
        response = stranger.goto(url)
        assert response is not None and response.status == 404, url
        expect(stranger.locator("h1")).to_have_text("Page not found")
    other.close()
