"""Team rounds in the web app: starting, inviting, joining, answering, closing, and who sees what.

Run on SQLite and on PostgreSQL (marker db), races included.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

import assessments
from app.extensions import db
from app.models import AnswerRow, Assessment, RecordedOutcome, RoundInvite
from tests import personas
from tests.web.helpers import complete, create_org, csrf, form_token, make_assessment, post_section, sign_up
from tests.web.test_concurrency import _race as race

pytestmark = pytest.mark.db

START_KEY_RE = re.compile(r'name="start_key" type="hidden" value="([^"]+)"')
JOIN_KEY_RE = re.compile(r'name="join_key" type="hidden" value="([^"]+)"')


# -- helpers ------------------------------------------------------------------------------------


def member(app, email: str, org_name: str | None = None) -> tuple[FlaskClient, int | None]:
    client = app.test_client()
    sign_up(client, email)
    return client, create_org(client, org_name) if org_name else None


def start_round(client: FlaskClient, org: int, seat: str = "leadership", name: str = "", label: str = "",
                start_key: str | None = None) -> str:
    """Start a round from the organisation's page; return the starter's response token."""
    page = client.get(f"/orgs/{org}").get_data(as_text=True)
    card = page.split('id="round-h"')[1]
    response = client.post(f"/orgs/{org}/rounds", data={
        "csrf_token": csrf(page), "start_key": start_key or START_KEY_RE.search(card).group(1), "seat": seat,
        "name": name, "label": label})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "/sections/" in response.headers["Location"], response.headers["Location"]
    return response.headers["Location"].split("/assessments/")[1].split("/")[0]


def round_of(app, response_token: str) -> Assessment:
    with app.app_context():
        response = db.session.execute(db.select(Assessment).filter_by(token=response_token)).scalar_one()
        found = db.session.get(Assessment, response.round_id)
        db.session.expunge(found)
        return found


def invite(client: FlaskClient, round_token: str, name: str = "", email: str = "") -> str:
    """Create an invitation from the round's page; return the join path."""
    url = f"/assessments/{round_token}/round"
    response = client.post(f"{url}/invites", data={"csrf_token": form_token(client, url), "name": name,
                                                   "email": email})
    assert response.status_code == 200, response.get_data(as_text=True)
    return "/rounds/join/" + response.get_data(as_text=True).split("/rounds/join/")[1].split("<")[0]


def join(client: FlaskClient, link: str, seat: str, name: str = "") -> str:
    page = client.get(link).get_data(as_text=True)
    response = client.post(link, data={"csrf_token": csrf(page), "join_key": JOIN_KEY_RE.search(page).group(1),
                                       "seat": seat, "name": name})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].split("/assessments/")[1].split("/")[0]


def finish(client: FlaskClient, token: str, answers: dict[str, Any]):
    response = complete(client, token, answers)
    assert response.headers["Location"].endswith(f"/responses/{token}"), response.headers["Location"]
    return response


def answer_label(question_id: str, option_id: str) -> str:
    q = assessments.current().question(question_id)
    return next(o.label for o in q.options if o.id == option_id)


BASE = personas.answers("p3_retailer")
#: A single-choice question with at least three options, and three different answers to it.
QUESTION = next(q for q in assessments.current().questions
                if q.type == "single" and q.required and q.when is None and q.id in BASE
                and len([o for o in q.options if not o.dont_know]) >= 3)
OPTIONS = [o.id for o in QUESTION.options if not o.dont_know][:3]


def variant(option: str) -> dict[str, Any]:
    return {**BASE, QUESTION.id: option}


# -- lifecycle ----------------------------------------------------------------------------------


