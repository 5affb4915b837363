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

from app.services.accounts import LOGIN_ATTEMPTS
from tests.served import Person, gunicorn, migrate, server_env

pytestmark = pytest.mark.db


@pytest.fixture
def served_env(empty_database_url: str, tmp_path: Path) -> dict[str, str]:
    env = server_env(empty_database_url, tmp_path / "instance")
    migrate(env)
    return env


@pytest.fixture
def served(served_env: dict[str, str]) -> Iterator[str]:
    with gunicorn(served_env) as base:
        yield base


def test_wrong_passwords_are_limited_per_account_whatever_the_workers(served: str) -> None:
    Person(served).sign_up("served-target@example.org", "correct horse battery")
    outcomes = []
    for _ in range(LOGIN_ATTEMPTS + 6):
        status, headers = Person(served).log_in("served-target@example.org", "wrong password!!")
        outcomes.append((status, headers.get("Retry-After")))
    checked = [o for o in outcomes if o[0] == 200]
    refused = [o for o in outcomes if o[0] == 429]
    assert len(checked) <= LOGIN_ATTEMPTS and len(checked) + len(refused) == len(outcomes)
    assert refused and all(retry and int(retry) > 0 for _, retry in refused)


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


def test_a_burst_of_pdfs_never_fails_and_the_site_keeps_answering(served: str, served_env: dict[str, str]) -> None:
    """12 PDFs of different assessments at once: each is a PDF or "being prepared", and pages still answer."""
    from tests.served import worker

    with worker(served_env):
        _burst(served)


def _burst(served: str) -> None:
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
