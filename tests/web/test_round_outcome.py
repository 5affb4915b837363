"""A closed round's result is the team's outcome (assessments.team), everywhere it goes: P14 answered
through the web form by three people, against `groundwork score` on the same three answer files.

Run on SQLite and on PostgreSQL (marker db)."""

from __future__ import annotations

import html
import json

import pytest
from click.testing import CliRunner

import assessments
from app.cli import domain
from app.extensions import db
from app.models import Assessment, RecordedOutcome
from tests.personas import p14
from tests.web.test_rounds import finish, invite, join, member, round_of, start_round

pytestmark = pytest.mark.db


def test_p14_as_a_round_gives_the_team_outcome_on_the_page_the_pdf_and_the_command_line(app, tmp_path) -> None:
    (cto_seat, cto_name, cto), (fd_seat, fd_name, fd), (claims_seat, claims_name, claims) = p14.respondents("unsure")
    owner, org = member(app, "cfo@insurer.example", "Harbour Mutual")
    mine = start_round(owner, org, fd_seat, name=fd_name)
    round_ = round_of(app, mine)
    cto_client, claims_client = app.test_client(), app.test_client()
    cto_token = join(cto_client, invite(owner, round_.token), cto_seat, name=cto_name)
    claims_token = join(claims_client, invite(owner, round_.token), claims_seat, name=claims_name)
    finish(owner, mine, fd)
    finish(cto_client, cto_token, cto)
    finish(claims_client, claims_token, claims)

    files = []
    for index, (seat, name, answers) in enumerate([(fd_seat, fd_name, fd), (cto_seat, cto_name, cto),
                                                    (claims_seat, claims_name, claims)]):
        path = tmp_path / f"r{index}.json"
        path.write_text(json.dumps({"seat": seat, "name": name, "answers": answers}), encoding="utf-8")
        files.append(str(path))
    printed = json.loads(CliRunner().invoke(domain, ["score", *files, "--json"]).output)

    with app.app_context():
        closed = db.session.get(Assessment, round_.id)
        assert closed.completed_at is not None
        recorded = db.session.get(RecordedOutcome, round_.id).outcome
    assert recorded == printed  # the round was recorded as the command line works it out
    assert recorded["respondents"] == 3
    assert recorded["disagreements"][0]["question_id"] == p14.DISPUTED

    page = html.unescape(owner.get(f"/assessments/{round_.token}").get_data(as_text=True))
    disputed = assessments.current().question(p14.DISPUTED).text
    settle = page.split("Settle these together")[1]
    assert settle.index(disputed) < min(settle.index(q) for q in (
        assessments.current().question(d["question_id"]).text for d in recorded["disagreements"][1:])
        if q in settle) if len(recorded["disagreements"]) > 1 else disputed in settle
    assert "Decides the hire" in settle
    assert fd_name in settle and cto_name in settle  # members see names
    assert f"Confidence: {printed['confidence']['label']}" in page
    singles = [assessments.evaluate(assessments.current(), a).scored.confidence for a in (fd, cto, claims)]
    assert printed["confidence"]["value"] < min(singles)

    # The respondent who is not a member sees seats, never names; a share link sees neither.
    theirs = html.unescape(cto_client.get(f"/responses/{cto_token}/result").get_data(as_text=True))
    assert "Settle these together" in theirs and "Leadership" in theirs
    assert fd_name not in theirs and claims_name not in theirs


def _round(app, owner, org: int, people: list[tuple[str, str, dict]]) -> Assessment:
    (first_seat, first_name, first), *others = people
    mine = start_round(owner, org, first_seat, name=first_name)
    round_ = round_of(app, mine)
    clients = [(app.test_client(), seat, name, answers) for seat, name, answers in others]
    tokens = [join(client, invite(owner, round_.token), seat, name=name) for client, seat, name, _ in clients]
    finish(owner, mine, first)
    for (client, _, _, answers), token in zip(clients, tokens, strict=True):
        finish(client, token, answers)
    return round_


def test_two_rounds_are_compared_like_two_assessments(app) -> None:
    owner, org = member(app, "cto@insurer.example", "Harbour Mutual")
    before = _round(app, owner, org, p14.respondents("cautious"))
    agreed = [(seat, name, {**answers, p14.DISPUTED: "documented", "report_dashboards": "used_weekly"})
              for seat, name, answers in p14.respondents("cautious")]
    after = _round(app, owner, org, agreed)
    with app.app_context():
        ids = [db.session.execute(db.select(Assessment.id).filter_by(token=r.token)).scalar_one()
               for r in (before, after)]
        recorded = [db.session.get(RecordedOutcome, i).outcome for i in ids]
    assert recorded[0]["recommendation"]["first_hire"] == "data_analyst"
    assert recorded[1]["recommendation"]["first_hire"] != "data_analyst"
    assert recorded[1]["disagreements"][0]["question_id"] != p14.DISPUTED  # settled: nobody disputes it now
    page = html.unescape(owner.get(f"/orgs/{org}/compare?before={ids[0]}&after={ids[1]}").get_data(as_text=True))
    assert "What moved" in page
    assert assessments.current().question(p14.DISPUTED).text in page
    history = owner.get(f"/orgs/{org}").get_data(as_text=True)
    assert history.count("team round, 3 respondents") == 2