def test_a_round_of_three_from_start_to_the_combined_result(app, mailbox) -> None:
    owner, org = member(app, "owner@example.org", "Round Ltd")
    colleague, _ = member(app, "colleague@example.org")
    page = owner.post(f"/orgs/{org}/invites", data={"csrf_token": form_token(owner, f"/orgs/{org}")})
    org_link = page.get_data(as_text=True).split("/invites/")[1].split("<")[0]
    colleague.post(f"/invites/{org_link}", data={"csrf_token": form_token(colleague, f"/invites/{org_link}")})
    outsider = app.test_client()  # a respondent with no account

    mine = start_round(owner, org, "leadership", name="Ana Owner", label="Whole team")
    round_ = round_of(app, mine)
    assert round_.is_round and round_.label == "Whole team"
    assert f'href="/orgs/{org}#round-h">Start a team round' in owner.get("/assessments/new").get_data(as_text=True)
    emailed = invite(owner, round_.token, name="Tom", email="tom@example.org")
    assert mailbox.link("tom@example.org", "/rounds/join/").endswith(emailed)
    member_link = invite(owner, round_.token, name="Colleague")

    theirs = join(outsider, emailed, "technical", name="Tom Tech")
    ours = join(colleague, member_link, "business")
    finish(owner, mine, variant(OPTIONS[0]))
    post_section(outsider, theirs, assessments.current().sections[0].id, {})

    # The round page, for members: everyone with seat, name and status; invitations are used.
    page = owner.get(f"/assessments/{round_.token}/round").get_data(as_text=True)
    assert "Tom Tech" in page and "Technical" in page and "Business" in page and "Ana Owner" in page
    assert page.count("Answering") == 2 and page.count("Finished") == 1
    # An open round in the history: a team round, in progress; its result address leads to its page.
    history = owner.get(f"/orgs/{org}").get_data(as_text=True)
    assert "team round, 3 respondents" in history and "in progress" in history
    assert owner.get(f"/assessments/{round_.token}").headers["Location"].endswith(f"/{round_.token}/round")
    # Nobody answers the round itself.
    assert owner.get(f"/assessments/{round_.token}/sections/profile").headers["Location"].endswith("/round")

    # A respondent who is not a member: their own answers, nobody else's, and no round page.
    own = outsider.get(f"/responses/{theirs}").get_data(as_text=True)
    assert "You have not finished yet" in own and "Ana Owner" not in own
    assert outsider.get(f"/assessments/{round_.token}/round").status_code == 404
    assert outsider.get(f"/responses/{mine}").status_code == 200  # the owner's private link is theirs alone
    finish(outsider, theirs, variant(OPTIONS[1]))
    own = outsider.get(f"/responses/{theirs}").get_data(as_text=True)
    assert "Your answers are in" in own and answer_label(QUESTION.id, OPTIONS[1]) in own
    assert "Ana Owner" not in own and "combined result is ready once the round closes" in own
    assert outsider.get(f"/responses/{theirs}/result").status_code == 302  # not before it closes

    # The last to finish closes the round: the combined answers are the round's, its outcome recorded.
    finish(colleague, ours, variant(OPTIONS[2]))
    with app.app_context():
        closed = db.session.get(Assessment, round_.id)
        assert closed.completed_at is not None and closed.revision == 1
        answers = dict(db.session.execute(db.select(AnswerRow.question_id, AnswerRow.value)
                                          .filter_by(assessment_id=round_.id)).all())
        # Three different answers and no majority: an even split with no obstacle at stake is not known.
        assert answers[QUESTION.id] == assessments.team.combine(
            assessments.current(), [assessments.Response("other", variant(o)) for o in OPTIONS])[QUESTION.id]
        assert answers[QUESTION.id] == (QUESTION.dont_know_option.id if QUESTION.dont_know_option else OPTIONS[0])
        assert db.session.get(RecordedOutcome, round_.id) is not None
        assert all(db.session.get(RecordedOutcome, a.id) is None for a in db.session.execute(
            db.select(Assessment).filter_by(round_id=round_.id)).scalars())  # responses are never results
    result = owner.get(f"/assessments/{round_.token}")
    assert result.status_code == 200
    history = owner.get(f"/orgs/{org}").get_data(as_text=True)
    assert "team round, 3 respondents" in history and "in progress" not in history
    assert history.count("/responses/") == 0

    # The combined result for the respondent: read-only, naming nobody.
    shown = outsider.get(f"/responses/{theirs}/result")
    assert shown.status_code == 200
    text = shown.get_data(as_text=True)
    assert "Tom Tech" not in text and "Ana Owner" not in text and "Edit the answers" not in text
    assert "Keep and share this result" not in text
    # The round is closed: answers can no longer change, and the response's link leads to its page.
    redirected = outsider.get(f"/assessments/{theirs}/sections/profile")
    assert redirected.headers["Location"].endswith(f"/responses/{theirs}")


