"""Faults from outside the app: the database going away and coming back.

Not marked `db`: the test starts a PostgreSQL server of its own to stop, so it
runs once, in the first pass of `make test`.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests import personas
from tests.postgres import postgres_control
from tests.served import CSRF_RE, Person, gunicorn, migrate, server_env


def test_postgresql_stopping_for_five_seconds_gives_503s_then_recovers(tmp_path: Path) -> None:
    with postgres_control() as database:
        env = server_env(database.url, tmp_path / "instance")
        migrate(env)
        with gunicorn(env) as base:
            person = Person(base)
            status, url = person.start("Outage Ltd")
            assert status == 302
            answers = personas.answers("p3_retailer")
            _, _, page = person.request(url)
            fields = {"csrf_token": CSRF_RE.search(page).group(1), "proceed": "Next"}
            fields |= {f"q_{k}": v for k, v in answers.items() if f'name="q_{k}"' in page}
            status, headers, _ = person.request(url, fields)
            assert status == 302
            following = headers["Location"]
            _, _, next_page = person.request(following)

            database.stop()
            gap = []
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                gap.append(person.request(url))
                gap.append(person.request(following, {"csrf_token": CSRF_RE.search(next_page).group(1),
                                                      "q_collect_activity": "most", "proceed": "Next"}))
                time.sleep(0.25)
            database.start()

            assert gap and {status for status, _, _ in gap} == {503}, {status for status, _, _ in gap}
            assert all("not answering" in body and "Retry-After" in headers for _, headers, body in gap)
            # Without restarting the app, the next requests are served, and the saved answers are there.
            for _ in range(3):
                status, _, page = person.request(url)
            assert status == 200
            chosen = [tag for tag in page.split("<input") if 'name="q_sector"' in tag and "checked" in tag]
            assert chosen and f'value="{answers["sector"]}"' in chosen[0]
