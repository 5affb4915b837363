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
    hosts = os.environ.get("GROUNDWORK_TRUSTED_HOSTS", "")
    found: dict[str, Any] = {}
    if os.environ.get("GROUNDWORK_SERVER_NAME"):
        #: Host (and port) of absolute links (resume, share, invite), never taken from the request.
        found["SERVER_NAME"] = os.environ["GROUNDWORK_SERVER_NAME"]
    if hosts.strip():
        #: Host names requests may name; others get 400 (default: SERVER_NAME's, or localhost).
        found["TRUSTED_HOSTS"] = [h.strip() for h in hosts.split(",") if h.strip()]
    if _secure:
        found["PREFERRED_URL_SCHEME"] = "https"
    for limit in ("LOGIN", "LOGIN_ACCOUNT", "SIGNUP", "PDF", "START", "MAIL", "MAIL_RECIPIENT"):
        #: Per-address limits, in Flask-Limiter's notation ("10 per minute;50 per hour").
        if os.environ.get(f"GROUNDWORK_{limit}_RATE_LIMIT"):
            found[f"{limit}_RATE_LIMIT"] = os.environ[f"GROUNDWORK_{limit}_RATE_LIMIT"]
    return found | {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        #: Largest request body accepted; a questionnaire page is a few kilobytes.
        "MAX_CONTENT_LENGTH": _int("GROUNDWORK_MAX_BODY_BYTES", 256 * 1024),
        #: Seconds a PDF render may take before it is abandoned.
        "PDF_TIMEOUT": _int("GROUNDWORK_PDF_TIMEOUT", 30),
        #: Concurrent PDF renders allowed, machine-wide (each in its own process).
        "PDF_WORKERS": _int("GROUNDWORK_PDF_WORKERS", 1),
        #: Renders waiting or running at once, machine-wide; beyond it a request is asked to retry.
        "PDF_MAX_JOBS": _int("GROUNDWORK_PDF_MAX_JOBS", 16),
        #: Seconds a queued render may wait for its turn.
        "PDF_QUEUE_TIMEOUT": _int("GROUNDWORK_PDF_QUEUE_TIMEOUT", 60),
        #: Web threads per process that may wait for a render; others get a "being prepared" page.
        "PDF_WAITERS": _int("GROUNDWORK_PDF_WAITERS", 2),
        #: Seconds such a thread waits before answering "being prepared".
        "PDF_WAIT": _int("GROUNDWORK_PDF_WAIT", 10),
        #: Megabytes of rendered PDFs kept; the least recently used go first.
        "PDF_CACHE_MAX_MB": _int("GROUNDWORK_PDF_CACHE_MAX_MB", 200),
        #: Where rendered PDFs are kept (default: <instance>/pdf-cache).
        "PDF_CACHE_DIR": os.environ.get("GROUNDWORK_PDF_CACHE_DIR") or None,
        "LOG_LEVEL": os.environ.get("GROUNDWORK_LOG_LEVEL", "INFO").upper(),
        "SESSION_COOKIE_SECURE": _secure,
        "REMEMBER_COOKIE_SECURE": _secure,
        #: Where the per-address limits are counted (a Flask-Limiter storage URI). The default, a small SQLite
        #: file in the instance folder, is shared by every worker of this machine; a Redis URL shares it between
        #: machines (app/ratelimit.py says why not memory://).
        "RATELIMIT_STORAGE_URI": os.environ.get("GROUNDWORK_RATELIMIT_STORAGE")
        or "sqlite:///" + str(Path(instance_path).resolve() / "ratelimits.sqlite3"),
        #: Proxies in front of Groundwork whose X-Forwarded-For is trusted (0: the client connects directly).
        "PROXY_HOPS": _int("GROUNDWORK_PROXY_HOPS", 0),
        #: Where e-mail goes: smtp://user:password@host:port (?starttls=1), smtps://...; unset: to the log.
        "SMTP_URL": os.environ.get("GROUNDWORK_SMTP_URL") or None,
        "MAIL_FROM": os.environ.get("GROUNDWORK_MAIL_FROM") or "Groundwork <groundwork@localhost>",
        #: A signed-in browser is signed out after this many days unused, and after this many days in any case.
        "SESSION_IDLE_DAYS": _int("GROUNDWORK_SESSION_IDLE_DAYS", 14),
        "SESSION_LIFETIME_DAYS": _int("GROUNDWORK_SESSION_LIFETIME_DAYS", 90),
    }


DEFAULTS: dict[str, Any] = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": 3600,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    #: Flask-Limiter tells a refused client when to come back (Retry-After).
    "RATELIMIT_HEADERS_ENABLED": True,
    #: Sign-in attempts allowed per address (each account has its own limit too, in the database).
    "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
    #: Sign-ups allowed per address: each costs a deliberately slow password hash.
    "SIGNUP_RATE_LIMIT": "5 per minute;20 per hour",
    #: PDFs not yet rendered, and new assessments, allowed per address.
    "PDF_RATE_LIMIT": "20 per minute",
    "START_RATE_LIMIT": "30 per minute",
    #: Sign-in attempts for one e-mail address from one client address: slows a guesser without locking the
    #: owner out (the owner signs in from another address), and counts unknown addresses the same way.
    "LOGIN_ACCOUNT_RATE_LIMIT": "5 per minute;20 per hour",
    #: E-mails (password reset, resume link, invitation) a client address may ask for.
    "MAIL_RATE_LIMIT": "5 per minute;30 per hour",
    #: E-mails (sign-up, password reset) one address may be sent, whoever asks: nobody fills a mailbox.
    "MAIL_RECIPIENT_RATE_LIMIT": "5 per hour",
}
