"""A short load test: people taking whole assessments through gunicorn, one in five double-clicking.

Asserts that nothing is lost (no 5xx, no dropped connection, nobody stranded,
one assessment per start, every finished assessment with all its answers),
never how fast: bench/load.py measures speed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.load import lost_answers, run_load
from tests.served import gunicorn, migrate, server_env

pytestmark = pytest.mark.db


def test_ten_people_for_ten_seconds_lose_nothing(empty_database_url: str, tmp_path: Path) -> None:
    env = server_env(empty_database_url, tmp_path / "instance", GROUNDWORK_START_RATE_LIMIT="10000 per minute")
    migrate(env)
    with gunicorn(env) as base:
        outcome = run_load(base, users=10, seconds=10)
    print(outcome.summary())
    assert outcome.finished, outcome.summary()
    assert not [code for code in outcome.statuses if code >= 500], outcome.summary()
    assert outcome.dropped == 0 and outcome.stranded == [], (outcome.stranded[:5], outcome.summary())
    assert lost_answers(empty_database_url, outcome) == []
