"""Cost as data grows: the pages people use at 100 assessments, then at 100,000, in one run.

Starts its own PostgreSQL (as the tests do), migrates it, and fills it with
bulk inserts (COPY): first 100 completed assessments over 10 organisations,
then up to 100,000 over 10,000 organisations. In both, the measured
organisation is one of the largest, with 40 assessments. After each fill, the
app is served as `make run` serves it and each page is requested in turn,
one at a time: the result page, the organisation's history, a comparison of
two of its assessments, its JSON and CSV exports, and signing in. Prints p50
and p95 at both sizes and their ratio (goal: p95 at 100,000 at most 1.3 times
p95 at 100, and under 50 ms), then the EXPLAIN of every query those pages
run, flagging any sequential scan of a large table.

    .venv/bin/python bench/scale.py [--requests 60] [--assessments 100000]
"""

from __future__ import annotations

import argparse
import itertools
import re
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

import assessments
from assessments.answers import clean_answers
from tests import personas
from tests.postgres import postgres_server
from tests.served import CSRF_RE, Person, gunicorn, migrate, server_env

EMAIL, PASSWORD = "scale@example.org", "correct horse battery"
LARGEST = 40
BIG_TABLES = ("assessments", "answers", "organisations", "memberships", "users", "user_sessions", "share_links")


