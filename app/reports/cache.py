"""A file cache of rendered PDFs, keyed by a hash of exactly what is rendered (see pdf.cache_key).

Writes go to a temporary file renamed into place, so a reader never sees half
a PDF. The cache is bounded: after each write the least recently used files
go until it is under its size. A failed render leaves a short note (its
message) instead of a file, so the person waiting can be told.
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import suppress
from pathlib import Path

#: How long a failure note explains a missing PDF; after it, a new request renders again.
FAILURE_TTL = 60


class PdfCache:
    def __init__(self, directory: str | Path, max_bytes: int = 200 * 1024 * 1024) -> None:
        self.directory = Path(directory)
        self.max_bytes = max_bytes

    def _path(self, key: str, suffix: str = ".pdf") -> Path:
        if not key.isalnum():
            raise ValueError("cache keys are hex digests")
        return self.directory / f"{key}{suffix}"

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:  # missing, or a cache that cannot be read: render instead
            return None
        with suppress(OSError):
            os.utime(path)  # recently used: evicted last
        return data

    def _write(self, path: Path, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def put(self, key: str, data: bytes) -> None:
        self._write(self._path(key), data)
        self._path(key, ".failed").unlink(missing_ok=True)
        self.evict()

    def evict(self) -> None:
        """Remove the least recently used PDFs until the cache is within max_bytes."""
        files = []
        for path in self.directory.glob("*.pdf"):
            with suppress(OSError):
                stat = path.stat()
                files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size

    def put_failure(self, key: str, message: str) -> None:
        self._write(self._path(key, ".failed"), message.encode())

    def failure(self, key: str) -> str | None:
        """The message of a recent failed render of this key, taken (the next request tries again)."""
        path = self._path(key, ".failed")
        try:
            message = path.read_text()
            fresh = time.time() - path.stat().st_mtime < FAILURE_TTL
        except (OSError, UnicodeDecodeError):
            return None
        with suppress(OSError):
            path.unlink(missing_ok=True)
        return message if fresh else None