def test_a_round_with_one_respondent_says_what_the_single_assessment_says(app) -> None:
    owner, org = member(app, "solo@example.org", "Solo")
    mine = start_round(owner, org, "technical")
    finish(owner, mine, BASE)
    round_ = round_of(app, mine)
    assert round_.completed_at is None  # a starter alone never closes the round on themselves
    page = owner.get(f"/assessments/{round_.token}/round/close").get_data(as_text=True)
    assert "Everyone invited has finished" in page
    closed = owner.post(f"/assessments/{round_.token}/round/close",
                        data={"csrf_token": form_token(owner, f"/assessments/{round_.token}/round/close")})
    assert closed.headers["Location"].endswith(f"/assessments/{round_.token}")
    _, single = make_assessment(app, org, BASE)
    with app.app_context():
        def recorded(token: str) -> dict[str, Any]:
            a = db.session.execute(db.select(Assessment).filter_by(token=token)).scalar_one()
            return db.session.get(RecordedOutcome, a.id).outcome

        as_round, as_single = recorded(round_.token), recorded(single)
    for key in ("stage", "levels", "confidence", "recommendation", "blockers"):
        assert as_round[key] == as_single[key], key
    # The round is one assessment of the history: compared with another like any.
    with app.app_context():
        ids = [db.session.execute(db.select(Assessment.id).filter_by(token=t)).scalar_one()
               for t in (round_.token, single)]
    compared = owner.get(f"/orgs/{org}/compare?before={ids[0]}&after={ids[1]}")
    assert compared.status_code == 200 and "What moved" in compared.get_data(as_text=True)


def test_a_round_closes_itself_when_every_invited_person_has_finished(app) -> None:
    owner, org = member(app, "auto@example.org", "Auto")
    mine = start_round(owner, org)
    round_ = round_of(app, mine)
    link = invite(owner, round_.token)
    finish(owner, mine, BASE)
    assert round_of(app, mine).completed_at is None  # an invitation is still unused
    theirs = join(app.test_client(), link, "other")
    assert round_of(app, mine).completed_at is None
    with app.test_client() as again:  # the respondent's private link works from any browser
        finish(again, theirs, BASE)
    assert round_of(app, mine).completed_at is not None


def test_revoking_the_last_unused_invitation_closes_a_round_everyone_finished(app) -> None:
    owner, org = member(app, "revoke@example.org", "Revokers")
    mine = start_round(owner, org)
    round_ = round_of(app, mine)
    theirs = join(app.test_client(), invite(owner, round_.token), "technical")
    link = invite(owner, round_.token, name="Never comes")
    finish(owner, mine, BASE)
    finish(app.test_client(), theirs, BASE)
    assert round_of(app, mine).completed_at is None
    with app.app_context():
        invite_id = db.session.execute(db.select(RoundInvite.id).filter_by(response_id=None)).scalar_one()
    url = f"/assessments/{round_.token}/round/invites/{invite_id}/revoke"
    assert "Never comes" in owner.get(url).get_data(as_text=True)
    owner.post(url, data={"csrf_token": form_token(owner, url)})
    assert app.test_client().get(link).status_code == 404
    assert round_of(app, mine).completed_at is not None


# -- who sees what ------------------------------------------------------------------------------


