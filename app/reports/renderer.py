"""Rendering PDFs without starving the web workers.

A render is CPU-heavy (about half a second). Run on the web worker itself, two
at once took both cores and dropped page throughput to a crawl. So each render
runs in a forked child process at low CPU priority (nice 15), so that the
kernel serves web requests first, and at most PDF_WORKERS renders run at once
across all worker processes (file locks under the instance folder). A render
that overruns its timeout is killed; none leaves a broken file behind.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RenderError(RuntimeError):
    """The PDF could not be produced; the message is safe to show."""


class RenderBusy(RenderError):
    pass


class RenderTimeout(RenderError):
    pass


@contextmanager
def render_slot(lock_dir: Path, slots: int, wait: float) -> Iterator[None]:
    """Hold one of `slots` machine-wide render slots, waiting up to `wait` seconds."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for index in range(max(slots, 1)):
            handle = open(lock_dir / f"render-slot-{index}.lock", "a+")  # noqa: SIM115 - held until release
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() > deadline:
            raise RenderBusy("Too many reports are being prepared right now. Please try again in a minute.")
        time.sleep(0.05)


def _child(html: str, conn: multiprocessing.connection.Connection) -> None:  # pragma: no cover - child process
    try:
        os.nice(15)
        from .pdf import render_pdf

        conn.send(("ok", render_pdf(html)))
    except BaseException as error:
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def render_isolated(html: str, *, lock_dir: Path, slots: int = 1, timeout: float = 30) -> bytes:
    """Render in a low-priority child process; raise RenderError on failure, timeout or overload."""
    import weasyprint  # noqa: F401 - import once in the parent so each fork starts warm

    started = time.monotonic()
    with render_slot(lock_dir, slots, wait=timeout):
        remaining = max(timeout - (time.monotonic() - started), 1.0)
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(html, sender), daemon=True)
        process.start()
        sender.close()
        try:
            if not receiver.poll(remaining):
                process.kill()
                raise RenderTimeout("The report took too long to prepare. Please try again.")
            try:
                status, payload = receiver.recv()
            except EOFError:
                raise RenderError("The report could not be prepared. Please try again.") from None
        finally:
            receiver.close()
            process.join(timeout=5)
    if status != "ok":
        raise RenderError(f"The report could not be prepared ({payload}).")
    return payload
