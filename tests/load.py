"""A load of people taking whole assessments through the web form, some double-clicking every button.

Shared by the short load test in `make test` (tests/web/test_load.py) and by
bench/load.py. Each simulated person starts an assessment, answers every
section with Next and finishes, again and again until the time is up; one in
five sends every form twice at the same moment, as a double-click does. Then
the database is read back: every finished assessment must hold exactly the
answers that were sent, and each start must have made one assessment.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, select, text

from tests import personas
from tests.served import CSRF_RE, START_KEY_RE, Person


@dataclass
class Outcome:
    statuses: Counter[int] = field(default_factory=Counter)
    #: Seconds each POST took.
    posts: list[float] = field(default_factory=list)
    #: token -> the answers sent, for every assessment finished.
    finished: dict[str, dict[str, Any]] = field(default_factory=dict)
    starts: int = 0
    #: People whose assessment could not go on (an unexpected answer from the server).
    stranded: list[str] = field(default_factory=list)
    #: Requests that got no HTTP answer at all.
    dropped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.posts)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0

    def summary(self) -> str:
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return (f"{len(self.finished)} assessments completed, {self.starts} started; responses {codes}; "
                f"dropped {self.dropped}; stranded {len(self.stranded)}; POST p50 "
                f"{statistics.median(self.posts) * 1000 if self.posts else 0:.0f} ms, p95 "
                f"{self.percentile(95) * 1000:.0f} ms, p99 {self.percentile(99) * 1000:.0f} ms")


class Visitor:
    def __init__(self, base: str, outcome: Outcome, *, double_click: bool) -> None:
        self.person = Person(base)
        self.outcome = outcome
        self.double_click = double_click

    def _get(self, url: str) -> tuple[int, dict[str, str], str]:
        return self._record(lambda: self.person.request(url), timed=False)

    def _record(self, call: Any, *, timed: bool) -> tuple[int, dict[str, str], str]:
        started = time.perf_counter()
        try:
            status, headers, body = call()
        except OSError:
            with self.outcome.lock:
                self.outcome.dropped += 1
            return 0, {}, ""
        with self.outcome.lock:
            self.outcome.statuses[status] += 1
            if timed:
                self.outcome.posts.append(time.perf_counter() - started)
        return status, headers, body

    def _post(self, url: str, fields: dict[str, Any]) -> tuple[int, dict[str, str], str]:
        """POST once, or twice at the same moment for a double-clicker; the first answer is followed."""
        def once() -> tuple[int, dict[str, str], str]:
            return self._record(lambda: self.person.request(url, fields), timed=True)

        if not self.double_click:
            return once()
        with ThreadPoolExecutor(max_workers=2) as pair:
            first, second = pair.submit(once), pair.submit(once)
            answers = [first.result(), second.result()]
        locations = {a[1].get("Location") for a in answers if a[0] == 302}
        if len(locations) > 1:
            self._strand(f"a double-click went two ways: {locations}")
        return next((a for a in answers if a[0] == 302), answers[0])

    def _strand(self, why: str) -> None:
        with self.outcome.lock:
            self.outcome.stranded.append(why)

    def take_one(self, index: int) -> bool:
        """Start, answer and finish one assessment; False if the server stopped the person."""
        answers = personas.answers(personas.NAMES[index % len(personas.NAMES)])
        status, _, page = self._get("/assessments/new")
        if status != 200:
            self._strand(f"start page {status}")
            return False
        status, headers, _ = self._post("/assessments/new", {
            "csrf_token": CSRF_RE.search(page).group(1), "start_key": START_KEY_RE.search(page).group(1),
            "organisation_name": f"Load {index}"})
        with self.outcome.lock:
            self.outcome.starts += 1
        if status != 302:
            self._strand(f"start {status}")
            return False
        url, sent = headers["Location"], {}
        token = url.split("/assessments/")[1].split("/")[0]
        while "/sections/" in url:
            status, _, page = self._get(url)
            if status != 200:
                self._strand(f"{url} {status}")
                return False
            page_answers = {k: v for k, v in answers.items() if f'name="q_{k}"' in page}
            fields = {"csrf_token": CSRF_RE.search(page).group(1), "proceed": "Next"}
            fields.update({f"q_{k}": v for k, v in page_answers.items()})
            status, headers, body = self._post(url, fields)
            if status != 302:
                self._strand(f"{url} {status}: {body[:200]}")
                return False
            sent.update(page_answers)
            url = headers["Location"]
        if not url.endswith(f"/assessments/{token}"):
            self._strand(f"finished at {url}")
            return False
        with self.outcome.lock:
            self.outcome.finished[token] = sent
        return True


def run_load(base: str, *, users: int, seconds: float) -> Outcome:
    outcome = Outcome()
    deadline = time.monotonic() + seconds

    def person(number: int) -> None:
        visitor = Visitor(base, outcome, double_click=number % 5 == 0)
        index = number
        while time.monotonic() < deadline:
            if not visitor.take_one(index):
                return
            index += users

    with ThreadPoolExecutor(max_workers=users) as pool:
        for future in [pool.submit(person, n) for n in range(users)]:
            future.result()
    return outcome


def lost_answers(database_url: str, outcome: Outcome) -> list[str]:
    """Every way the database disagrees with what the people sent; empty when nothing was lost."""
    from app.models import AnswerRow

    answers = AnswerRow.__table__  # typed columns: the JSON values come back decoded on every database
    problems = []
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            total = conn.execute(text("SELECT count(*) FROM assessments")).scalar_one()
            if total != outcome.starts:
                problems.append(f"{outcome.starts} starts made {total} assessments")
            for token, sent in outcome.finished.items():
                row = conn.execute(text("SELECT id, completed_at FROM assessments WHERE token = :t"),
                                   {"t": token}).one()
                if row.completed_at is None:
                    problems.append(f"{token}: finished in the browser, not in the database")
                stored = dict(conn.execute(select(answers.c.question_id, answers.c.value)
                                           .where(answers.c.assessment_id == row.id)).all())
                expected = {k: _as_stored(v) for k, v in sent.items()}
                if stored != expected:
                    missing = sorted(set(expected) - set(stored))
                    differ = sorted(k for k in expected if k in stored and stored[k] != expected[k])
                    problems.append(f"{token}: missing {missing}, different {differ}")
    finally:
        engine.dispose()
    return problems


def _as_stored(value: Any) -> Any:
    """An answer as the app stores it: numbers as numbers, text stripped."""
    if isinstance(value, str):
        return value.strip()
    return value