def test_a_member_sees_nobody_elses_answers_until_they_finish_their_own(app) -> None:
    owner, org = member(app, "first@example.org", "Peers")
    mine = start_round(owner, org, name="Owner Person")
    round_ = round_of(app, mine)
    theirs = join(app.test_client(), invite(owner, round_.token), "technical", name="Early Bird")
    finish(app.test_client(), theirs, variant(OPTIONS[1]))
    label = answer_label(QUESTION.id, OPTIONS[1])
    page = owner.get(f"/assessments/{round_.token}/round").get_data(as_text=True)
    assert "once you have finished your own" in page and QUESTION.text not in page
    finish(owner, mine, variant(OPTIONS[0]))
    page = owner.get(f"/assessments/{round_.token}/round").get_data(as_text=True)
    assert QUESTION.text in page and label in page and "Early Bird" in page
    # A member who has no answers in the round sees them all.
    other = app.test_client()
    sign_up(other, "other-member@example.org")
    page = owner.post(f"/orgs/{org}/invites", data={"csrf_token": form_token(owner, f"/orgs/{org}")})
    org_link = page.get_data(as_text=True).split("/invites/")[1].split("<")[0]
    other.post(f"/invites/{org_link}", data={"csrf_token": form_token(other, f"/invites/{org_link}")})
    assert label in other.get(f"/assessments/{round_.token}/round").get_data(as_text=True)


def test_everything_of_a_round_is_404_across_organisations(app) -> None:
    owner, org = member(app, "a-owner@example.org", "A")
    mine = start_round(owner, org)
    round_ = round_of(app, mine)
    invite(owner, round_.token, name="Pending")
    with app.app_context():
        invite_id = db.session.execute(db.select(RoundInvite.id)).scalar_one()
    outsider, _ = member(app, "b-owner@example.org", "B")
    token = form_token(outsider, "/orgs")
    base = f"/assessments/{round_.token}/round"
    assert outsider.get(base).status_code == 404
    for url in (f"{base}/close", f"{base}/invites/{invite_id}/revoke"):
        assert outsider.get(url).status_code == 404, url
        assert outsider.post(url, data={"csrf_token": token}).status_code == 404, url
    assert outsider.post(f"{base}/invites", data={"csrf_token": token, "name": "x"}).status_code == 404
    assert outsider.get(f"/assessments/{round_.token}").status_code == 404
    # A response's token is never an assessment's: no result, PDF, advert, share, label or delete through it.
    for url in (f"/assessments/{mine}", f"/assessments/{mine}/report.pdf", f"/assessments/{mine}/advert",
                f"/assessments/{mine}/hiring-pack", f"/assessments/{mine}/delete", f"/assessments/{mine}/round"):
        assert owner.get(url).status_code == 404, url
    for url in (f"/assessments/{mine}/label", f"/assessments/{mine}/shares", f"/assessments/{mine}/delete"):
        assert owner.post(url, data={"csrf_token": token, "label": "x"}).status_code == 404, url
    # Comparison pickers take no response either.
    _, single = make_assessment(app, org, BASE)
    with app.app_context():
        ids = {t: db.session.execute(db.select(Assessment.id).filter_by(token=t)).scalar_one()
               for t in (mine, single)}
    assert owner.get(f"/orgs/{org}/compare?before={ids[mine]}&after={ids[single]}").status_code == 404


def test_one_invitation_gives_one_respondent(app) -> None:
    owner, org = member(app, "once@example.org", "Once")
    round_ = round_of(app, start_round(owner, org))
    link = invite(owner, round_.token)
    first = app.test_client()
    theirs = join(first, link, "business")
    # The same browser is taken back to its answers; another browser is told the link is used.
    assert first.get(link).headers["Location"].endswith(f"/assessments/{theirs}/resume")
    second = app.test_client()
    used = second.get(link)
    assert used.status_code == 409 and "already been used" in used.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Assessment)
                                  .filter_by(round_id=round_.id)).scalar_one() == 2
    assert app.test_client().get("/rounds/join/not-a-real-token").status_code == 404


