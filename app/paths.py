"""Where Groundwork's non-Python files live, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_dir(name: str) -> Path:
    """templates/ and migrations/ sit at the project root in a checkout; a wheel carries them inside app/."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name

#: The report's own stylesheet and assets: the only files the PDF renderer may read.
REPORT_ASSETS = PACKAGE_DIR / "static" / "report"
