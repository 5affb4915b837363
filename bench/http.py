"""HTTP throughput of Groundwork against bare Flask, measured in one run.

Both apps run under gunicorn on loopback with the same settings, side by side,
and wrk drives each page in turn for the same duration, for several rounds;
each round's ratios use that round's baseline, and the medians are printed. The figures that matter are
the ratios against a bare hello-world route: submitting a questionnaire page
(validate, save, redirect; goal at least 10 %) and the comparison of two
assessments of the demo organisation, signed in (goal at least 25 %). Views
of a comparison after the first are served from the fragment cache (see
app/web/fragments.py); the first view's cost is measured too, with it off.

    .venv/bin/python bench/http.py [--seconds 4] [--rounds 3] [--connections 16]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named http.py; run as a script, its folder would shadow the
# standard library's http package. Drop the folder from the path first.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import urllib.parse
import urllib.request

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._support import BIN, CSRF_RE, ROOT, USER_AGENT, Person, migrate, serve, stop


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> float:
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise RuntimeError(f"{non_2xx.group(1)} failed responses from {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def submission_script(base: str, workdir: Path) -> tuple[str, Path]:
    """Start an assessment like a person would; return the page URL and a wrk script posting it."""
    person = Person(base)
    url, page = person.start("Bench")
    body = urllib.parse.urlencode({
        "csrf_token": CSRF_RE.search(page).group(1), "headcount": "from_50_to_249", "sector": "retail",
        "product_users": "established", "data_people": "3", "ml_expectation": "reporting",
        "main_question": "Why did sales drop?", "proceed": "Next"})
    script = workdir / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f'wrk.body = "{body}"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = "{person.cookie_header}"\n'
        f'wrk.headers["User-Agent"] = "{USER_AGENT}"\n')
    return url, script


def comparison_script(base: str, workdir: Path) -> tuple[str, Path]:
    """Sign in as the demo user; return the comparison URL of its first and last assessments."""
    person = Person(base)
    page = person.log_in("demo@groundwork.example", "groundwork-demo")
    org_path = re.search(r'href="(/orgs/\d+)"', page).group(1)
    _, org_page = person.get(org_path)
    ids = re.findall(r'name="before" value="(\d+)"', org_page)
    url = f"{base}{org_path}/compare?before={ids[0]}&after={ids[-1]}"
    # Exactly what wrk will send: the page renders and the session cookie is left alone.
    request = urllib.request.Request(url, headers={"Cookie": person.cookie_header, "User-Agent": USER_AGENT})
    with urllib.request.urlopen(request) as response:
        assert "What moved" in response.read().decode(), "comparison page did not render"
        assert response.headers.get("Set-Cookie") is None, "the session is rewritten on every request"
    script = workdir / "compare.lua"
    script.write_text(f'wrk.headers["Cookie"] = "{person.cookie_header}"\n'
                      f'wrk.headers["User-Agent"] = "{USER_AGENT}"\n')
    return url, script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make bench` installs it (Debian package wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="groundwork-bench-"))
    env = dict(os.environ, SECRET_KEY="bench", DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
               GROUNDWORK_LOG_LEVEL="WARNING")
    migrate(env)
    subprocess.run([str(BIN / "groundwork"), "demo"], cwd=ROOT, env=env, check=True, capture_output=True)

    servers = []
    try:
        servers.append(serve("bench.bare:app", env))
        servers.append(serve("app:create_app()", env))
        # The same app with the fragment cache off: every comparison view loads, scores and renders.
        servers.append(serve("app:create_app()", dict(env, GROUNDWORK_FRAGMENT_CACHE_SIZE="0")))
        (_, bare_base), (_, base), (_, cold_base) = servers
        submit_url, submit_script = submission_script(base, workdir)
        compare_url, compare_script = comparison_script(base, workdir)
        (workdir / "cold").mkdir()
        cold_url, cold_script = comparison_script(cold_base, workdir / "cold")
        targets = {
            "bare": (bare_base + "/", None),
            "landing": (base + "/", None),
            "submit": (submit_url, submit_script),
            "compare": (compare_url, compare_script),
            "cold": (cold_url, cold_script),
            "signed_in": (base + "/", compare_script),
        }
        # Rounds, each running every target once, so that a machine getting busier
        # or quieter shifts the baseline and the pages alike; ratios are per round.
        rates: dict[str, list[float]] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, (url, script) in targets.items():
                rates[name].append(wrk(url, args.seconds, args.connections, script))
    finally:
        for proc, _ in servers:
            stop(proc)
    shutil.rmtree(workdir, ignore_errors=True)

    def line(label: str, name: str, note: str = "") -> str:
        ratios = sorted(r / b for r, b in zip(rates[name], rates["bare"], strict=True))
        return (f"{label:31s}{statistics.median(rates[name]):8.0f} req/s  ratio {statistics.median(ratios):5.1%} "
                f"(rounds {ratios[0]:.1%}-{ratios[-1]:.1%}){note}")

    print(f"gunicorn, 2 sync workers, wrk {args.connections} connections; {args.rounds} rounds of "
          f"{args.seconds} s per page; medians")
    print(f"{'bare Flask hello-world:':31s}{statistics.median(rates['bare']):8.0f} req/s  (baseline)")
    print(line("Groundwork landing page:", "landing"))
    print(line("questionnaire page submission:", "submit", "  goal >= 10 %"))
    print(line("comparison page (signed in):", "compare", "  goal >= 25 %"))
    print(line("comparison, cache off:", "cold", "  first view of a comparison"))
    print(line("landing page (signed in):", "signed_in", "  the floor for any signed-in page"))


if __name__ == "__main__":
    main()
