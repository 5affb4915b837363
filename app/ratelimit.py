"""Where Flask-Limiter counts requests when there is no Redis: a small SQLite file every worker shares.

Why not `memory://`: it counts per worker process (two workers allow twice
the configured rate), and in `limits` 5.8.0 its expiry timer races when
several threads start it at once ("RuntimeError: threads can only be started
once", alisaifee/limits#352, fixed after that release), which turned a
rate-limited request into a 500. Why SQLite: it is in Python's standard
library, every process on the machine sees the same file, and one
`INSERT ... ON CONFLICT DO UPDATE ... RETURNING` counts a hit atomically
whatever the number of workers and threads. Behind a load balancer, point
GROUNDWORK_RATELIMIT_STORAGE at Redis so that the machines share one count.

The URI is ``sqlite:///absolute/path/to/file`` (fixed-window strategy, the
Flask-Limiter default, which is the only one this storage offers).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from limits.storage import Storage

from .sqlite import ensure_wal

#: Expired counters are swept at most this often, per process.
SWEEP_SECONDS = 60


class SQLiteStorage(Storage):
    STORAGE_SCHEME = ["sqlite"]  # noqa: RUF012 - the registry reads a list

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: object) -> None:
        rest = uri.split("://", 1)[1]
        self.path = "/" + rest.lstrip("/") if rest.startswith("/") else rest
        self._local = threading.local()
        self._swept = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _conn(self) -> sqlite3.Connection:
        """One connection per thread and process (a connection must not cross a fork)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            directory = os.path.dirname(self.path)
            if directory:
                os.makedirs(directory, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=30000")
            self._set_up(conn)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    @staticmethod
    def _set_up(conn: sqlite3.Connection) -> None:
        """WAL (see app/sqlite.py) and the table, once per connection."""
        ensure_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE IF NOT EXISTS counters "
                     "(key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL NOT NULL)")

    def _sweep(self, conn: sqlite3.Connection, now: float) -> None:
        if now - self._swept > SWEEP_SECONDS:
            self._swept = now
            conn.execute("DELETE FROM counters WHERE expires <= ?", (now,))

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count `amount` hits; a counter whose window has passed starts again from `amount`."""
        now = time.time()
        conn = self._conn()
        self._sweep(conn, now)
        (value,) = conn.execute(
            "INSERT INTO counters (key, value, expires) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET "
            "value = CASE WHEN counters.expires <= ? THEN excluded.value ELSE counters.value + excluded.value END, "
            "expires = CASE WHEN counters.expires <= ? THEN excluded.expires ELSE counters.expires END "
            "RETURNING value", (key, amount, now + expiry, now, now)).fetchone()
        return int(value)

    def get(self, key: str) -> int:
        row = self._conn().execute("SELECT value FROM counters WHERE key = ? AND expires > ?",
                                   (key, time.time())).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = self._conn().execute("SELECT expires FROM counters WHERE key = ? AND expires > ?",
                                   (key, now)).fetchone()
        return float(row[0]) if row else now

    def check(self) -> bool:
        try:
            self._conn().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._conn().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._conn().execute("DELETE FROM counters WHERE key = ?", (key,))
