"""Requests racing each other: double-clicks, two tabs, two people. Run on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.models import AnswerRow, Assessment, Membership
from tests.web.helpers import create_org, csrf, field_name, form_token, log_in, sign_up, start

pytestmark = pytest.mark.db


def _race(actions: list[Callable[[], object]]) -> list[object]:
    """Run the actions at the same moment, one thread each; return their results (or exceptions)."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = actions[index]()
        except BaseException as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_double_clicked_saves_of_one_section_all_succeed(app) -> None:
    token = start(app.test_client())
    url = f"/assessments/{token}/sections/collect"
    choices = ["none", "few", "most", "defined"]
    for round_ in range(8):
        clients = [app.test_client() for _ in choices]
        tokens = [csrf(c.get(url).get_data(as_text=True)) for c in clients]

        def click(client: FlaskClient, token: str, choice: str) -> Callable[[], int]:
            return lambda: client.post(url, data={
                "csrf_token": token, field_name("collect_activity"): choice,
                field_name("collect_history"): "years", "back": "Back"}).status_code

        statuses = _race([click(*args) for args in zip(clients, tokens, choices, strict=True)])
        assert statuses == [302] * len(choices), (round_, statuses)
        with app.app_context():
            rows = db.session.execute(db.select(AnswerRow.question_id, AnswerRow.value).join(Assessment)
                                      .where(Assessment.token == token)).all()
        answers = dict(rows)
        assert len(rows) == 2 and answers["collect_history"] == "years"
        assert answers["collect_activity"] in choices  # one whole save won; none was half applied


def test_two_people_accepting_one_invite_at_once_one_joins(client, app) -> None:
    sign_up(client, "owner-race@example.org")
    org = create_org(client, "Racing")
    page = client.post(f"/orgs/{org}/invites", data={"csrf_token": form_token(client, f"/orgs/{org}")})
    link = page.get_data(as_text=True).split("/invites/")[1].split("<")[0]
    people = [app.test_client() for _ in range(2)]
    for i, person in enumerate(people):
        sign_up(person, f"racer{i}@example.org")
    tokens = [form_token(p, f"/invites/{link}") for p in people]
    statuses = _race([lambda p=p, t=t: p.post(f"/invites/{link}", data={"csrf_token": t}).status_code
                      for p, t in zip(people, tokens, strict=True)])
    assert sorted(statuses) == [302, 404], statuses
    with app.app_context():
        members = db.session.execute(db.select(Membership).filter_by(organisation_id=org)).scalars().all()
    assert len(members) == 2  # the owner and exactly one of the two


def test_the_same_person_accepting_an_invite_twice_at_once_joins_once(client, app) -> None:
    sign_up(client, "owner-twice@example.org")
    org = create_org(client, "Twice")
    page = client.post(f"/orgs/{org}/invites", data={"csrf_token": form_token(client, f"/orgs/{org}")})
    link = page.get_data(as_text=True).split("/invites/")[1].split("<")[0]
    tabs = [app.test_client(), app.test_client()]
    sign_up(tabs[0], "double@example.org")
    log_in(tabs[1], "double@example.org")
    tokens = [form_token(tab, f"/invites/{link}") for tab in tabs]
    statuses = _race([lambda tab=tab, t=t: tab.post(f"/invites/{link}", data={"csrf_token": t}).status_code
                      for tab, t in zip(tabs, tokens, strict=True)])
    assert all(s in (302, 404) for s in statuses) and 302 in statuses, statuses
    with app.app_context():
        count = len(db.session.execute(db.select(Membership).filter_by(organisation_id=org)).scalars().all())
    assert count == 2
