"""The app served as `make run` serves it: gunicorn, two workers, four threads each, a migrated database.

Limits and faults that only show with several processes and a real HTTP server.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.config import DEFAULTS
from tests.served import Person, gunicorn, migrate, server_env

pytestmark = pytest.mark.db


@pytest.fixture
def served(empty_database_url: str, tmp_path: Path, mailbox) -> Iterator[str]:
    env = server_env(empty_database_url, tmp_path / "instance", GROUNDWORK_SMTP_URL=mailbox.url)
    migrate(env)
    with gunicorn(env) as base:
        yield base


def _limit(name: str) -> int:
    return int(DEFAULTS[name].split()[0])


def test_sign_in_limits_hold_whatever_the_workers_without_redis(served: str, mailbox) -> None:
    """Two workers, four threads each, no Redis: the default storage (a SQLite file) is one count for all."""
    assert Person(served).sign_up("served-target@example.org", "correct horse battery", mailbox) == 302
    outcomes = []
    for _ in range(_limit("LOGIN_ACCOUNT_RATE_LIMIT") + 4):
        status, headers = Person(served).log_in("served-target@example.org", "wrong password!!")
        outcomes.append((status, headers.get("Retry-After")))
    checked = [o for o in outcomes if o[0] == 200]
    refused = [o for o in outcomes if o[0] == 429]
    assert len(checked) == _limit("LOGIN_ACCOUNT_RATE_LIMIT") and len(checked) + len(refused) == len(outcomes)
    assert all(retry and int(retry) > 0 for _, retry in refused)
    # Per address, over every e-mail typed: LOGIN_RATE_LIMIT in all (5 were used above).
    more = [Person(served).log_in(f"other{i}@example.org", "wrong password!!")[0] for i in range(8)]
    assert more.count(200) == _limit("LOGIN_RATE_LIMIT") - len(checked) and set(more) == {200, 429}


def _raw(base: str, request: bytes) -> bytes:
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(request)
        conn.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_malformed_chunked_body_is_a_400(served: str) -> None:
    answer = _raw(served, b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                          b"zz\r\nemail=x\r\n0\r\n\r\n")
    status = answer.split(b"\r\n", 1)[0]
    assert b" 400 " in status, answer[:300]


def test_a_burst_of_pdfs_never_fails_and_the_site_keeps_answering(served: str) -> None:
    """12 PDFs of different assessments at once: each is a PDF or "being prepared", and pages still answer."""
    from concurrent.futures import ThreadPoolExecutor

    from tests import personas

    people = [Person(served) for _ in range(12)]
    results = [p.complete(f"Burst {i}", personas.answers(personas.NAMES[i % len(personas.NAMES)]))
               for i, p in enumerate(people)]
    with ThreadPoolExecutor(max_workers=13) as pool:
        pdfs = [pool.submit(p.request, url + "/report.pdf") for p, url in zip(people, results, strict=True)]
        health = pool.submit(Person(served).request, "/healthz")
        assert health.result()[0] == 200
        statuses = [f.result()[0] for f in pdfs]
    assert set(statuses) <= {200, 202}, statuses
    for person, url in zip(people, results, strict=True):  # each arrives in the end
        for _ in range(200):
            status, headers, _ = person.request(url + "/report.pdf")
            if status == 200:
                break
            assert status == 202
            time.sleep(0.2)
        assert status == 200 and headers["Content-Type"] == "application/pdf"