def test_an_abandoned_respondent_counts_as_not_having_answered(app) -> None:
    owner, org = member(app, "abandon@example.org", "Abandoners")
    mine = start_round(owner, org)
    round_ = round_of(app, mine)
    quitter = app.test_client()
    theirs = join(quitter, invite(owner, round_.token), "technical", name="Quitter")
    post_section(quitter, theirs, assessments.current().sections[0].id,
                 {k: v for k, v in variant(OPTIONS[2]).items()
                  if k in {q.id for q in assessments.current().sections[0].questions}})
    unused = invite(owner, round_.token)
    url = f"/assessments/{round_.token}/round/close"
    owner.get(url)
    refused = owner.post(url, data={"csrf_token": form_token(owner, f"/assessments/{round_.token}/round")})
    assert refused.headers["Location"].endswith("/round")
    assert "Nobody has finished" in owner.get(f"/assessments/{round_.token}/round").get_data(as_text=True)
    assert round_of(app, mine).completed_at is None

    finish(owner, mine, variant(OPTIONS[0]))
    page = owner.get(url).get_data(as_text=True)
    assert "2 people have not finished: they count as not having answered" in page
    owner.post(url, data={"csrf_token": csrf(page)})
    with app.app_context():
        answers = dict(db.session.execute(db.select(AnswerRow.question_id, AnswerRow.value)
                                          .filter_by(assessment_id=round_.id)).all())
    assert answers[QUESTION.id] == OPTIONS[0]  # the finished respondent's answer alone
    # The abandoned respondent can no longer answer; the unused invitation says the round has closed.
    assert quitter.get(f"/assessments/{theirs}/resume").headers["Location"].endswith(f"/responses/{theirs}")
    assert "were not counted" in quitter.get(f"/responses/{theirs}").get_data(as_text=True)
    closed = app.test_client().get(unused)
    assert closed.status_code == 410 and "has closed" in closed.get_data(as_text=True)
    # Closing again does nothing.
    again = owner.post(url, data={"csrf_token": csrf(page)})
    assert again.status_code == 302
    assert round_of(app, mine).revision == 1


def test_share_links_of_a_round_show_the_combined_result_only(app) -> None:
    owner, org = member(app, "share-round@example.org", "Sharing rounds")
    mine = start_round(owner, org, name="Secret Name")
    round_ = round_of(app, mine)
    theirs = join(app.test_client(), invite(owner, round_.token), "technical", name="Other Secret")
    finish(owner, mine, variant(OPTIONS[0]))
    finish(app.test_client(), theirs, variant(OPTIONS[1]))
    result_url = f"/assessments/{round_.token}"
    owner.post(f"{result_url}/shares", data={"csrf_token": form_token(owner, result_url)})
    share = owner.get(result_url).get_data(as_text=True).split("/shared/")[1].split("<")[0].split('"')[0]
    shared = app.test_client().get(f"/shared/{share}").get_data(as_text=True)
    assert "How the team answered" in shared and "Two people answered on their own." in shared
    assert "Secret Name" not in shared and "Other Secret" not in shared and "/responses/" not in shared
    assert "from these seats" not in shared  # who answered what is never on a share link
    members = owner.get(result_url).get_data(as_text=True)
    assert "How the team answered" in members and "Secret Name" in members
    assert "/round" not in shared


def test_exports_carry_each_respondents_answers_and_seat(app) -> None:
    owner, org = member(app, "export-round@example.org", "Exporting rounds")
    mine = start_round(owner, org, name="Ana")
    round_ = round_of(app, mine)
    theirs = join(app.test_client(), invite(owner, round_.token), "technical", name="=cmd")
    finish(owner, mine, variant(OPTIONS[0]))
    # While the round is open, nobody's answers leave it (a member still answering must not read them).
    still_open = json.loads(owner.get(f"/orgs/{org}/export.json").get_data(as_text=True))["assessments"]
    assert still_open[0]["respondents"] == []
    finish(app.test_client(), theirs, variant(OPTIONS[1]))
    data = json.loads(owner.get(f"/orgs/{org}/export.json").get_data(as_text=True))["assessments"]
    assert len(data) == 1
    people = data[0]["respondents"]
    assert [(p["seat"], p["name"], p["answers"][QUESTION.id]) for p in people] == [
        ("leadership", "Ana", OPTIONS[0]), ("technical", "=cmd", OPTIONS[1])]
    rows = list(csv.DictReader(io.StringIO(owner.get(f"/orgs/{org}/export.csv").get_data(as_text=True))))
    assert [(r["row"], r["seat"], r["respondent"]) for r in rows] == [
        ("round", "", ""), ("respondent", "leadership", "Ana"), ("respondent", "technical", "'=cmd")]
    assert rows[2][f"answer:{QUESTION.id}"] == OPTIONS[1]


