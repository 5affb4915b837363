"""The PDF report of an assessment: from the cache, or rendered once by a job and cached.

Reads only. The HTML is built on every request (a few milliseconds) and its
hash is the cache key, so what is served is always what would be rendered
now. A failed or timed-out render changes nothing: the answers were saved
long before anyone asked for a PDF.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app

import assessments

from ..models import Assessment
from ..reports import pdf
from ..reports.cache import PdfCache
from ..reports.renderer import ELSEWHERE, RenderError, RenderLimits, is_pending, jobs_running, start_job
from . import history
from .assessments import questionnaire_of, saved_answers


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


class RenderBusy(RenderError):
    """Too many reports are queued; nothing was started."""


_waiters: dict[int, threading.BoundedSemaphore] = {}
_waiters_lock = threading.Lock()


def _waiting_place(limit: int) -> threading.BoundedSemaphore:
    """Per process: how many web threads may wait for a render at once (the rest get 'being prepared')."""
    with _waiters_lock:
        return _waiters.setdefault(limit, threading.BoundedSemaphore(limit))


def _limits() -> RenderLimits:
    config = current_app.config
    return RenderLimits(lock_dir=Path(config["PDF_LOCK_DIR"]), slots=config["PDF_WORKERS"],
                        timeout=config["PDF_TIMEOUT"], queue_timeout=config["PDF_QUEUE_TIMEOUT"],
                        max_jobs=config["PDF_MAX_JOBS"])


def report_html(assessment: Assessment, *, with_history: bool) -> str:
    """The report's HTML. `with_history` adds what changed since the organisation's previous
    assessment; a share link leaves it out, since it shows the shared assessment alone."""
    outcome = assessments.evaluate(questionnaire_of(assessment), saved_answers(assessment))
    since = None
    if with_history and (found := history.since_previous(assessment, outcome)) is not None:
        previous, comparison = found
        since = pdf.Since(previous.assessment.label, previous.assessment.created_at.date(), comparison)
    return pdf.report_html(outcome, organisation=assessment.organisation_name, when=_date_of(assessment),
                           since=since)


def _date_of(assessment: Assessment) -> date:
    return (assessment.completed_at or assessment.updated_at).date()


def report_for(assessment: Assessment, *, with_history: bool = True) -> Report | Pending:
    """The PDF, or Pending while a job prepares it. Raises RenderError when the last render failed
    (the next request tries again) and RenderBusy when the queue is full."""
    config = current_app.config
    html = report_html(assessment, with_history=with_history)
    key = pdf.cache_key(html)
    name = pdf.filename(assessment.organisation_name or "organisation", _date_of(assessment))
    cache = PdfCache(config["PDF_CACHE_DIR"], max_bytes=config["PDF_CACHE_MAX_MB"] * 1024 * 1024)
    found = cache.get(key)
    if found is not None:
        return Report(found, name, cached=True)
    failure = cache.failure(key)
    if failure is not None:
        raise RenderError(failure)
    limits = _limits()
    pending = is_pending(key, limits)
    if not pending and jobs_running(limits) >= limits.max_jobs:
        raise RenderBusy("Many reports are being prepared right now. Please try again in a minute.")
    place = _waiting_place(config["PDF_WAITERS"])
    if not place.acquire(blocking=False):
        if pending:
            return Pending(retry_after=2)
        start_job(html, key, str(cache.directory), limits, reply=False)
        return Pending(retry_after=2, started=True)
    deadline = time.monotonic() + config["PDF_WAIT"]
    try:
        if pending:
            data = ELSEWHERE
        else:
            reply = start_job(html, key, str(cache.directory), limits, reply=True)
            assert reply is not None
            with reply:
                if not reply.poll(config["PDF_WAIT"]):
                    return Pending(retry_after=2, started=True)
                try:
                    data = reply.recv_bytes()
                except EOFError:
                    data = b""
        while data == ELSEWHERE and time.monotonic() < deadline:
            # Another request's job renders this very report: wait for it in the cache instead.
            time.sleep(0.1)
            found = cache.get(key)
            if found is not None:
                return Report(found, name, cached=False)
            if (failure := cache.failure(key)) is not None:
                raise RenderError(failure)
            if not is_pending(key, limits):
                break
    finally:
        place.release()
    if data == ELSEWHERE:
        found = cache.get(key)
        return Report(found, name, cached=False) if found is not None else Pending(retry_after=2)
    if data:
        if cache.get(key) is None:
            current_app.logger.error("PDF cache %s could not keep a report (full or read-only?); served it anyway",
                                     cache.directory)
        return Report(data, name, cached=False)
    raise RenderError(cache.failure(key) or "The report could not be prepared. Please try again.")
