"""End to end: a team round of three (P14, the insurer read three ways) answered in three browsers."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

import assessments
from assessments.team import Response, evaluate_team
from tests.browser.test_organisations import sign_up
from tests.browser.test_questionnaire import complete, serious_violations
from tests.mail_server import Mailbox
from tests.personas import p14

pytestmark = pytest.mark.browser


def _invite(page: Page, name: str) -> str:
    page.get_by_label("Their name").fill(name)
    page.get_by_role("button", name="Create the invitation").click()
    expect(page.locator("h1")).to_have_text(f"Invitation for {name}")
    link = page.locator("#round-invite-link").inner_text()
    page.get_by_role("link", name="Back to the round").click()
    return link


def _join(page: Page, link: str, seat: str, name: str, answers: dict) -> str:
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("You are invited to answer Harbour Insurance")
    assert serious_violations(page) == []
    page.get_by_label(seat).check()
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Start answering").click()
    expect(page.get_by_text(f"from the {seat.split(' ')[0].lower()} seat")).to_be_visible()
    complete(page, answers)
    expect(page.locator("h1")).to_have_text("Your answers are in")
    return page.url


def test_three_seats_disagree_on_what_decides_the_hire(page: Page, browser: Browser, live_server: str,
                                                        mailbox: Mailbox) -> None:
    people = p14.respondents("cautious")  # every required question answered, as a person must
    (cto_seat, cto, cto_answers), (fd_seat, fd, fd_answers), (hc_seat, hc, hc_answers) = people
    assert (cto_seat, fd_seat, hc_seat) == ("technical", "leadership", "business")

    sign_up(page, live_server, "cto@harbour-insurance.example", mailbox)
    page.get_by_label("Organisation name").fill("Harbour Insurance")
    page.get_by_role("button", name="Create organisation").click()
    page.get_by_label("Technical (engineering, data, IT)").check()
    page.get_by_label("Your name").fill(cto)
    page.get_by_role("button", name="Start a team round").click()
    complete(page, cto_answers)
    expect(page.locator("h1")).to_have_text("Your answers are in")
    page.get_by_role("link", name="The round's page").click()
    expect(page.get_by_text("1 of 1 has finished")).to_be_visible()
    round_url = page.url
    assert serious_violations(page) == []
    links = [_invite(page, fd), _invite(page, hc)]

    # The finance director has no account: she sees her own answers, and nobody else's before the round closes.
    finance = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    own_page = _join(finance, links[0], "Leadership (founders, directors, heads of a department)", fd, fd_answers)
    disputed = assessments.current().question(p14.DISPUTED)
    own = finance.locator("main").text_content()
    assert disputed.text in own and cto not in own and hc not in own
    assert finance.goto(round_url).status == 404
    finance.goto(own_page)
    expect(finance.get_by_role("link", name="See the combined result")).to_have_count(0)

    # The owner, finished, sees both finished respondents' answers, where they differ.
    page.reload()
    expect(page.locator(".round-question", has_text=disputed.text)).to_contain_text("answers differ")

    # The head of claims finishes last: the round closes itself.
    claims = browser.new_context().new_page()
    _join(claims, links[1], "Business (sales, finance, operations, product, customer teams)", hc, hc_answers)
    expect(claims.get_by_text("The round is closed")).to_be_visible()

    # The combined result: the question that decides the hire first, and less sure than anyone alone.
    questionnaire = assessments.current()
    team = evaluate_team(questionnaire, [Response(seat, answers, name) for seat, name, answers in people])
    alone = [assessments.evaluate(questionnaire, answers).scored.confidence for _, _, answers in people]
    assert team.scored.confidence < min(alone)
    page.goto(round_url)
    page.get_by_role("link", name="See the combined result").click()
    first = page.locator("ol.disagreements > li").first
    expect(first).to_contain_text(disputed.text)
    expect(first).to_contain_text("Decides the hire")
    expect(page.locator(".confidence")).to_have_text(team.story.confidence)
    expect(page.locator(".agreement")).to_contain_text(fd)  # members see names

    # The respondent sees the combined result by seat, naming nobody.
    finance.goto(own_page)
    finance.get_by_role("link", name="See the combined result").click()
    expect(finance.locator("ol.disagreements > li").first).to_contain_text(disputed.text)
    text = finance.locator("main").text_content()
    assert fd not in text and cto not in text and hc not in text and "Leadership" in text