def test_deleting_a_round_deletes_its_responses_and_invitations(app) -> None:
    owner, org = member(app, "delete-round@example.org", "Deleting rounds")
    mine = start_round(owner, org)
    round_ = round_of(app, mine)
    link = invite(owner, round_.token)
    url = f"/assessments/{round_.token}/delete"
    owner.post(url, data={"csrf_token": form_token(owner, url)})
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Assessment)).scalar_one() == 0
        assert db.session.execute(db.select(db.func.count()).select_from(RoundInvite)).scalar_one() == 0
    assert app.test_client().get(link).status_code == 404
    assert owner.get(f"/responses/{mine}").status_code == 404


def test_starting_a_round_twice_with_one_form_starts_one(app) -> None:
    owner, org = member(app, "twice-round@example.org", "Twice")
    page = owner.get(f"/orgs/{org}").get_data(as_text=True)
    key = START_KEY_RE.search(page.split('id="round-h"')[1]).group(1)
    first = start_round(owner, org, start_key=key)
    assert start_round(owner, org, start_key=key) == first
    bad = owner.post(f"/orgs/{org}/rounds", data={"csrf_token": csrf(page), "start_key": key + "x", "seat": "boss"})
    assert bad.status_code == 302 and "#round-h" in bad.headers["Location"]


# -- races --------------------------------------------------------------------------------------


def _last_section_post(client: FlaskClient, token: str, answers: dict[str, Any]) -> Callable[[], int]:
    """Answer every section but the last now; return the click on Finish, to race."""
    sections = assessments.current().sections
    for section in sections[:-1]:
        post_section(client, token, section.id, {q.id: answers[q.id] for q in section.questions if q.id in answers})
    last = sections[-1]
    url = f"/assessments/{token}/sections/{last.id}"
    data = {"csrf_token": csrf(client.get(url).get_data(as_text=True)), "proceed": "Finish"}
    from app.web.forms import field_name

    data.update({field_name(q.id): answers[q.id] for q in last.questions if q.id in answers})
    return lambda: client.post(url, data=data).status_code


def test_two_respondents_saving_at_once_both_keep_their_answers(app) -> None:
    owner, org = member(app, "race-save@example.org", "Savers")
    mine = start_round(owner, org)
    round_ = round_of(app, mine)
    other = app.test_client()
    theirs = join(other, invite(owner, round_.token), "technical")
    section = assessments.current().sections[0]
    ids = {q.id for q in section.questions}
    url = "/assessments/{}/sections/" + section.id
    from app.web.forms import field_name

    for round_number in range(4):
        clicks = []
        for client, token, option in ((owner, mine, OPTIONS[0]), (other, theirs, OPTIONS[1])):
            answers = {k: v for k, v in variant(option).items() if k in ids}
            data = {"csrf_token": csrf(client.get(url.format(token)).get_data(as_text=True)), "back": "Back",
                    **{field_name(k): v for k, v in answers.items()}}
            clicks.append(lambda c=client, t=token, d=data: c.post(url.format(t), data=d).status_code)
        assert race(clicks) == [302, 302], round_number
    with app.app_context():
        for token in (mine, theirs):
            a = db.session.execute(db.select(Assessment).filter_by(token=token)).scalar_one()
            saved = dict(db.session.execute(db.select(AnswerRow.question_id, AnswerRow.value)
                                            .filter_by(assessment_id=a.id)).all())
            assert set(saved) == {k for k in BASE if k in ids}