def fill(conn: psycopg.Connection, *, organisations: int, total: int, first_org: int) -> None:
    """Add organisations and completed assessments with COPY; every 250th organisation gets LARGEST."""
    q = assessments.current()
    answer_sets = [clean_answers(q, personas.answers(n)) for n in personas.NAMES]
    import json

    sizes = [LARGEST if i % 250 == 0 else 0 for i in range(organisations)]
    rest = total - sum(sizes)
    for i in itertools.cycle(range(organisations)):
        if rest <= 0:
            break
        if sizes[i] < LARGEST - 1:
            sizes[i] += 1
            rest -= 1
    now = datetime.now(UTC)
    with conn.cursor() as cur:
        org_ids = list(range(first_org, first_org + organisations))
        with cur.copy("COPY organisations (id, name, created_at) FROM STDIN") as copy:
            for oid in org_ids:
                copy.write_row((oid, f"Organisation {oid}", now))
        # An owner per organisation, signed in once, so that users, memberships and sessions grow too.
        with cur.copy("COPY users (email, password_hash, created_at, email_verified_at) FROM STDIN") as copy:
            for oid in org_ids:
                copy.write_row((f"owner{oid}@scale.example", "scrypt:not-a-real-hash", now, now))
        cur.execute("INSERT INTO memberships (user_id, organisation_id, role) SELECT u.id, "
                    "substring(u.email from 'owner([0-9]+)@')::int, 'owner' FROM users u "
                    "WHERE u.email LIKE 'owner%%@scale.example' AND substring(u.email from 'owner([0-9]+)@')::int "
                    "BETWEEN %s AND %s", (org_ids[0], org_ids[-1]))
        cur.execute("INSERT INTO user_sessions (user_id, token_hash, created_at, last_seen_at) SELECT id, "
                    "md5(email) || md5(email || 'x'), now(), now() FROM users "
                    "WHERE email LIKE 'owner%%@scale.example' AND id > "
                    "coalesce((SELECT max(user_id) FROM user_sessions), 0)")
        cur.execute("SELECT coalesce(max(id), 0) FROM assessments")
        next_id = cur.fetchone()[0] + 1
        rows = []
        with cur.copy("COPY assessments (id, token, start_key, organisation_name, organisation_id, label, "
                      "questionnaire_id, questionnaire_version, last_section, revision, created_at, updated_at, "
                      "completed_at) FROM STDIN") as copy:
            for oid, size in zip(org_ids, sizes, strict=True):
                for n in range(size):
                    when = now - timedelta(days=30 * (size - n))
                    copy.write_row((next_id, secrets.token_urlsafe(24), secrets.token_urlsafe(24),
                                    f"Organisation {oid}", oid, f"Q{n + 1}", q.id, q.version,
                                    q.sections[-1].id, 11, when, when, when))
                    rows.append((next_id, answer_sets[(oid + n) % len(answer_sets)]))
                    next_id += 1
        with cur.copy("COPY answers (assessment_id, question_id, value) FROM STDIN") as copy:
            for assessment_id, answers in rows:
                for question_id, value in answers.items():
                    copy.write_row((assessment_id, question_id, json.dumps(value)))
        cur.execute("INSERT INTO share_links (assessment_id, token, created_at) SELECT id, token || 's', now() "
                    "FROM assessments WHERE id %% 10 = 0 AND id >= %s", (rows[0][0] if rows else 0,))
        cur.execute("SELECT setval('organisations_id_seq', (SELECT max(id) FROM organisations))")
        cur.execute("SELECT setval('assessments_id_seq', (SELECT max(id) FROM assessments))")
        cur.execute("ANALYZE")
    conn.commit()


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(base: str, org_id: int, requests: int) -> dict[str, list[float]]:
    person = Person(base)
    status, _ = person.log_in(EMAIL, PASSWORD)
    assert status == 302, status
    _, _, page = person.request(f"/orgs/{org_id}")
    ids = re.findall(r'name="before" value="(\d+)"', page)
    tokens = re.findall(r'href="/assessments/([\w-]+)"', page)
    assert len(ids) == LARGEST, len(ids)
    pages = {
        "result page": f"/assessments/{tokens[-1]}",
        "history (40 assessments)": f"/orgs/{org_id}",
        "comparison": f"/orgs/{org_id}/compare?before={ids[0]}&after={ids[-1]}",
        "export JSON": f"/orgs/{org_id}/export.json",
        "export CSV": f"/orgs/{org_id}/export.csv",
    }
    found: dict[str, list[float]] = {}
    for name, path in pages.items():
        for _ in range(5):
            assert person.request(path)[0] == 200, path
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            status, _, _ = person.request(path)
            samples.append(time.perf_counter() - started)
            assert status == 200, (path, status)
        found[name] = samples
    samples = []
    for _ in range(max(requests // 3, 10)):
        visitor = Person(base)
        token = visitor.csrf("/login")
        started = time.perf_counter()
        status, _, _ = visitor.request("/login", {"csrf_token": token, "email": EMAIL, "password": PASSWORD})
        samples.append(time.perf_counter() - started)
        assert status == 302, status
    found["sign-in (POST, scrypt)"] = samples
    return found


def explain(url: str, org_id: int) -> list[str]:
    """Run each page in-process, catch its SQL, and EXPLAIN it on the full database."""
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app({"SECRET_KEY": "scale", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                      "SERVER_NAME": "localhost", "LOGIN_RATE_LIMIT": "100000 per minute",
                      "LOGIN_ACCOUNT_RATE_LIMIT": "100000 per minute"})
    client = app.test_client()
    statements: list[tuple[str, object]] = []
    with app.app_context():
        engine = db.engine
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"csrf_token": token, "email": EMAIL, "password": PASSWORD})
    page = client.get(f"/orgs/{org_id}").get_data(as_text=True)
    ids = re.findall(r'name="before" value="(\d+)"', page)
    tokens = re.findall(r'href="/assessments/([\w-]+)"', page)

    def catch(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", catch)
    for path in (f"/assessments/{tokens[-1]}", f"/orgs/{org_id}", f"/orgs/{org_id}/compare?before={ids[0]}"
                 f"&after={ids[-1]}", f"/orgs/{org_id}/export.json"):
        client.get(path)
    event.remove(engine, "before_cursor_execute", catch)
    lines, seen = [], set()
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in statements:
            shape = re.sub(r"\s+", " ", statement)
            if shape in seen:
                continue
            seen.add(shape)
            with raw.cursor() as cur:
                cur.execute("EXPLAIN " + statement, parameters)
                plan = [row[0] for row in cur.fetchall()]
            scans = [p.strip() for p in plan if "Scan" in p]
            bad = [s for s in scans if "Seq Scan on" in s and any(f" on {t} " in s + " " for t in BIG_TABLES)]
            first_table = re.search(r"FROM (\w+)", shape)
            lines.append(f"  {'SEQ SCAN ' if bad else 'index    '} {first_table.group(1) if first_table else '?':14s} "
                         + "; ".join(s.split("  (")[0].lstrip("-> ") for s in scans))
    engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="requests per page and size")
    parser.add_argument("--assessments", type=int, default=100_000)
    args = parser.parse_args()
    results: dict[int, dict[str, list[float]]] = {}
    with postgres_server() as url:
        env = server_env(url, Path(tempfile.mkdtemp(prefix="groundwork-scale-")) / "instance",
                         GROUNDWORK_LOGIN_RATE_LIMIT="100000 per minute",
                         GROUNDWORK_LOGIN_ACCOUNT_RATE_LIMIT="100000 per minute")
        migrate(env)
        with gunicorn(env) as base:
            assert Person(base).sign_up(EMAIL, PASSWORD) == 302
        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn) as conn:
            # No mail server here: confirm the benchmark's account directly (its e-mail went to the log).
            conn.execute("UPDATE users SET email_verified_at = now() WHERE email = %s", (EMAIL,))
            started = time.perf_counter()
            fill(conn, organisations=10, total=100, first_org=1)
            conn.execute("INSERT INTO memberships (user_id, organisation_id, role) "
                         "SELECT id, 1, 'owner' FROM users WHERE email = %s", (EMAIL,))
            conn.commit()
            print(f"filled 100 assessments in {time.perf_counter() - started:.1f} s")
        with gunicorn(env) as base:
            results[100] = measure(base, 1, args.requests)
        with psycopg.connect(dsn) as conn:
            started = time.perf_counter()
            fill(conn, organisations=args.assessments // 10 - 10, total=args.assessments - 100, first_org=11)
            count = conn.execute("SELECT count(*) FROM assessments").fetchone()[0]
            answers = conn.execute("SELECT count(*) FROM answers").fetchone()[0]
            orgs = conn.execute("SELECT count(*) FROM organisations").fetchone()[0]
            print(f"filled up to {count:,} assessments ({answers:,} answers, {orgs:,} organisations) "
                  f"in {time.perf_counter() - started:.0f} s")
            size = count
        with gunicorn(env) as base:
            results[size] = measure(base, 1, args.requests)
        plans = explain(url, 1)

    small, large = results[100], results[size]
    print(f"\nserved as `make run` serves (gunicorn 2 x 4), one request at a time, {args.requests} per page")
    print(f"{'page':28s}{'p50 @100':>10s}{'p95 @100':>10s}{'p50 @' + format(size, ','):>14s}"
          f"{'p95 @' + format(size, ','):>14s}{'p95 ratio':>11s}")
    for name in small:
        a, b = small[name], large[name]
        print(f"{name:28s}{percentile(a, 50) * 1000:9.1f} {percentile(a, 95) * 1000:9.1f} "
              f"{percentile(b, 50) * 1000:13.1f} {percentile(b, 95) * 1000:13.1f} "
              f"{percentile(b, 95) / percentile(a, 95):10.2f}")
    print("goals: p95 ratio <= 1.3 and p95 < 50 ms (sign-in is dominated by the deliberately slow password hash)")
    print("\nEXPLAIN of each distinct query those pages run, on the full database:")
    for line in plans:
        print(line)


if __name__ == "__main__":
    main()
