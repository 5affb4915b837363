"""The auditor (issue 19, item 6): every example organisation and a few hundred generated ones, with
"don't know" mixed in, rendered as the result page, the PDF's HTML and the advert; every sentence is
checked against the answers (tests/audit.py says what is checked and why)."""

from __future__ import annotations

import html as html_lib
from collections.abc import Iterator
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from flask import Flask, render_template

import assessments
from app import create_app
from app.reports import charts, pdf
from assessments.advert import advert
from tests import audit, personas

#: Generated organisations per published questionnaire version (a few hundred in all).
GENERATED = 150


@pytest.fixture(scope="module")
def render_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app for rendering templates only: no request reaches the database."""
    tmp = tmp_path_factory.mktemp("auditor")
    yield create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": "groundwork.test",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'unused.sqlite3'}"})


def audited(app: Flask, answers: dict, questionnaire: assessments.Questionnaire,
            organisation: str = "Example Org") -> audit.Audit:
    outcome = assessments.evaluate(questionnaire, answers)
    check = audit.Audit(outcome)
    stub = SimpleNamespace(organisation_name=organisation, label=None, completed_at=datetime(2026, 11, 30))
    with app.test_request_context():
        page = render_template("results/show.html", assessment=stub, outcome=outcome, scored=outcome.scored,
                               rec=outcome.recommendation, pyramid=charts.pyramid(outcome.scored),
                               bars=charts.level_scores(outcome.scored), readonly=True, shared_token="t",
                               reproduced=True, with_today=False, today=None, said=None)
        ad = advert(outcome, organisation)
        advert_page = render_template("results/advert.html", assessment=stub, ad=ad, markdown_url="/a.md",
                                      back_url="/a")
    check.page("result page", page)
    check.page("PDF", pdf.report_html(outcome, organisation=organisation, when=date(2026, 11, 30)))
    check.page("advert", advert_page)
    markdown = "".join(f"<p>{html_lib.escape(line.lstrip('#-0123456789. '))}</p>"
                       for line in ad.markdown().splitlines() if line.strip())
    check.page("advert (Markdown)", f"<section>{markdown}</section>")
    check.sentences()
    return check


def report(findings: list[str]) -> str:
    return f"{len(findings)} findings, first ones:\n" + "\n".join(findings[:15])


@pytest.mark.parametrize("how", personas.READINGS)
def test_every_example_organisation_says_only_what_its_answers_say(render_app: Flask, how: str) -> None:
    v2, newest = assessments.get("groundwork", 2), assessments.current()
    findings = []
    for key in sorted(personas.FACTS):
        check = audited(render_app, personas.reading(key, how, 2), v2)
        findings += [f"{key}/{how} {f}" for f in check.findings]
        check = audited(render_app, personas.reading(key, how, newest.version), newest)
        findings += [f"{key}/{how}/v{newest.version} {f}" for f in check.findings]
    assert not findings, report(findings)


@pytest.mark.parametrize("version", sorted(v for (i, v) in assessments.published() if i == "groundwork" and v >= 2))
def test_generated_organisations_with_unknowns_say_only_what_their_answers_say(render_app: Flask,
                                                                               version: int) -> None:
    questionnaire = assessments.get("groundwork", version)
    findings = []
    for n, answers in enumerate(audit.generated(questionnaire, GENERATED, seed=version)):
        check = audited(render_app, answers, questionnaire)
        findings += [f"#{n} {f}" for f in check.findings]
    assert not findings, report(findings)


def test_the_auditor_catches_what_the_trials_found() -> None:
    """The defects of the trials, written into a page by hand: each is found."""
    v3 = assessments.current()
    unknown_people = {"headcount": "from_10_to_49", "sector": "retail", "roles_in_post": ["dk"],
                      "service_users": "established"}
    check = audit.Audit(assessments.evaluate(v3, unknown_people, borderline=False))
    check.page("hand-written", "<section>"
               "<p>Crumb &amp; Co is an organisation in retail, e-commerce, restaurants or consumer goods.</p>"
               "<li>Stand up a central warehouse and load the the records of your day-to-day activity</li>"
               "<p>You will be our first data hire, working directly with leadership.</p>"
               "<li>Our data sits in the tills or shop platform and the stock system.</li>"
               "<li>Our data sits in the tills or shop platform and the stock system.</li>"
               "</section>")
    problems = " ".join(f.problem for f in check.findings)
    for expected in ("option label pasted", "doubled word", "first data hire", "sector noun 'till'",
                     "sector noun 'stock'", "line repeated"):
        assert expected in problems, expected
    # The persona reviews of session 4: a form label quoted as their words, a tool nobody ticked, counts.
    reviewed = audit.Audit(assessments.evaluate(v3, unknown_people | {"tools": ["snowflake"]}, borderline=False))
    reviewed.page("reviewed", "<section>"
                  "<li>Hands-on experience with the tools in use here: \u201cExcel or Google Sheets\u201d</li>"
                  "<li>Hands-on experience with Python</li><li>Hands-on experience with Snowflake</li>"
                  "<p>1 more could be blockers: the answer was not known.</p>"
                  "<p>One more could be a blocker; one blockers; two blocker.</p>"
                  "<p>You answered \u201cExcel or Google Sheets\u201d to \u201cWhich tools?\u201d</p>"
                  "</section>")
    found = [f.problem for f in reviewed.findings]
    assert found == ["option label quoted as their words 'Excel or Google Sheets'",
                     "tool 'Python' named, but 'python' is not ticked", "small count in figures '1 more'",
                     "count and noun disagree 'one blockers'"], found
    quoted = audit.Audit(assessments.evaluate(v3, unknown_people | {"own_records": "patient records"},
                                              borderline=False))
    quoted.page("own words", "<p>Think of your patient records.</p><p>You said \u201cthe the\u201d.</p>")
    assert not quoted.findings
