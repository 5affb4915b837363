"""PDF renders on the job queue with real processes: gunicorn app servers and `groundwork worker`.

One worker renders for every app server; a worker killed mid-render loses its job (Huey does not
acknowledge jobs) and the next request for the PDF queues it again; a backlog past its bound is
a 503 with Retry-After.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests import personas
from tests.redis_server import redis_server
from tests.served import Person, gunicorn, migrate, server_env, worker

pytestmark = pytest.mark.db

#: Run first in a worker's process: after its warm-up, its renders hang (until the worker is killed).
HANGING = """
import time
import app.reports.pdf as _pdf
_real, _calls = _pdf.render_pdf, []
def _hang(*args, **kwargs):
    if not _calls:
        _calls.append(1)
        return _real(*args, **kwargs)
    time.sleep(600)
_pdf.render_pdf = _hang
"""


def pdf_rows(database_url: str, where: str = "data IS NOT NULL") -> list[tuple]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(f"SELECT key, started_at FROM pdf_reports WHERE {where}")))
    finally:
        engine.dispose()


def wait_for_pdf(person: Person, url: str, seconds: float = 120) -> tuple[int, dict[str, str]]:
    """Ask for a PDF as a browser does, following "being prepared" (and asking again after "try again
    later") until it arrives."""
    deadline = time.monotonic() + seconds
    while True:
        status, headers, _ = person.request(url)
        if status not in (202, 503) or time.monotonic() > deadline:
            return status, headers
        time.sleep(0.2 if status == 202 else 1)


def test_two_app_servers_and_one_worker_share_one_rendered_pdf(empty_database_url: str, tmp_path: Path) -> None:
    with redis_server() as redis_url:
        envs = [server_env(empty_database_url, tmp_path / f"instance-{name}", GROUNDWORK_QUEUE_URL=redis_url)
                for name in ("a", "b")]
        migrate(envs[0])
        with gunicorn(envs[0]) as server_a, gunicorn(envs[1]) as server_b, worker(envs[1]):
            person = Person(server_a)
            result = person.complete("Two Servers Ltd", personas.answers("p3_retailer"))
            status, headers = wait_for_pdf(person, result + "/report.pdf")
            assert status == 200 and headers["Content-Type"] == "application/pdf"
            assert headers["X-Report-Cache"] == "miss"
            person.base = server_b
            status, again = wait_for_pdf(person, result + "/report.pdf")
            assert status == 200 and again["X-Report-Cache"] == "hit"  # rendered once, for both
            assert again["Content-Length"] == headers["Content-Length"]
    assert len(pdf_rows(empty_database_url)) == 1


def test_a_worker_killed_mid_render_is_retried(empty_database_url: str, tmp_path: Path) -> None:
    env = server_env(empty_database_url, tmp_path / "instance", GROUNDWORK_PDF_TIMEOUT="5", GROUNDWORK_PDF_WAIT="0")
    migrate(env)
    with gunicorn(env) as base:
        person = Person(base)
        url = person.complete("Killed Ltd", personas.answers("p1_online_shop")) + "/report.pdf"
        with worker(env, prelude=HANGING) as doomed:
            assert person.request(url)[0] == 202
            deadline = time.monotonic() + 60
            while not pdf_rows(empty_database_url, "started_at IS NOT NULL"):  # the worker has begun it
                assert time.monotonic() < deadline, "the worker never began the render"
                time.sleep(0.05)
            os.killpg(doomed.pid, signal.SIGKILL)
            doomed.wait()
        assert person.request(url)[0] == 202  # nobody renders it now
        with worker(env):
            status, headers = wait_for_pdf(person, url, seconds=90)
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert len(pdf_rows(empty_database_url)) == 1


def test_a_backlog_past_its_bound_answers_503_with_retry_after(empty_database_url: str, tmp_path: Path) -> None:
    env = server_env(empty_database_url, tmp_path / "instance", GROUNDWORK_PDF_MAX_JOBS="2",
                     GROUNDWORK_PDF_WAIT="0")
    migrate(env)
    with gunicorn(env) as base:  # no worker: the queue only grows
        people = [Person(base) for _ in range(3)]
        urls = [p.complete(f"Backlog {i}", personas.answers("p2_media_company")) + "/report.pdf"
                for i, p in enumerate(people)]
        assert [p.request(u)[0] for p, u in zip(people[:2], urls[:2], strict=True)] == [202, 202]
        status, headers, page = people[2].request(urls[2])
        assert status == 503 and int(headers["Retry-After"]) > 0 and "Please try again" in page
        assert people[0].request(urls[0])[0] == 202  # one already queued is still being prepared
        with worker(env):
            assert wait_for_pdf(people[2], urls[2])[0] == 200  # once the queue drains, it is rendered
