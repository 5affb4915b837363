"""Connection settings shared by the app's SQLite database and the rate limiter's SQLite store.

Both are opened by every thread of every gunicorn worker, often at the same moment (a burst of
requests right after start). Switching a file to WAL takes its exclusive lock, and SQLite answers
"database is locked" at once, without its busy wait, when another connection holds the file: so
the mode is read first (a file already in WAL needs nothing) and set, when it must be, with a few
short retries.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

#: How long a connection waits for another's write lock before giving up, in milliseconds.
BUSY_TIMEOUT_MS = 10_000
ATTEMPTS = 20


def ensure_wal(cursor: Any) -> None:
    """Put the database file in WAL mode (readers and one writer at once) unless it already is."""
    for attempt in range(ATTEMPTS):
        try:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
