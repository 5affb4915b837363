"""Shared by the benchmarks: serving an app under gunicorn on loopback and driving it like a person."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
USER_AGENT = "groundwork-bench"
START_KEY_RE = re.compile(r'name="start_key" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migrate(env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "groundwork"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)


def serve(app: str, env: dict[str, str], *, workers: int = 2, threads: int = 1) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    if threads > 1:
        cmd += ["--threads", str(threads)]
    proc = subprocess.Popen([*cmd, app], cwd=ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/", timeout=1).read()
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{app} did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=15)


class Person:
    """A browser session: cookies, CSRF tokens, forms posted as a person would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        # One user agent throughout, as a browser has: Flask-Login's session protection
        # hashes it, and a different one on the wrk requests would rewrite the session
        # cookie on every response, which no real visitor causes.
        self.opener.addheaders = [("User-Agent", USER_AGENT)]

    def get(self, path: str) -> tuple[str, str]:
        url, body = self.fetch(path)
        return url, body.decode()

    def fetch(self, path: str) -> tuple[str, bytes]:
        with self.opener.open(self.base + path if path.startswith("/") else path) as resp:
            return resp.geturl(), resp.read()

    def post(self, url: str, fields: dict[str, Any]) -> tuple[str, str]:
        with self.opener.open(url, urllib.parse.urlencode(fields).encode()) as resp:
            return resp.geturl(), resp.read().decode()

    def start(self, organisation: str) -> tuple[str, str]:
        """Start an assessment; return (first section URL, its HTML)."""
        _, page = self.get("/assessments/new")
        return self.post(self.base + "/assessments/new", {
            "csrf_token": CSRF_RE.search(page).group(1), "start_key": START_KEY_RE.search(page).group(1),
            "organisation_name": organisation})

    def complete(self, organisation: str, answers: dict[str, Any]) -> str:
        """Answer every section; return the result page URL."""
        url, page = self.start(organisation)
        while "/sections/" in url:
            fields = {"csrf_token": CSRF_RE.search(page).group(1), "proceed": "Next"}
            fields.update({k: v for k, v in answers.items() if f'name="{k}"' in page})
            url, page = self.post(url, fields)
        return url

    def log_in(self, email: str, password: str) -> str:
        """Sign in; return the page signed-in users land on."""
        _, page = self.get("/login")
        _, page = self.post(self.base + "/login", {
            "csrf_token": CSRF_RE.search(page).group(1), "email": email, "password": password})
        return page

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)
