"""Groundwork served as `make run` serves it (gunicorn, app/gunicorn_conf.py), driven over HTTP like a browser.

Used by the tests that need real worker processes and threads, and by the
benchmarks. The database is migrated with `groundwork db upgrade` first.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
START_KEY_RE = re.compile(r'name="start_key" type="hidden" value="([^"]+)"')
USER_AGENT = "groundwork-test-browser"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    instance.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "served-tests-secret",
            "GROUNDWORK_INSTANCE_DIR": str(instance), "GROUNDWORK_ACCESS_LOG": "off", "GROUNDWORK_LOG_LEVEL": "WARNING",
            **extra}


def migrate(env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "groundwork"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)


@contextmanager
def gunicorn(env: dict[str, str], app: str = "app:create_app()") -> Iterator[str]:
    """Serve `app` the way `make run` does, on a free port; yield its base URL."""
    port = free_port()
    proc = subprocess.Popen([str(BIN / "gunicorn"), "-c", "python:app.gunicorn_conf", app], cwd=ROOT,
                            env={**env, "PORT": str(port)}, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with {proc.returncode}") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process group started by this module: SIGTERM, then SIGKILL after 20 s."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextmanager
def worker(env: dict[str, str], *, prelude: str = "") -> Iterator[subprocess.Popen]:
    """`groundwork worker` on the queue `env` names, stopped (SIGTERM, then SIGKILL) afterwards.
    `prelude` is Python run first in the worker's process (a test slows its renders with it)."""
    code = f"import sys\n{prelude}\nfrom app.cli import main\nsys.argv = ['groundwork', 'worker']\nsys.exit(main())"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, start_new_session=True)
    try:
        yield proc
    finally:
        _stop(proc)


class Person:
    """A browser session: cookies, CSRF tokens, forms posted as a person would. Status codes are returned,
    never raised, so that a test can count them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.opener.addheaders = [("User-Agent", USER_AGENT)]

    def request(self, path: str, fields: dict[str, Any] | None = None) -> tuple[int, dict[str, str], str]:
        """(status, headers, body) of a GET, or of a POST when fields are given."""
        url = path if path.startswith("http") else self.base + path
        data = urllib.parse.urlencode(fields, doseq=True).encode() if fields is not None else None
        try:
            with self.opener.open(url, data, timeout=60) as resp:
                return resp.status, dict(resp.headers), resp.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def csrf(self, path: str) -> str:
        _, _, page = self.request(path)
        match = CSRF_RE.search(page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_up(self, email: str, password: str, mailbox: Any = None) -> int:
        """The sign-up form; with the test SMTP server's `mailbox` (tests/mail_server.py), also the link in
        the confirmation e-mail, which signs in. Returns the last status (302 when it worked)."""
        token = self.csrf("/signup")
        status = self.request("/signup", {"csrf_token": token, "email": email, "password": password,
                                          "confirm": password})[0]
        if mailbox is None or status != 302:
            return status
        link = mailbox.link(email, "/signup/confirm/")
        return self.request(link, {"csrf_token": self.csrf(link), "password": password})[0]

    def log_in(self, email: str, password: str) -> tuple[int, dict[str, str]]:
        token = self.csrf("/login")
        status, headers, _ = self.request("/login", {"csrf_token": token, "email": email, "password": password})
        return status, headers

    def start(self, organisation: str) -> tuple[int, str]:
        """Press "Start the assessment"; return (status, where it leads)."""
        _, _, page = self.request("/assessments/new")
        status, headers, _ = self.request("/assessments/new", {
            "csrf_token": CSRF_RE.search(page).group(1), "start_key": START_KEY_RE.search(page).group(1),
            "organisation_name": organisation})
        return status, headers.get("Location", "")

    def complete(self, organisation: str, answers: dict[str, Any]) -> str:
        """Answer every section with Next; return the result page's URL."""
        status, url = self.start(organisation)
        assert status == 302, status
        while "/sections/" in url:
            _, _, page = self.request(url)
            fields: dict[str, Any] = {"csrf_token": CSRF_RE.search(page).group(1), "proceed": "Next"}
            prefix = "q_" if 'name="q_' in page else ""  # questionnaire fields are q_<id> (ids alone before)
            fields.update({f"{prefix}{k}": v for k, v in answers.items() if f'name="{prefix}{k}"' in page})
            status, headers, body = self.request(url, fields)
            assert status == 302, (status, url, body[:500])
            url = headers["Location"]
        return url
