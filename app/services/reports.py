"""The PDF report of an assessment: read from the database, or rendered once by a queue worker.

The HTML is built on every request (a few milliseconds) and its hash is the key, so what is
served is always what would be rendered now. A web thread never renders:

1. a stored PDF is served (one primary-key read);
2. otherwise the first request inserts the key's row (a database constraint makes it the only
   one) and queues the job (app/reports/queue.py) unless the queue's backlog is past
   PDF_MAX_JOBS, which answers 503 with Retry-After;
3. a request then waits for the job only if one of PDF_WAITERS waiting places of its process is
   free, and for at most PDF_WAIT seconds, re-reading the row's state at growing intervals;
   otherwise, or after that, the person gets a "being prepared" page that refreshes itself.

A job whose worker died (begun longer ago than a render may take) is queued again by the next
request; one that waited in the queue past PDF_QUEUE_TIMEOUT is dropped by Huey and the person is
asked to try again. Rendered PDFs are kept within PDF_CACHE_MAX_MB, least recently used first.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Assessment, RenderedPdf, utcnow
from ..reports import pdf
from ..reports.queue import PdfQueue
from . import commit, history, outcomes

log = logging.getLogger(__name__)

#: Seconds between a job's timeout and the moment a request decides its worker is gone.
GRACE = 5
#: A stored PDF's last use is written at most this often (a read stays a read).
TOUCH_EVERY = timedelta(minutes=1)


class RenderError(RuntimeError):
    """The PDF could not be produced; the message is safe to show."""


class RenderBusy(RenderError):
    """Too many reports are queued; nothing was started."""


@dataclass(frozen=True)
class Report:
    data: bytes
    filename: str
    cached: bool


@dataclass(frozen=True)
class Pending:
    """The report is being prepared; ask again after `retry_after` seconds."""

    retry_after: int
    #: Whether this request set the render going (rather than finding it under way).
    started: bool = False


_waiters: dict[int, threading.BoundedSemaphore] = {}
_waiters_lock = threading.Lock()


def _waiting_place(limit: int) -> threading.BoundedSemaphore:
    """Per process: how many web threads may wait for a render at once (the rest get 'being prepared')."""
    with _waiters_lock:
        return _waiters.setdefault(limit, threading.BoundedSemaphore(limit))


def queue() -> PdfQueue:
    """This app's render queue (created on first use in each process)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("groundwork_pdf_queue")
    if found is None:
        found = app.extensions.setdefault("groundwork_pdf_queue", PdfQueue(app.config["PDF_QUEUE_URL"]))
    return found


def report_html(assessment: Assessment, *, with_history: bool) -> str:
    """The report's HTML: what the assessment said when it was finished (outcomes.shown). `with_history`
    adds what changed since the organisation's previous assessment, read under the same rules; a share
    link leaves it out, since it shows the shared assessment alone."""
    shown = outcomes.shown(assessment)
    since = None
    if with_history and (found := history.since_previous(assessment, shown.outcome, shown.rules)) is not None:
        previous, comparison = found
        since = pdf.Since(previous.label or previous.created_at.strftime("%d %b %Y"), previous.created_at.date(),
                          comparison)
    return pdf.report_html(shown.outcome, organisation=assessment.organisation_name, when=_date_of(assessment),
                           since=since, roles=shown.rules.roles, who="seats" if with_history else "counts")


def _date_of(assessment: Assessment) -> date:
    return (assessment.completed_at or assessment.updated_at).date()


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def report_for(assessment: Assessment, *, with_history: bool = True) -> Report | Pending:
    """The PDF, or Pending while a job prepares it. Raises RenderError when the last render failed
    (the next request tries again) and RenderBusy when the queue is full."""
    config = current_app.config
    html = report_html(assessment, with_history=with_history)
    key = pdf.cache_key(html)
    name = pdf.filename(assessment.organisation_name or "organisation", _date_of(assessment))
    row = db.session.get(RenderedPdf, key)
    if row is not None and row.data is not None:
        if utcnow() - _aware(row.last_used) > TOUCH_EVERY:
            row.last_used = utcnow()
            commit()
        return Report(row.data, name, cached=True)
    if row is not None and row.error is not None:
        message = row.error
        _drop(key)  # the next request tries again
        raise RenderError(message)
    started = _start(key, html, assessment.id) if row is None else _recover(row, html)
    place = _waiting_place(config["PDF_WAITERS"])
    if not place.acquire(blocking=False):
        return Pending(retry_after=2, started=started)
    try:
        data = _wait(key, config["PDF_WAIT"])
    finally:
        place.release()
    if data is None:
        return Pending(retry_after=2, started=started)
    return Report(data, name, cached=False)


def _start(key: str, html: str, assessment_id: int) -> bool:
    """Queue the render unless the backlog is full; False when another request queued it first."""
    config = current_app.config
    jobs = queue()
    if jobs.backlog() >= config["PDF_MAX_JOBS"]:
        db.session.rollback()
        raise RenderBusy("Many reports are being prepared right now. Please try again in a minute.")
    try:
        db.session.add(RenderedPdf(key=key, assessment_id=assessment_id, requested_at=utcnow(), last_used=utcnow()))
        commit()
    except IntegrityError:
        return False  # another request (on any server) queued this very report
    jobs.enqueue(key, html, timeout=config["PDF_TIMEOUT"], expires=config["PDF_QUEUE_TIMEOUT"])
    return True


