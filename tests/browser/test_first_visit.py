"""The first fifteen minutes in a browser: filing at sign-up, the section list, copy buttons, and the
history, comparison, result and advert at phone width (nothing cut off, chart text 11 px or more)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from app import create_app
from app.extensions import db
from app.services import demo
from tests import personas
from tests.browser.conftest import serving
from tests.browser.test_questionnaire import complete, serious_violations, start
from tests.mail_server import Mailbox

pytestmark = pytest.mark.browser

#: The smallest chart text, in CSS pixels, on any screen: what reads on a phone.
MIN_CHART_PX = 11
MEASURE = """() => {
  let smallest = 99, where = '';
  document.querySelectorAll('svg.chart').forEach(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    svg.querySelectorAll('text').forEach(t => {
      const px = parseFloat(t.getAttribute('font-size')) * scale;
      if (px < smallest) { smallest = px; where = svg.getAttribute('class') + ': ' + t.textContent; }
    });
  });
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, smallest, where};
}"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server whose database holds the demo organisation (three assessments and a sample link)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "browser-demo", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        demo.create()
    with serving(app) as base:
        yield base


def demo_pages(page: Page, base: str) -> dict[str, str]:
    page.goto(base + "/")
    sample = page.get_by_role("link", name="See a sample result").get_attribute("href")
    page.goto(base + "/login")
    page.get_by_label("Email").fill(demo.EMAIL)
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + "/orgs")
    org = page.get_by_role("link", name=demo.ORGANISATION).get_attribute("href")
    page.goto(base + org)
    result = page.locator("table.history tbody tr").last.locator("td.cell-main a").first.get_attribute("href")
    assert result.count("/") == 2  # the latest result itself, not its delete page
    ids = page.locator("input[name=after]").evaluate_all("els => els.map(e => e.value)")
    return {"history": org, "comparison": f"{org}/compare?before={ids[0]}&after={ids[-1]}", "result": result,
            "advert": result + "/advert", "sample": sample, "questionnaire": result + "/sections/collect"}


@pytest.mark.parametrize("width", [375, 1280])
def test_pages_fit_the_screen_and_chart_text_stays_readable(browser: Browser, demo_server: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        for name, url in demo_pages(page, demo_server).items():
            page.goto(demo_server + url)
            measured = page.evaluate(MEASURE)
            assert measured["overflow"] <= 0, f"{name} at {width} px is wider than the screen"
            assert measured["smallest"] >= MIN_CHART_PX, (name, width, measured["where"], measured["smallest"])
            if width == 375 and name in ("history", "comparison"):
                expect(page.get_by_text("Scroll sideways to see the whole chart").first).to_be_visible()
    finally:
        context.close()


def test_the_sample_result_is_read_only(page: Page, demo_server: str) -> None:
    page.goto(demo_server + "/")
    page.get_by_role("link", name="See a sample result").click()
    expect(page.locator(".eyebrow")).to_contain_text(demo.ORGANISATION)
    expect(page.get_by_role("link", name="Download the PDF report")).to_be_visible()
    expect(page.get_by_role("link", name="Edit the answers")).to_have_count(0)
    expect(page.get_by_text("Keep and share this result")).to_have_count(0)


def test_signing_up_from_a_result_files_it_in_one_step(page: Page, live_server: str, mailbox: Mailbox) -> None:
    start(page, live_server, organisation="Quayside Bakery")
    complete(page, personas.answers("p1_online_shop"))
    expect(page.locator("h1")).to_contain_text("Hire a data engineer")
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_text("filed in your new organisation")).to_be_visible()
    page.get_by_label("Email").fill("baker@quayside.example")
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_label("Repeat the password").fill("correct horse battery")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    page.goto(live_server + mailbox.link("baker@quayside.example", "/signup/confirm/"))
    page.get_by_label("Your password").fill("correct horse battery")
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page.get_by_role("status").first).to_contain_text("filed in Quayside Bakery's history")
    page.get_by_role("link", name="Organisation history").click()
    expect(page.locator("h1")).to_have_text("Quayside Bakery")
    expect(page.locator("table.history tbody tr")).to_have_count(1)


def test_section_list_jumps_keep_the_answers_and_copy_buttons_copy(browser: Browser, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        start(page, live_server, organisation="Jumping Ltd")
        page.locator("#q-headcount input[value='from_10_to_49']").check()
        page.get_by_role("button", name="Storing data").click()
        expect(page.locator("h1")).to_have_text("Storing data")
        expect(page.locator(".section-list li").first).to_contain_text("1/")
        page.get_by_role("button", name="Your organisation").click()
        expect(page.locator("#q-headcount input[value='from_10_to_49']")).to_be_checked()
        assert serious_violations(page) == []
        resume = page.locator("#resume-link").inner_text().strip()
        page.get_by_role("button", name="Copy link").click()
        expect(page.get_by_role("button", name="Copied")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == resume
    finally:
        context.close()
