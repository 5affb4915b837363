"""PDF renders as jobs on a Huey queue, run by `groundwork worker`, never by a web thread.

Huey keeps its queue in a SQLite file on one machine (SqliteHuey) and in Redis on several
(RedisHuey), with the same code; a worker is `huey.consumer.Consumer` with process workers, so
renders at once are exactly the number of workers, however many are asked for, and each render
is stopped by Huey's own timeout (SIGALRM in its worker process). The job's id is the report's
cache key (pdf.cache_key). Jobs return nothing, so Huey stores no results: the rendered PDF goes
into the database (app/services/reports.py), where every app server reads it.

Huey does not acknowledge jobs: one whose worker is killed mid-render is lost. The job's row in
the database says when a worker began it, and a request that finds it begun longer ago than a
render may take queues it again (services.reports.report_for).
"""

from __future__ import annotations

import logging
import os
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from huey import Huey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper
from huey.consumer import Consumer

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)

#: The app a worker process renders for (set by `serve`, or by the tests' in-process worker).
_app: Flask | None = None

TASK_NAME = "render_pdf"


def render_job(key: str, html: str) -> None:  # pragma: no cover - worker
    """The job: render `html` into the database under `key` (see services.reports.render_and_store)."""
    from ..services.reports import render_and_store

    assert _app is not None, "a worker renders for an app: see queue.bind"
    with _app.app_context():
        render_and_store(key, html)


class PdfQueue:
    """The Huey instance and its one task."""

    def __init__(self, url: str) -> None:
        if url.startswith(("redis://", "rediss://", "unix://")):
            self.huey: Huey = RedisHuey("groundwork-pdf", url=url, results=False)
        else:
            path = Path(url.removeprefix("sqlite:///"))
            path.parent.mkdir(parents=True, exist_ok=True)
            self.huey = SqliteHuey("groundwork-pdf", filename=str(path), results=False)
        self.render: TaskWrapper = self.huey.task(name=TASK_NAME)(render_job)

    def enqueue(self, key: str, html: str, *, timeout: float, expires: float) -> None:
        """Queue one render; `timeout` bounds the render, `expires` the wait for a worker."""
        self.huey.enqueue(self.render.s(key, html, id=key, timeout=timeout, expires=expires))

    def backlog(self) -> int:
        """Jobs queued and not yet taken by a worker, across every server sharing the queue."""
        return self.huey.pending_count()


def warm_up() -> None:
    """Render a one-line document with the report's stylesheet before the render processes are forked,
    so that each starts with WeasyPrint, Pango and the fonts loaded (a first render is otherwise a few
    hundred milliseconds slower, on top of the import)."""
    from .pdf import render_pdf

    render_pdf('<html><head><link rel="stylesheet" href="groundwork-asset:report.css"></head>'
               "<body><h1>Groundwork</h1><p>Warm-up <strong>text</strong> <em>ready</em>.</p></body></html>")


def bind(app: Flask) -> None:
    global _app
    _app = app


def serve(app: Flask, queue: PdfQueue, *, workers: int) -> None:  # pragma: no cover - runs until stopped
    """Run `workers` render processes until SIGINT (finish the jobs in hand) or SIGTERM (stop now)."""
    bind(app)
    with suppress(OSError):
        os.nice(15)  # renders yield the CPU to the web servers on the same machine
    warm_up()
    from ..extensions import db

    with app.app_context():
        db.engine.dispose()  # each forked worker opens its own connections
    Consumer(queue.huey, workers=max(workers, 1), worker_type="process", periodic=False, initial_delay=0.05,
             max_delay=0.5, check_worker_health=True, health_check_interval=1).run()
