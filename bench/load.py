"""Load: people taking whole assessments through the web form, against the server as `make run` starts it.

50 people for 60 seconds, on SQLite and then on PostgreSQL (a private server
started as the tests start theirs); one person in five double-clicks every
button. Prints, per database: assessments completed, responses by status,
dropped connections, people stranded, whether every finished assessment has
all its answers (and one assessment per start), and the POSTs' p50, p95 and
p99 against a baseline: the p99 of GET /healthz on the same server, quiet.
Goals: no 5xx, nothing dropped, nobody stranded, nothing lost; POST p99 under
one second on 2 cores.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.load import lost_answers, run_load
from tests.postgres import postgres_server
from tests.served import gunicorn, migrate, server_env


def quiet_p99(base: str, n: int = 200) -> float:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        urllib.request.urlopen(base + "/healthz", timeout=10).read()
        samples.append(time.perf_counter() - started)
    return sorted(samples)[int(0.99 * (n - 1))]


def one(name: str, url: str, users: int, seconds: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix=f"groundwork-load-{name}-"))
    env = server_env(url, workdir / "instance", GROUNDWORK_START_RATE_LIMIT="1000000 per minute")
    migrate(env)
    with gunicorn(env) as base:
        baseline = quiet_p99(base)
        outcome = run_load(base, users=users, seconds=seconds)
    lost = lost_answers(url, outcome)
    errors = sum(n for code, n in outcome.statuses.items() if code >= 500)
    print(f"{name}: {outcome.summary()}")
    print(f"{name}: 5xx {errors}; lost or mismatched {len(lost)}{' ' + str(lost[:3]) if lost else ''}; "
          f"POST p99 {outcome.percentile(99) * 1000:.0f} ms = {outcome.percentile(99) / baseline:.0f}x the quiet "
          f"/healthz p99 ({baseline * 1000:.1f} ms); goal p99 < 1000 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    print(f"{args.users} people for {args.seconds} s, one in five double-clicking; "
          "gunicorn as `make run` serves (2 workers x 4 threads)")
    one("SQLite", f"sqlite:///{tempfile.mkdtemp(prefix='groundwork-load-')}/load.sqlite3", args.users, args.seconds)
    with postgres_server() as url:
        one("PostgreSQL", url, args.users, args.seconds)


if __name__ == "__main__":
    main()
