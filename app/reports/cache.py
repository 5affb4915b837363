"""A file cache of rendered PDFs, keyed by the report's content (see pdf.cache_key).

Writes go to a temporary file renamed into place, so a reader never sees half
a PDF, and a failed render leaves nothing behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class PdfCache:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError("cache keys are hex digests")
        return self.directory / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: str, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".pdf")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, self._path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
