"""HTTP throughput of Groundwork against bare Flask, measured in one run.

Both apps run under gunicorn on loopback with the same settings, one after the
other, and wrk drives each for the same duration. The figures that matter are
the ratios against a bare hello-world route: submitting a questionnaire page
(validate, save, redirect; goal at least 10 %) and the comparison of two
assessments of the demo organisation, signed in (goal at least 25 %). Views
of a comparison after the first are served from the fragment cache (see
app/web/fragments.py); the first view's cost is measured too, with it off.

    .venv/bin/python bench/http.py [--seconds 8] [--connections 16]
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
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make bench` installs it (Debian package wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="groundwork-bench-"))
    env = dict(os.environ, SECRET_KEY="bench", DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
               GROUNDWORK_LOG_LEVEL="WARNING")
    migrate(env)
    subprocess.run([str(BIN / "groundwork"), "demo"], cwd=ROOT, env=env, check=True, capture_output=True)

    def measure_bare() -> float:
        proc, base = serve("bench.bare:app", env)
        try:
            return wrk(base + "/", args.seconds, args.connections)
        finally:
            stop(proc)

    # The baseline is taken before and after Groundwork's runs, so that a machine
    # getting busier or quieter during the run does not tilt the ratios.
    bare_before = measure_bare()
    proc, base = serve("app:create_app()", env)
    try:
        url, script = submission_script(base, workdir)
        submit = wrk(url, args.seconds, args.connections, script)
        compare_url, compare_script = comparison_script(base, workdir)
        compare = wrk(compare_url, args.seconds, args.connections, compare_script)
        # The floor of any signed-in page: session, user and membership load, rate limiter, layout.
        signed_in = wrk(base + "/", args.seconds, args.connections, compare_script)
        landing = wrk(base + "/", args.seconds, args.connections)
    finally:
        stop(proc)
    # The same comparison with the fragment cache off: every view loads, scores and renders both assessments.
    proc, base = serve("app:create_app()", dict(env, GROUNDWORK_FRAGMENT_CACHE_SIZE="0"))
    try:
        compare_url, compare_script = comparison_script(base, workdir)
        uncached = wrk(compare_url, args.seconds, args.connections, compare_script)
    finally:
        stop(proc)
    bare_after = measure_bare()
    bare = (bare_before + bare_after) / 2
    shutil.rmtree(workdir, ignore_errors=True)

    print(f"gunicorn, 2 sync workers, wrk {args.connections} connections, {args.seconds} s each")
    print(f"bare Flask hello-world:        {bare:8.0f} req/s (baseline: mean of {bare_before:.0f} before "
          f"and {bare_after:.0f} after)")
    print(f"Groundwork landing page:       {landing:8.0f} req/s  ratio {landing / bare:5.1%}")
    print(f"questionnaire page submission: {submit:8.0f} req/s  ratio {submit / bare:5.1%}  (goal >= 10 %)")
    print(f"comparison page (signed in):   {compare:8.0f} req/s  ratio {compare / bare:5.1%}  (goal >= 25 %)")
    print(f"comparison, cache off:         {uncached:8.0f} req/s  ratio {uncached / bare:5.1%}  "
          "(first view of a comparison; later views are served from the fragment cache)")
    print(f"landing page (signed in):      {signed_in:8.0f} req/s  ratio {signed_in / bare:5.1%}  "
          "(the floor for any signed-in page)")


if __name__ == "__main__":
    main()
