"""Rendering PDFs away from the web threads, safely under threads.

A render is CPU-heavy (about half a second). Run on a web thread, a few at
once took both cores and stalled every page; a burst of them queued on web
threads and starved the rest of the site. So:

- Each render is a job in its own process, started by multiprocessing's
  *forkserver*: a small single-threaded server process forks the job, never
  the threaded gunicorn worker (forking a process with threads can deadlock
  the child). WeasyPrint is imported once in the fork server, so jobs start warm.
- The job lowers its CPU priority (nice 15), so the kernel serves web
  requests first; it waits for one of PDF_WORKERS machine-wide slots (file
  locks), and is killed if it overruns its timeout.
- The job writes the PDF into the cache. A web thread waits for it only when
  one of few per-process waiting places is free, and only for a bounded time;
  otherwise the person gets a "being prepared" page that refreshes itself.
  Queued renders are processes, never held web threads.
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .cache import PdfCache

log = logging.getLogger(__name__)


#: The reply of a job that found the same report already being rendered by another.
ELSEWHERE = b"\x00elsewhere"


class RenderError(RuntimeError):
    """The PDF could not be produced; the message is safe to show."""


@dataclass(frozen=True)
class RenderLimits:
    lock_dir: Path
    #: Renders at once, machine-wide.
    slots: int = 1
    #: Seconds one render may take once it has a slot.
    timeout: float = 30
    #: Seconds a job may wait for a slot before it gives up.
    queue_timeout: float = 60
    #: Jobs waiting or rendering at once, machine-wide; beyond it people are asked to come back.
    max_jobs: int = 16


def _pending_dir(limits: RenderLimits) -> Path:
    return limits.lock_dir / "pending"


@contextmanager
def _flock(path: Path, *, wait: float) -> Iterator[bool]:
    """Hold an exclusive lock on path for the block; yields False if it was not free within `wait` seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - held for the block
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
                continue
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
            return
    finally:
        handle.close()


def _locked(path: Path) -> bool:
    """Whether another process holds the lock on path right now."""
    try:
        handle = open(path, "a+")  # noqa: SIM115
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        handle.close()
    return False


@contextmanager
def render_slot(limits: RenderLimits) -> Iterator[bool]:
    """One of the machine-wide render slots, waiting up to queue_timeout; yields False if none came free."""
    deadline = time.monotonic() + limits.queue_timeout
    while True:
        for index in range(max(limits.slots, 1)):
            with _flock(limits.lock_dir / f"render-slot-{index}.lock", wait=0) as held:
                if held:
                    yield True
                    return
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(0.05)


def is_pending(key: str, limits: RenderLimits) -> bool:
    return _locked(_pending_dir(limits) / f"{key}.lock")


def jobs_running(limits: RenderLimits) -> int:
    pending = _pending_dir(limits)
    if not pending.is_dir():
        return 0
    return sum(1 for path in pending.glob("*.lock") if _locked(path))


def render_job(html: str, key: str, cache_dir: str, limits: RenderLimits,
               reply: Connection | None) -> None:  # pragma: no cover - runs in a job process
    """The job process: render html into the cache under key, once, within the limits.

    Whoever waits on `reply` gets the PDF's bytes, ELSEWHERE when another job
    renders the same report, or empty bytes after a failure (its note is in the cache).
    """
    with suppress(OSError):
        os.nice(15)
    cache = PdfCache(cache_dir)
    data = b""
    try:
        with _flock(_pending_dir(limits) / f"{key}.lock", wait=0) as mine:
            if not mine:
                data = ELSEWHERE
                return
            with render_slot(limits) as slot:
                if not slot:
                    cache.put_failure(key, "Too many reports are being prepared right now. "
                                           "Please try again in a minute.")
                    return
                _watchdog(cache, key, limits.timeout)
                from .pdf import render_pdf

                data = render_pdf(html)
                try:
                    cache.put(key, data)
                except OSError as error:
                    log.error("PDF cache not written (%s); the report is served without it", error)
    except Exception as error:
        log.exception("PDF render failed")
        with suppress(OSError):
            cache.put_failure(key, f"The report could not be prepared ({type(error).__name__}). Please try again.")
    finally:
        if reply is not None:
            with suppress(OSError):
                reply.send_bytes(data)
            reply.close()


def _watchdog(cache: PdfCache, key: str, timeout: float) -> None:  # pragma: no cover - job process
    """End the job if the render overruns: a timer thread records why and exits; should Python be
    stuck in C code, the kernel's default SIGALRM action ends the process a few seconds later."""
    def overrun() -> None:
        with suppress(OSError):
            cache.put_failure(key, "The report took too long to prepare. Please try again.")
        os._exit(1)

    timer = threading.Timer(timeout, overrun)
    timer.daemon = True
    timer.start()
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(int(timeout) + 5)


_context_lock = threading.Lock()
_context: multiprocessing.context.BaseContext | None = None


def _forkserver() -> multiprocessing.context.BaseContext:
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            # Import WeasyPrint once in the fork server; jobs are forked from it, warm.
            context.set_forkserver_preload(["app.reports.warmup"])
            _context = context
        return _context


def start_job(html: str, key: str, cache_dir: str, limits: RenderLimits, *, reply: bool) -> Connection | None:
    """Start a render job; with reply=True, return the end of a pipe that receives the PDF bytes
    (empty bytes on failure), so that a waiting request gets its PDF even if the cache cannot be written."""
    context = _forkserver()
    receiver = sender = None
    if reply:
        receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=render_job, args=(html, key, cache_dir, limits, sender), daemon=True)
    process.start()
    if sender is not None:
        sender.close()
    return receiver
