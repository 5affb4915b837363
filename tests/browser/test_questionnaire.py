"""End to end in headless Chromium: a person completes an assessment by clicking."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

import assessments
from tests import personas

pytestmark = pytest.mark.browser
Q = assessments.current()


def start(page: Page, base: str, organisation: str = "Harbour Retail") -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Start an assessment").first.click()
    page.get_by_label("Organisation name").fill(organisation)
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_text("Section 1 of 12")).to_be_visible()


def answer_section(page: Page, answers: dict) -> None:
    section_title = page.locator("h1").inner_text()
    section = next(s for s in Q.sections if s.title == section_title)
    for question in section.questions:
        value = answers.get(question.id)
        if value is None or not page.locator(f"#q-{question.id}").is_visible():
            continue
        if question.type == "single":
            page.locator(f"#q-{question.id} input[value='{value}']").check()
        elif question.type == "multi":
            for item in value if isinstance(value, list) else [value]:
                page.locator(f"#q-{question.id} input[value='{item}']").check()
        else:
            page.locator(f"#q-{question.id} .input").fill(str(value))


def complete(page: Page, answers: dict, *, on_each_page=None) -> None:  # type: ignore[no-untyped-def]
    """Answer each page and press Next (or Finish) until the result: sections that do not apply are skipped.
    `on_each_page(page)` runs on every questionnaire page before it is answered."""
    for _ in range(len(Q.sections)):
        heading = page.locator("h1").inner_text()
        if on_each_page is not None:
            on_each_page(page)
        answer_section(page, answers)
        finish = page.get_by_role("button", name=re.compile(r"^Finish"))  # a team round's respondent: "Finish"
        (finish if finish.count() else page.get_by_role("button", name="Next")).click()
        expect(page.locator("h1")).not_to_have_text(heading)
        if "/sections/" not in page.url:
            return


def no_serious_violations(page: Page) -> None:
    assert serious_violations(page) == [], page.locator("h1").inner_text()


def test_p3_completes_by_clicking_and_gets_a_data_scientist(page: Page, live_server: str) -> None:
    start(page, live_server)
    complete(page, personas.answers("p3_retailer"))
    expect(page.locator("h1")).to_contain_text("Hire a data scientist")
    expect(page.get_by_role("img", name="Data-needs pyramid")).to_be_visible()
    expect(page.get_by_text("Runner-up: Machine learning engineer")).to_be_visible()


def test_back_next_and_reload_keep_the_answers(page: Page, live_server: str) -> None:
    start(page, live_server)
    answers = personas.answers("p2_media_company")
    answer_section(page, answers)
    page.get_by_role("button", name="Next").click()
    page.locator("#q-collect_activity input[value='most']").check()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_text("Section 1 of 12")).to_be_visible()
    expect(page.locator("#q-headcount input[value='from_50_to_249']")).to_be_checked()
    page.reload()
    expect(page.locator("#q-sector input[value='media']")).to_be_checked()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#q-collect_activity input[value='most']")).to_be_checked()


def test_conditional_question_follows_the_answer_with_javascript(page: Page, live_server: str) -> None:
    start(page, live_server)
    deadline = page.locator("#q-ml_deadline")
    expect(deadline).to_be_hidden()
    page.locator("#q-ml_expectation input[value='ai_product']").check()
    expect(deadline).to_be_visible()
    page.locator("#q-ml_expectation input[value='reporting']").check()
    expect(deadline).to_be_visible()  # several wishes: one of them is machine learning
    page.locator("#q-ml_expectation input[value='ai_product']").uncheck()
    expect(deadline).to_be_hidden()
    analysts = page.locator("#q-people_data_analyst")
    expect(analysts).to_be_hidden()
    page.locator("#q-roles_in_post input[value='data_analyst']").check()
    expect(analysts).to_be_visible()


def test_the_whole_flow_works_with_javascript_disabled(page_without_js: Page, live_server: str) -> None:
    page = page_without_js
    start(page, live_server, organisation="No-script Ltd")
    expect(page.locator("#q-ml_deadline")).to_be_visible()  # shown, with a note saying when it applies
    complete(page, personas.answers("p3_retailer"))
    expect(page.locator("h1")).to_contain_text("Hire a data scientist")


def test_keyboard_only_can_answer_and_move_on(page: Page, live_server: str) -> None:
    start(page, live_server)
    page.locator("#q-headcount input").first.focus()
    page.keyboard.press("ArrowDown")  # radio groups move the selection with the arrow keys
    expect(page.locator("#q-headcount input[value='from_10_to_49']")).to_be_checked()


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_accessibility_of_landing_questionnaire_and_result(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    assert serious_violations(page) == []
    start(page, live_server)
    complete(page, personas.answers("p4_logistics"), on_each_page=no_serious_violations)
    expect(page.locator("h1")).to_contain_text("Hire a machine learning engineer")
    assert serious_violations(page) == []
    page.goto(live_server + "/assessments/new")
    assert serious_violations(page) == []


def test_version_2_completes_at_phone_width_with_no_serious_accessibility_issue(browser, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        start(page, live_server, organisation="Pocket Clinic")
        complete(page, personas.reading("p9_later", "cautious"), on_each_page=no_serious_violations)
        expect(page.locator("h1")).to_contain_text("data analyst")
        assert serious_violations(page) == []
    finally:
        context.close()
