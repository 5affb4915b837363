"""End to end in headless Chromium: P14 as a team round. Three people, from three seats, answer on their own;
they disagree on the key figures, which decides between an analyst and a data scientist.

The combined page names that question first, its confidence is lower than any one respondent's, and a
respondent who is not a member sees nobody else's answers before the round closes."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, expect

import assessments
from app.cli import domain
from tests.browser.test_organisations import sign_up
from tests.browser.test_questionnaire import answer_section, serious_violations
from tests.mail_server import Mailbox
from tests.personas import p14

pytestmark = pytest.mark.browser
Q = assessments.current()


def answer_all(page: Page, answers: dict) -> None:
    """Answer each page of a respondent's questionnaire and press Next, then Finish."""
    for _ in range(len(Q.sections)):
        heading = page.locator("h1").inner_text()
        answer_section(page, answers)
        finish = page.get_by_role("button", name="Finish", exact=True)
        (finish if finish.count() else page.get_by_role("button", name="Next")).click()
        expect(page.locator("h1")).not_to_have_text(heading)
        if "/sections/" not in page.url:
            return


def invitation(page: Page, round_url: str, name: str) -> str:
    page.goto(round_url)
    page.get_by_label("Their name").fill(name)
    page.get_by_role("button", name="Create the invitation").click()
    return page.locator("#round-invite-link").inner_text().strip()


def join(page: Page, link: str, seat: str, name: str) -> None:
    page.goto(link)
    page.locator(f"input[name=seat][value={seat}]").check()
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Start answering").click()
    expect(page.get_by_text("Section 1 of")).to_be_visible()


def test_p14_answered_as_a_team_round(page: Page, browser: Browser, live_server: str, mailbox: Mailbox,
                                      tmp_path) -> None:
    people = p14.respondents("unsure")
    (fd_seat, fd_name, fd), (cto_seat, cto_name, cto), (claims_seat, claims_name, claims) = (
        people[1], people[0], people[2])

    sign_up(page, live_server, "finance@mutual.example", mailbox)
    page.get_by_label("Organisation name").fill("Harbour Mutual")
    page.get_by_role("button", name="Create organisation").click()
    expect(page.locator("h1")).to_have_text("Harbour Mutual")
    page.locator("input[name=seat][value=leadership]").check()
    page.locator("#round-h").locator("..").get_by_label("Your name").fill(fd_name)
    page.get_by_role("button", name="Start a team round").click()
    expect(page.get_by_text("team round from the leadership seat")).to_be_visible()
    answer_all(page, fd)

    page.goto(live_server + "/orgs")
    page.get_by_role("link", name="Harbour Mutual").click()
    page.get_by_role("link", name="Assessment 1", exact=True).click()  # an open round: its page
    round_url = page.url
    assert round_url.endswith("/round"), round_url

    cto_context, claims_context = browser.new_context(), browser.new_context()
    cto_page, claims_page = cto_context.new_page(), claims_context.new_page()
    join(cto_page, invitation(page, round_url, "CTO"), "technical", cto_name)
    join(claims_page, invitation(page, round_url, "Claims"), "business", claims_name)

    # Before the round closes, a respondent who is not a member sees their own answers and nobody else's.
    answer_all(cto_page, cto)
    own_url = cto_page.url
    own = cto_page.locator("main").inner_text()
    assert "Your answers are in" in own
    assert fd_name not in own and "They exist but teams dispute them" not in own
    response = cto_page.goto(round_url)
    assert response is not None and response.status == 404

    # The last to finish closes the round; the member reads the combined result.
    answer_all(claims_page, claims)
    page.goto(round_url)
    page.get_by_role("link", name="See the combined result").click()
    disputed = Q.question(p14.DISPUTED).text
    settle = page.locator(".disagreements > li").first
    expect(settle).to_contain_text(disputed)
    expect(settle).to_contain_text("Decides the hire")
    expect(page.locator("h1")).to_contain_text("data analyst")
    assert serious_violations(page) == []

    # The confidence on the page is the team's, lower than any one respondent's own, and agrees with
    # `groundwork score` on the three respondents' answer files.
    files = []
    for index, (seat, name, answers) in enumerate(((fd_seat, fd_name, fd), (cto_seat, cto_name, cto),
                                                   (claims_seat, claims_name, claims))):
        path = tmp_path / f"r{index}.json"
        path.write_text(json.dumps({"seat": seat, "name": name, "answers": answers}), encoding="utf-8")
        files.append(str(path))
    printed = json.loads(CliRunner().invoke(domain, ["score", *files, "--json"]).output)
    assert printed["disagreements"][0]["question_id"] == p14.DISPUTED
    singles = [assessments.evaluate(Q, answers).scored.confidence for answers in (fd, cto, claims)]
    assert printed["confidence"]["value"] < min(singles)
    expect(page.locator(".confidence")).to_contain_text(f"Confidence: {printed['confidence']['label']}.")
    expect(page.locator(".confidence")).to_contain_text("could change the hire")

    # Once closed, the respondent sees the combined result: seats, never names.
    cto_page.goto(own_url)
    cto_page.get_by_role("link", name=re.compile("combined result")).first.click()
    expect(cto_page.locator(".disagreements > li").first).to_contain_text(disputed)
    text = cto_page.locator("main").inner_text()
    assert fd_name not in text and claims_name not in text and "Leadership" in text
    cto_context.close()
    claims_context.close()