def _recover(row: RenderedPdf, html: str) -> bool:
    """A job that should have ended by now: queue it again if its worker died mid-render; say so if it
    never left the queue. True when this request queued it again."""
    config = current_app.config
    now = utcnow()
    if row.started_at is not None:
        if now - _aware(row.started_at) <= timedelta(seconds=config["PDF_TIMEOUT"] + GRACE):
            return False
        # Begun, never finished nor failed: its worker was killed. Exactly one request re-queues it.
        claimed = db.session.execute(
            update(RenderedPdf).where(RenderedPdf.key == row.key, RenderedPdf.started_at == row.started_at,
                                      RenderedPdf.data.is_(None))
            .values(started_at=None, requested_at=now)).rowcount
        commit()
        if claimed:
            log.warning("PDF job %s was begun and never finished (worker gone?); queued again", row.key[:12])
            queue().enqueue(row.key, html, timeout=config["PDF_TIMEOUT"], expires=config["PDF_QUEUE_TIMEOUT"])
        return bool(claimed)
    if now - _aware(row.requested_at) > timedelta(seconds=config["PDF_QUEUE_TIMEOUT"] + GRACE):
        _drop(row.key)
        raise RenderError("Too many reports are being prepared right now. Please try again in a minute.")
    return False


def _wait(key: str, seconds: float) -> bytes | None:
    """Wait up to `seconds` for the job to finish: the PDF, None if it has not, RenderError if it failed."""
    deadline = time.monotonic() + seconds
    pause = 0.05
    while True:
        db.session.rollback()  # a fresh snapshot each time
        state = db.session.execute(select(RenderedPdf.error, RenderedPdf.data.is_not(None))
                                   .where(RenderedPdf.key == key)).one_or_none()
        if state is None:
            return None  # forgotten (its assessment deleted) or evicted meanwhile
        error, done = state
        if done:
            return db.session.execute(select(RenderedPdf.data).where(RenderedPdf.key == key)).scalar_one_or_none()
        if error is not None:
            _drop(key)
            raise RenderError(error)
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        time.sleep(min(pause, left))
        pause = min(pause * 1.5, 0.5)


def _drop(key: str) -> None:
    db.session.execute(delete(RenderedPdf).where(RenderedPdf.key == key, RenderedPdf.data.is_(None)))
    commit()


def forget(assessment_ids: list[int]) -> None:
    """Delete every stored PDF of these assessments, in the caller's transaction (deleting an
    assessment or its organisation does this too, by cascade)."""
    if assessment_ids:
        db.session.execute(delete(RenderedPdf).where(RenderedPdf.assessment_id.in_(assessment_ids)))


# The worker's side -----------------------------------------------------------------------------


def render_and_store(key: str, html: str) -> None:
    """Run by a queue worker: render, store, keep the store within its size. A job whose row is gone
    (its assessment deleted, or the request gave up) or already done is skipped."""
    begun = db.session.execute(update(RenderedPdf).where(RenderedPdf.key == key, RenderedPdf.data.is_(None))
                               .values(started_at=utcnow(), error=None)).rowcount
    commit()
    if not begun:
        return
    try:
        data = pdf.render_pdf(html)
    except Exception as error:
        timed_out = type(error).__name__ == "TaskTimeout"
        log.log(logging.WARNING if timed_out else logging.ERROR, "PDF render failed: %s", error,
                exc_info=not timed_out)
        message = ("The report took too long to prepare. Please try again." if timed_out else
                   f"The report could not be prepared ({type(error).__name__}). Please try again.")
        db.session.execute(update(RenderedPdf).where(RenderedPdf.key == key).values(error=message))
        commit()
        return
    db.session.execute(update(RenderedPdf).where(RenderedPdf.key == key)
                       .values(data=data, size=len(data), last_used=utcnow(), error=None))
    commit()
    evict(current_app.config["PDF_CACHE_MAX_MB"] * 1024 * 1024)


def evict(max_bytes: int) -> None:
    """Delete the least recently used PDFs until the rest fit in max_bytes; and rows of jobs abandoned
    for an hour (so that nothing accumulates)."""
    total = db.session.execute(select(func.coalesce(func.sum(RenderedPdf.size), 0))).scalar_one()
    if total > max_bytes:
        doomed = []
        for key, size in db.session.execute(select(RenderedPdf.key, RenderedPdf.size)
                                            .where(RenderedPdf.data.is_not(None)).order_by(RenderedPdf.last_used)):
            if total <= max_bytes:
                break
            doomed.append(key)
            total -= size
        for start in range(0, len(doomed), 500):
            db.session.execute(delete(RenderedPdf).where(RenderedPdf.key.in_(doomed[start:start + 500])))
    db.session.execute(delete(RenderedPdf).where(RenderedPdf.data.is_(None),
                                                 RenderedPdf.requested_at < utcnow() - timedelta(hours=1)))
    commit()
