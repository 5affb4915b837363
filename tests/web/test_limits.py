"""Limits that hold behind a load balancer, and the smaller findings of the security review: share links
revoked on claiming, start keys scoped to their organisation, no 500 on a NUL byte."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from app.models import Assessment
from app.ratelimit import SQLiteStorage
from tests import personas
from tests.web.helpers import START_KEY_RE, create_org, csrf, form_token, make_assessment, sign_up, start

pytestmark = pytest.mark.db


def _login(client, email: str, address: str = "127.0.0.1", forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/login", environ_base={"REMOTE_ADDR": address}, headers=headers, data={
        "csrf_token": form_token(client, "/login"), "email": email, "password": "wrong password!!"})


def test_without_proxy_hops_x_forwarded_for_is_ignored(app) -> None:
    statuses = [_login(app.test_client(), f"a{i}@example.org", forwarded=f"198.51.100.{i}").status_code
                for i in range(12)]
    assert statuses[:10] == [200] * 10 and set(statuses[10:]) == {429}


def test_behind_proxies_every_limit_keys_on_the_real_client(database_url, tmp_path, mailbox) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": database_url,
                      "SERVER_NAME": "groundwork.test", "PROXY_HOPS": 1, "SMTP_URL": mailbox.url,
                      "RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'limits.sqlite3'}"})
    with app.app_context():
        db.drop_all()
        db.create_all()
    try:
        # Every client comes through the balancer (10.0.0.1); each is counted on its own.
        for client_address in ("198.51.100.1", "198.51.100.2"):
            statuses = [_login(app.test_client(), f"b{i}@example.org", "10.0.0.1", client_address).status_code
                        for i in range(11)]
            assert statuses == [200] * 10 + [429], client_address
        # One hop trusted: a client cannot claim another address by adding its own header in front.
        spoofed = [_login(app.test_client(), f"c{i}@example.org", "10.0.0.1", f"1.2.3.{i}, 198.51.100.1")
                   .status_code for i in range(2)]
        assert spoofed == [429, 429]
        # Sign-ups too: one busy client does not block other new visitors.
        def sign_up_as(address: str, i: int) -> int:
            visitor = app.test_client()
            return visitor.post("/signup", headers={"X-Forwarded-For": address}, environ_base={
                "REMOTE_ADDR": "10.0.0.1"}, data={"csrf_token": form_token(visitor, "/signup"),
                                                   "email": f"s{address}-{i}@example.org", "password": "short"}
                                ).status_code
        assert [sign_up_as("198.51.100.9", i) for i in range(6)][-1] == 429
        assert sign_up_as("198.51.100.10", 0) == 200
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_the_limiter_never_fails_under_concurrent_threads(app) -> None:
    """The `limits` 5.8.0 memory storage raised RuntimeError here; the SQLite storage counts exactly."""
    app.config["WTF_CSRF_ENABLED"] = False
    statuses: list[int] = []
    lock = threading.Lock()

    def hammer(n: int) -> None:
        client = app.test_client()
        for i in range(6):
            response = client.post("/login", environ_base={"REMOTE_ADDR": "192.0.2.1"},
                                   data={"email": f"t{n}-{i}@example.org", "password": "wrong password!!"})
            with lock:
                statuses.append(response.status_code)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 48 and set(statuses) <= {200, 429}
    assert statuses.count(200) == 10  # LOGIN_RATE_LIMIT, exactly, across every thread


def test_workers_of_one_machine_share_one_count(database_url, tmp_path, mailbox) -> None:
    """Two apps (as two gunicorn workers) on the default storage file: one count, not one each."""
    apps = [create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": database_url,
                        "SERVER_NAME": "groundwork.test", "SMTP_URL": mailbox.url,
                        "RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'shared' / 'limits.sqlite3'}"})
            for _ in range(2)]
    with apps[0].app_context():
        db.drop_all()
        db.create_all()
    statuses = [_login(apps[i % 2].test_client(), f"w{i}@example.org").status_code for i in range(12)]
    assert statuses == [200] * 10 + [429, 429]
    for each in apps:
        with each.app_context():
            db.session.remove()
            if each is apps[0]:
                db.drop_all()
            db.engine.dispose()


def test_the_sqlite_storage_counts_windows(tmp_path: Path) -> None:
    storage = SQLiteStorage(f"sqlite:///{tmp_path / 'counts.sqlite3'}")
    assert storage.check()
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get_expiry("k") > 0
    assert storage.incr("gone", -1) == 1 and storage.get("gone") == 0  # an expired window counts from 1 again
    assert storage.incr("gone", 60) == 1
    storage.clear("k")
    assert storage.get("k") == 0
    assert storage.reset() is not None


def test_copying_into_an_organisation_is_limited_like_starting(client, app) -> None:
    app.config["START_RATE_LIMIT"] = "3 per minute"
    sign_up(client, "copier@example.org")
    org = create_org(client, "Copiers")
    make_assessment(app, org, personas.answers("p1_online_shop"))
    statuses = []
    for _ in range(5):
        page = client.get(f"/orgs/{org}").get_data(as_text=True)
        statuses.append(client.post(f"/orgs/{org}/assessments", data={
            "csrf_token": csrf(page), "start_key": START_KEY_RE.search(page).group(1), "copy_latest": "y"}
        ).status_code)
    assert statuses == [302, 302, 302, 429, 429]


def test_share_links_stop_when_the_assessment_joins_an_organisation(client, app) -> None:
    _, token = make_assessment(app, None, personas.answers("p2_media_company"))
    client.post(f"/assessments/{token}/shares", data={"csrf_token": form_token(client, f"/assessments/{token}")})
    share = client.get(f"/assessments/{token}").get_data(as_text=True).split("/shared/")[1].split('"')[0]
    share = share.split("<")[0]
    assert client.get(f"/shared/{share}").status_code == 200
    sign_up(client, "claims@example.org")
    org = create_org(client, "Claimed Ltd")
    response = client.post(f"/assessments/{token}/claim", data={
        "csrf_token": form_token(client, f"/assessments/{token}"), "organisation": str(org)})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "read-only link no longer works" in page  # the owner is told
    for url in (f"/shared/{share}", f"/shared/{share}/report.pdf", f"/shared/{share}/advert"):
        assert app.test_client().get(url).status_code == 404


def test_start_keys_are_looked_up_in_their_own_organisation_only(client, app) -> None:
    sign_up(client, "keys@example.org")
    org = create_org(client, "Keys Ltd")
    page = client.get(f"/orgs/{org}").get_data(as_text=True)
    key = START_KEY_RE.search(page).group(1)
    first = client.post(f"/orgs/{org}/assessments", data={"csrf_token": csrf(page), "start_key": key})
    again = client.post(f"/orgs/{org}/assessments", data={"csrf_token": csrf(page), "start_key": key})
    assert first.headers["Location"] == again.headers["Location"]  # a double submit is one assessment
    theirs = first.headers["Location"].split("/assessments/")[1].split("/")[0]
    # The same key from outside the organisation never leads to its assessment.
    stranger = app.test_client()
    page = stranger.get("/assessments/new").get_data(as_text=True)
    response = stranger.post("/assessments/new", data={"csrf_token": csrf(page), "start_key": key,
                                                       "organisation_name": "Elsewhere"})
    assert response.status_code == 302 and theirs not in response.headers["Location"]
    other_org_owner = app.test_client()
    sign_up(other_org_owner, "other-keys@example.org")
    other = create_org(other_org_owner, "Other Keys")
    page = other_org_owner.get(f"/orgs/{other}").get_data(as_text=True)
    response = other_org_owner.post(f"/orgs/{other}/assessments", data={"csrf_token": csrf(page),
                                                                        "start_key": key})
    assert theirs not in response.headers["Location"]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Assessment)).scalar_one() == 1


NUL = "\x00"


def test_a_nul_byte_anywhere_is_never_a_500(client, app) -> None:
    """PostgreSQL refuses NUL in text: every form field and URL part that reaches a query is checked."""
    token = start(client)
    sign_up(client, "nul@example.org")
    org = create_org(client, "Nul Ltd")
    page = client.get("/assessments/new").get_data(as_text=True)
    forms = {
        "/assessments/new": {"start_key": "a" * 20 + NUL, "organisation": str(org)},
        f"/orgs/{org}/assessments": {"start_key": "b" * 20 + NUL, "label": NUL},
        "/orgs": {"name": "Nul" + NUL},
        f"/assessments/{token}/label": {"label": NUL},
        f"/assessments/{token}/email-link": {"email": f"a{NUL}@example.org"},
        f"/orgs/{org}/invites/email": {"email": f"x{NUL}@example.org"},
    }
    for url, fields in forms.items():
        response = client.post(url, data={"csrf_token": csrf(page), **fields})
        assert response.status_code < 500, (url, response.status_code)
    anonymous = app.test_client()
    for url, fields in {
        "/login": {"email": f"nul{NUL}@example.org", "password": NUL},
        "/signup": {"email": f"n{NUL}@example.org", "password": NUL * 12, "confirm": NUL * 12},
        "/password/forgot": {"email": f"n{NUL}@example.org"},
        "/assessments/new": {"start_key": NUL * 20, "organisation_name": NUL},
    }.items():
        response = anonymous.post(url, data={"csrf_token": form_token(anonymous, url), **fields})
        assert response.status_code < 500, (url, response.status_code)
    for url in (f"/assessments/{NUL}abc", f"/assessments/{token}/sections/{NUL}", f"/shared/{NUL}",
                f"/invites/{NUL}x", f"/password/reset/{NUL}", f"/signup/confirm/{NUL}", f"/orgs/{org}?x={NUL}",
                f"/login?next=/{NUL}", f"/orgs/{org}/compare?before={NUL}&after=1",
                f"/orgs/{org}/members/1{NUL}/remove", f"/assessments/{token}/shares/1/revoke{NUL}"):
        for person in (client, anonymous):
            response = person.get(url.replace(NUL, "%00"))
            assert response.status_code in (400, 404), (url, response.status_code)


def test_by_default_limits_are_counted_in_a_file_of_the_instance_folder(tmp_path, monkeypatch) -> None:
    from app.config import from_environment

    monkeypatch.delenv("GROUNDWORK_RATELIMIT_STORAGE", raising=False)
    monkeypatch.delenv("GROUNDWORK_PROXY_HOPS", raising=False)
    found = from_environment(str(tmp_path))
    assert found["RATELIMIT_STORAGE_URI"] == f"sqlite:///{tmp_path.resolve()}/ratelimits.sqlite3"
    assert found["PROXY_HOPS"] == 0
    monkeypatch.setenv("GROUNDWORK_PROXY_HOPS", "two")
    with pytest.raises(RuntimeError, match="GROUNDWORK_PROXY_HOPS must be a whole number"):
        from_environment(str(tmp_path))
