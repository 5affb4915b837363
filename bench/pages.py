"""Latency and throughput of Groundwork's pages, served as `make run` serves them, against bare Flask.

Both run under gunicorn with app/gunicorn_conf.py (2 workers x 4 threads) on
loopback, side by side; wrk drives each page in turn for the same duration,
for several rounds, and the medians over rounds are printed: requests per
second, the 50th and 99th latency percentiles, and throughput as a ratio of
the bare hello-world measured in the same round. Pages: the landing page, a
questionnaire page submission (validate, save, redirect), the result page,
and, signed in as the demo user, an organisation's history and the comparison
of two assessments.

    .venv/bin/python bench/pages.py [--seconds 4] [--rounds 3] [--connections 8]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import personas
from tests.served import BIN, CSRF_RE, ROOT, USER_AGENT, Person, gunicorn, migrate, server_env


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> Run:
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in out or "Socket errors" in out:
        raise RuntimeError(f"failed responses from {url}:\n{out}")
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+(?:us|ms|s))\s*$", out, re.M))
    return Run(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
               _ms(percentiles["50"]), _ms(percentiles["99"]))


def lua(workdir: Path, name: str, person: Person, *, body: str | None = None) -> Path:
    cookies = "; ".join(f"{c.name}={c.value}" for c in person.jar)
    lines = [f'wrk.headers["Cookie"] = "{cookies}"', f'wrk.headers["User-Agent"] = "{USER_AGENT}"']
    if body is not None:
        lines += ['wrk.method = "POST"', f'wrk.body = "{body}"',
                  'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"']
    path = workdir / f"{name}.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


def targets(base: str, workdir: Path) -> dict[str, tuple[str, Path | None]]:
    """What wrk requests: each URL, with the script that makes it a signed-in or posting browser."""
    anonymous = Person(base)
    result = anonymous.complete("Bench result", personas.answers("p3_retailer"))
    status, url = anonymous.start("Bench submission")
    assert status == 302, status
    _, _, page = anonymous.request(url)
    prefix = "q_" if 'name="q_headcount"' in page else ""
    body = urllib.parse.urlencode({
        "csrf_token": CSRF_RE.search(page).group(1), f"{prefix}headcount": "from_50_to_249",
        f"{prefix}sector": "retail", f"{prefix}product_users": "established", f"{prefix}data_people": "3",
        f"{prefix}ml_expectation": "reporting", f"{prefix}main_question": "Why did sales drop?",
        "proceed": "Next"})

    demo = Person(base)
    status, _ = demo.log_in("demo@groundwork.example", "groundwork-demo")
    assert status == 302, status
    _, _, orgs = demo.request("/orgs")
    org_path = re.search(r'href="(/orgs/\d+)"', orgs).group(1)
    _, _, org_page = demo.request(org_path)
    ids = re.findall(r'name="before" value="(\d+)"', org_page)
    signed_in = lua(workdir, "signed-in", demo)
    return {
        "landing": (base + "/", None),
        "submit": (base + url, lua(workdir, "submit", anonymous, body=body)),
        "result": (base + result, lua(workdir, "result", anonymous)),
        "history": (base + org_path, signed_in),
        "compare": (f"{base}{org_path}/compare?before={ids[0]}&after={ids[-1]}", signed_in),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make bench` installs it (Debian package wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="groundwork-bench-"))
    env = server_env(f"sqlite:///{workdir / 'bench.sqlite3'}", workdir / "instance",
                     GROUNDWORK_LOGIN_RATE_LIMIT="100000 per minute", GROUNDWORK_START_RATE_LIMIT="100000 per minute",
                     GROUNDWORK_LOGIN_ACCOUNT_RATE_LIMIT="100000 per minute")
    migrate(env)
    subprocess.run([str(BIN / "groundwork"), "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    runs: dict[str, list[Run]] = {}
    with ExitStack() as stack:
        bare = stack.enter_context(gunicorn(env, "bench.bare:app"))
        base = stack.enter_context(gunicorn(env))
        pages = {"bare": (bare + "/", None), **targets(base, workdir)}
        # Rounds, each running every page once, so that a machine getting busier or
        # quieter shifts the baseline and the pages alike; ratios are per round.
        for _ in range(args.rounds):
            for name, (url, script) in pages.items():
                runs.setdefault(name, []).append(wrk(url, args.seconds, args.connections, script))
    shutil.rmtree(workdir, ignore_errors=True)

    print(f"gunicorn as `make run` serves (2 workers x 4 threads), wrk {args.connections} connections; "
          f"{args.rounds} rounds of {args.seconds} s per page; medians over rounds")
    print(f"{'page':26s}{'req/s':>9s}{'p50 ms':>9s}{'p99 ms':>9s}{'vs bare':>9s}")
    for name, found in runs.items():
        ratios = [r.rps / b.rps for r, b in zip(found, runs["bare"], strict=True)]
        print(f"{name:26s}{statistics.median(r.rps for r in found):9.0f}"
              f"{statistics.median(r.p50_ms for r in found):9.2f}{statistics.median(r.p99_ms for r in found):9.2f}"
              f"{statistics.median(ratios):9.1%}")


if __name__ == "__main__":
    main()
