"""End to end in headless Chromium: a person completes an assessment by clicking."""

from __future__ import annotations

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
    expect(page.get_by_text("Section 1 of 10")).to_be_visible()


def answer_section(page: Page, answers: dict) -> None:
    section_title = page.locator("h1").inner_text()
    section = next(s for s in Q.sections if s.title == section_title)
    for question in section.questions:
        value = answers.get(question.id)
        if value is None or not page.locator(f"#q-{question.id}").is_visible():
            continue
        if question.type == "single":
            page.locator(f"#q-{question.id} input[value='{value}']").check()
        else:
            page.locator(f"#q-{question.id} .input").fill(str(value))


def complete(page: Page, answers: dict) -> None:
    for index in range(len(Q.sections)):
        answer_section(page, answers)
        is_last = index == len(Q.sections) - 1
        page.get_by_role("button", name="Finish and see the result" if is_last else "Next").click()
        if not is_last:
            expect(page.get_by_text(f"Section {index + 2} of {len(Q.sections)}")).to_be_visible()


def test_p3_completes_by_clicking_and_gets_a_data_scientist(page: Page, live_server: str) -> None:
    start(page, live_server)
    complete(page, personas.answers("p3_retailer"))
    expect(page.locator("h1")).to_have_text("Hire a data scientist first.")
    expect(page.get_by_role("img", name="Data-needs pyramid")).to_be_visible()
    expect(page.get_by_text("Runner-up: Machine learning engineer")).to_be_visible()


def test_back_next_and_reload_keep_the_answers(page: Page, live_server: str) -> None:
    start(page, live_server)
    answers = personas.answers("p2_media_company")
    answer_section(page, answers)
    page.get_by_role("button", name="Next").click()
    page.locator("#q-collect_events input[value='most']").check()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_text("Section 1 of 10")).to_be_visible()
    expect(page.locator("#q-headcount input[value='from_50_to_249']")).to_be_checked()
    page.reload()
    expect(page.locator("#q-sector input[value='media']")).to_be_checked()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#q-collect_events input[value='most']")).to_be_checked()


def test_conditional_question_follows_the_answer_with_javascript(page: Page, live_server: str) -> None:
    start(page, live_server)
    deadline = page.locator("#q-ml_deadline")
    expect(deadline).to_be_hidden()
    page.locator("#q-ml_expectation input[value='ai_product']").check()
    expect(deadline).to_be_visible()
    page.locator("#q-ml_expectation input[value='reporting']").check()
    expect(deadline).to_be_hidden()


def test_the_whole_flow_works_with_javascript_disabled(page_without_js: Page, live_server: str) -> None:
    page = page_without_js
    start(page, live_server, organisation="No-script Ltd")
    expect(page.locator("#q-ml_deadline")).to_be_visible()  # shown, with a note saying when it applies
    complete(page, personas.answers("p3_retailer"))
    expect(page.locator("h1")).to_have_text("Hire a data scientist first.")


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
    answers = personas.answers("p4_logistics")
    for index in range(len(Q.sections)):
        assert serious_violations(page) == [], page.locator("h1").inner_text()
        answer_section(page, answers)
        is_last = index == len(Q.sections) - 1
        page.get_by_role("button", name="Finish and see the result" if is_last else "Next").click()
    expect(page.locator("h1")).to_have_text("Hire a machine learning engineer first.")
    assert serious_violations(page) == []
    page.goto(live_server + "/assessments/new")
    assert serious_violations(page) == []
