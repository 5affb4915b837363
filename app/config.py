"""Configuration: defaults in code, overrides from the environment.

Only a few settings are read from the environment, each documented in the
README: DATABASE_URL, SECRET_KEY, and GROUNDWORK_-prefixed options.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number, not {raw!r}") from None


def from_environment(instance_path: str) -> dict[str, Any]:
    default_db = "sqlite:///" + str(Path(instance_path) / "groundwork.sqlite3")
    database_url = os.environ.get("DATABASE_URL") or default_db
    _secure = os.environ.get("GROUNDWORK_SECURE_COOKIES", "") in ("1", "true", "yes")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if database_url.startswith(("postgres://", "postgresql://")):
        database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        #: Largest request body accepted; a questionnaire page is a few kilobytes.
        "MAX_CONTENT_LENGTH": _int("GROUNDWORK_MAX_BODY_BYTES", 256 * 1024),
        #: Seconds a PDF render may take before it is abandoned.
        "PDF_TIMEOUT": _int("GROUNDWORK_PDF_TIMEOUT", 30),
        #: Concurrent PDF renders allowed (each in its own process).
        "PDF_WORKERS": _int("GROUNDWORK_PDF_WORKERS", 1),
        #: Where rendered PDFs are kept (default: <instance>/pdf-cache).
        "PDF_CACHE_DIR": os.environ.get("GROUNDWORK_PDF_CACHE_DIR") or None,
        "LOG_LEVEL": os.environ.get("GROUNDWORK_LOG_LEVEL", "INFO").upper(),
        "SESSION_COOKIE_SECURE": _secure,
        "REMEMBER_COOKIE_SECURE": _secure,
        #: Rendered comparisons each process keeps (see app.web.fragments); 0 keeps none.
        "FRAGMENT_CACHE_SIZE": _int("GROUNDWORK_FRAGMENT_CACHE_SIZE", 256),
        #: Where login attempts are counted (Flask-Limiter storage URI).
        "RATELIMIT_STORAGE_URI": os.environ.get("GROUNDWORK_RATELIMIT_STORAGE", "memory://"),
    }


DEFAULTS: dict[str, Any] = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": 3600,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    #: Sign-in attempts allowed per address.
    "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
}