def test_a_double_clicked_join_creates_one_response(app) -> None:
    owner, org = member(app, "race-join@example.org", "Joiners")
    round_ = round_of(app, start_round(owner, org))
    link = invite(owner, round_.token)
    browser = app.test_client()
    page = browser.get(link).get_data(as_text=True)
    data = {"csrf_token": csrf(page), "join_key": JOIN_KEY_RE.search(page).group(1), "seat": "business"}
    statuses = race([lambda: browser.post(link, data=data) for _ in range(3)])
    assert [r.status_code for r in statuses] == [302] * 3, [  # type: ignore[union-attr]
        (r.status_code, r.get_data(as_text=True)[:3000]) for r in statuses]  # type: ignore[union-attr]
    tokens = {r.headers["Location"].split("/assessments/")[1].split("/")[0] for r in statuses}  # type: ignore[union-attr]
    assert len(tokens) == 1  # every click leads to the one response
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Assessment)
                                  .filter_by(round_id=round_.id)).scalar_one() == 2


def test_two_people_joining_through_one_invitation_at_once_one_answers(app) -> None:
    owner, org = member(app, "race-join2@example.org", "Joiners two")
    round_ = round_of(app, start_round(owner, org))
    link = invite(owner, round_.token)
    people = [app.test_client(), app.test_client()]
    forms = []
    for person in people:
        page = person.get(link).get_data(as_text=True)
        forms.append({"csrf_token": csrf(page), "join_key": JOIN_KEY_RE.search(page).group(1), "seat": "other"})
    results = race([lambda p=p, d=d: p.post(link, data=d).status_code for p, d in zip(people, forms, strict=True)])
    assert sorted(results) == [302, 409], results
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Assessment)
                                  .filter_by(round_id=round_.id)).scalar_one() == 2


def test_two_respondents_finishing_at_once_close_the_round_once(app) -> None:
    owner, org = member(app, "race-finish@example.org", "Finishers")
    mine = start_round(owner, org)
    round_ = round_of(app, mine)
    other = app.test_client()
    theirs = join(other, invite(owner, round_.token), "technical")
    clicks = [_last_section_post(owner, mine, variant(OPTIONS[0])),
              _last_section_post(other, theirs, variant(OPTIONS[1]))]
    assert race(clicks) == [302, 302]
    with app.app_context():
        closed = db.session.get(Assessment, round_.id)
        assert closed.completed_at is not None and closed.revision == 1  # combined once
        finished = db.session.execute(db.select(db.func.count()).select_from(Assessment).where(
            Assessment.round_id == round_.id, Assessment.completed_at.is_not(None))).scalar_one()
        assert finished == 2  # both counted: neither was shut out by the other's closing
        assert db.session.get(RecordedOutcome, round_.id).revision == 1


def test_a_double_clicked_close_closes_once(app) -> None:
    owner, org = member(app, "race-close@example.org", "Closers")
    mine = start_round(owner, org)
    round_ = round_of(app, mine)
    invite(owner, round_.token)
    finish(owner, mine, BASE)
    url = f"/assessments/{round_.token}/round/close"
    data = {"csrf_token": form_token(owner, url)}
    results = race([lambda: owner.post(url, data=data).status_code for _ in range(3)])
    assert results == [302] * 3, results
    assert round_of(app, mine).revision == 1


def test_bad_input_gets_a_clear_answer_and_changes_nothing(app) -> None:
    owner, org = member(app, "bad-round@example.org", "Bad input")
    round_ = round_of(app, start_round(owner, org))
    url = f"/assessments/{round_.token}/round"
    refused = owner.post(f"{url}/invites", data={"csrf_token": form_token(owner, url), "email": "not an address",
                                                 "name": "x" * 500})
    assert refused.status_code == 400
    assert "Invalid email address" in refused.get_data(as_text=True)
    link = invite(owner, round_.token)
    visitor = app.test_client()
    page = visitor.get(link).get_data(as_text=True)
    for seat in ("", "boss"):
        response = visitor.post(link, data={"csrf_token": csrf(page), "join_key": JOIN_KEY_RE.search(page).group(1),
                                            "seat": seat})
        assert response.status_code == 200 and 'id="seat-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(RoundInvite)).scalar_one() == 1
        assert db.session.execute(db.select(db.func.count()).select_from(Assessment)
                                  .filter_by(round_id=round_.id)).scalar_one() == 1
