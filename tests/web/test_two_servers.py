"""Two app servers (separate processes and instance folders) sharing one database and one Redis,
as behind a load balancer: sessions, limits and invites work across them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.redis_server import redis_server
from tests.served import CSRF_RE, Person, gunicorn, migrate, server_env

pytestmark = pytest.mark.db


def test_sessions_limits_and_invites_hold_across_two_servers(empty_database_url: str, tmp_path: Path,
                                                             mailbox) -> None:
    with redis_server() as redis_url:
        envs = [server_env(empty_database_url, tmp_path / f"instance-{name}", GROUNDWORK_SMTP_URL=mailbox.url,
                           GROUNDWORK_RATELIMIT_STORAGE=redis_url, GROUNDWORK_LOGIN_RATE_LIMIT="10 per minute",
                           GROUNDWORK_PROXY_HOPS="1")
                for name in ("a", "b")]
        migrate(envs[0])
        with gunicorn(envs[0]) as server_a, gunicorn(envs[1]) as server_b:
            # A session begun on A is valid on B (the cookie jar does not tell ports apart: one browser).
            owner = Person(server_a)
            assert owner.sign_up("owner@two.example", "correct horse battery", mailbox) == 302
            owner.base = server_b
            status, _, page = owner.request("/orgs")
            assert status == 200 and "owner@two.example" in page
            status, headers, _ = owner.request("/orgs", {"csrf_token": CSRF_RE.search(page).group(1),
                                                         "name": "Two Servers Ltd"})
            assert status == 302
            org_path = headers["Location"]

            # An invite made on A is accepted on B.
            owner.base = server_a
            status, _, page = owner.request(org_path)
            _, _, invite_page = owner.request(org_path + "/invites", {"csrf_token": CSRF_RE.search(page).group(1)})
            link = "/invites/" + invite_page.split("/invites/")[1].split("<")[0]
            colleague = Person(server_b)
            assert colleague.sign_up("colleague@two.example", "correct horse battery", mailbox) == 302
            status, _, page = colleague.request(link)
            assert colleague.request(link, {"csrf_token": CSRF_RE.search(page).group(1)})[0] == 302
            colleague.base = server_a
            assert colleague.request(org_path)[0] == 200

            # Sign-in attempts from one client are counted across both servers (and their workers). Behind the
            # balancer (GROUNDWORK_PROXY_HOPS=1) the client is the one X-Forwarded-For names, not the balancer.
            def behind_balancer(base: str, client: str) -> Person:
                person = Person(base)
                person.opener.addheaders.append(("X-Forwarded-For", client))
                return person

            statuses = []
            for attempt in range(14):
                guesser = behind_balancer(server_a if attempt % 2 else server_b, "203.0.113.7")
                statuses.append(guesser.log_in(f"nobody{attempt}@two.example", "wrong password!!")[0])
            assert statuses[:10] == [200] * 10 and set(statuses[10:]) == {429}, statuses
            # Another client behind the same balancer is not held up by the guesser.
            owner_elsewhere = behind_balancer(server_b, "203.0.113.8")
            assert owner_elsewhere.log_in("owner@two.example", "correct horse battery")[0] == 302
