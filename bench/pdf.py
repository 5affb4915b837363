"""PDF report speed, and whether rendering starves the web workers.

Prints, in one run:
- the median time to render a complete report (in-process WeasyPrint, and the
  path the web app uses: a job forked by the fork server, nice, render, pipe);
- the median time of a cached re-download over HTTP;
- a web page's p50/p99 latency with no PDF rendering, then while two people
  download PDFs one after another, served by gunicorn as `make run` serves it;
- /healthz's latency while 12 PDFs of different assessments are requested at
  once, and what those 12 requests were answered.
Goals on this machine: first render < 1 s median (with libharfbuzz-subset0),
cached < 20 ms, page p99 < 100 ms while PDFs render, /healthz < 100 ms
during the burst of 12.

    .venv/bin/python bench/pdf.py [--renders 7] [--seconds 8]
"""

from __future__ import annotations

import argparse
import ctypes.util
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import assessments
from app.reports import pdf
from app.reports.renderer import RenderLimits, start_job
from tests import personas
from tests.served import Person, gunicorn, migrate, server_env


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def page_latencies(url: str, seconds: float, stop_when: threading.Event | None = None) -> list[float]:
    """One request every 20 ms for `seconds` (or until stop_when is set)."""
    samples = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (stop_when and stop_when.is_set()):
        samples.append(timed(lambda: urllib.request.urlopen(url, timeout=30).read()))
        time.sleep(0.02)
    return samples


BURST = 12


def fetch_pdf(person: Person, url: str) -> None:
    """Download a PDF as a browser would: following the "being prepared" page until it arrives."""
    for _ in range(600):
        status, _, _ = person.request(url)
        if status == 200:
            return
        assert status == 202, status
        time.sleep(0.1)
    raise RuntimeError(f"{url} never arrived")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()
    names = personas.NAMES
    q = assessments.current()

    # 1. Render time, in-process and through the isolated renderer.
    html = [pdf.report_html(assessments.evaluate(q, personas.answers(names[i % len(names)])),
                            organisation=f"Bench {i}", when=date.today()) for i in range(args.renders)]
    pdf.render_pdf(html[0])  # warm up imports and fonts
    in_process = [timed(lambda h=h: pdf.render_pdf(h)) for h in html]
    scratch = Path(tempfile.mkdtemp(prefix="groundwork-bench-jobs-"))
    limits = RenderLimits(lock_dir=scratch / "locks", timeout=60)

    def through_a_job(index: int) -> None:
        with start_job(html[index], pdf.cache_key(html[index]), str(scratch), limits, reply=True) as reply:
            assert reply.recv_bytes().startswith(b"%PDF")

    through_a_job(0)  # starts the fork server
    isolated = [timed(lambda i=i: through_a_job(i)) for i in range(1, len(html))]
    shutil.rmtree(scratch, ignore_errors=True)
    harfbuzz = ctypes.util.find_library("harfbuzz-subset") is not None

    # 2. Over HTTP, served as `make run` serves it.
    workdir = Path(tempfile.mkdtemp(prefix="groundwork-bench-"))
    env = server_env(f"sqlite:///{workdir / 'bench.sqlite3'}", workdir / "instance",
                     GROUNDWORK_PDF_RATE_LIMIT="100000 per minute", GROUNDWORK_START_RATE_LIMIT="100000 per minute")
    migrate(env)
    with gunicorn(env) as base:
        person = Person(base)
        results = [person.complete(f"Org {i}", personas.answers(names[i % len(names)]))
                   for i in range(2 + 2 * args.renders + BURST)]
        burst_urls, results = [r + "/report.pdf" for r in results[-BURST:]], results[:-BURST]
        first = results[0] + "/report.pdf"
        fetch_pdf(person, first)
        cached = [timed(lambda: fetch_pdf(person, first)) for _ in range(20)]

        quiet = page_latencies(base + "/", args.seconds)
        queue = [r + "/report.pdf" for r in results[1:]]
        lock = threading.Lock()
        done = threading.Event()
        renders = []

        def render_loop() -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    url = queue.pop()
                renders.append(timed(lambda u=url: fetch_pdf(person, u)))

        threads = [threading.Thread(target=render_loop) for _ in range(2)]
        for t in threads:
            t.start()
        busy = page_latencies(base + "/", args.seconds * 3, stop_when=done)
        done.set()
        for t in threads:
            t.join()

        # 3. A burst: 12 people ask for 12 different PDFs at the same moment.
        burst_quiet = page_latencies(base + "/healthz", 2)
        with ThreadPoolExecutor(max_workers=BURST) as pool:
            answers = list(pool.map(lambda u: Person(base).request(u)[0], burst_urls))
            during = page_latencies(base + "/healthz", 3)
    shutil.rmtree(workdir, ignore_errors=True)

    ms = 1000
    print(f"HarfBuzz subsetting library present: {'yes' if harfbuzz else 'NO (expect 40-60 % slower renders)'}")
    print(f"render, in-process   median {statistics.median(in_process) * ms:7.0f} ms  (n={len(in_process)})")
    print(f"render, as a job     median {statistics.median(isolated) * ms:7.0f} ms  (goal < 1000 ms)")
    print(f"PDF over HTTP, first median {statistics.median(renders) * ms:7.0f} ms  (n={len(renders)}, 2 at once)")
    print(f"PDF over HTTP, cached median {statistics.median(cached) * ms:6.1f} ms  (goal < 20 ms)")
    print(f"landing page, quiet            p50 {percentile(quiet, 50) * ms:6.1f} ms  p99 "
          f"{percentile(quiet, 99) * ms:6.1f} ms  (baseline, n={len(quiet)})")
    print(f"landing page, 2 PDFs rendering p50 {percentile(busy, 50) * ms:6.1f} ms  p99 "
          f"{percentile(busy, 99) * ms:6.1f} ms  (goal p99 < 100 ms, n={len(busy)}; "
          f"p99 ratio {percentile(busy, 99) / percentile(quiet, 99):.1f}x quiet)")
    print(f"/healthz, quiet                p50 {percentile(burst_quiet, 50) * ms:6.1f} ms  p99 "
          f"{percentile(burst_quiet, 99) * ms:6.1f} ms  (baseline)")
    print(f"/healthz, {BURST} PDFs asked at once p50 {percentile(during, 50) * ms:6.1f} ms  max "
          f"{max(during) * ms:6.1f} ms  (goal < 100 ms; ratio {max(during) / percentile(burst_quiet, 99):.1f}x "
          f"quiet p99)")
    print(f"  the {BURST} PDF requests were answered: " + ", ".join(
        f"{code} x{answers.count(code)}" for code in sorted(set(answers))) + "  (200 PDF, 202 being prepared)")


if __name__ == "__main__":
    main()
