"""The application factory.

create_app() wires config -> extensions -> questionnaires -> blueprints ->
CLI -> error handlers, and does nothing at import time. It never creates or
upgrades tables: migrations do that (`groundwork db upgrade`).
"""

from __future__ import annotations

import logging
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event

import assessments

from . import config as config_module
from .extensions import db, limiter, login_manager, migrate
from .models import User
from .paths import PACKAGE_DIR, project_dir
from .sqlite import BUSY_TIMEOUT_MS, ensure_wal


@cache
def _check_references(templates_dir: Path) -> None:
    """Once per process: code and templates do not change while it runs (a failure is not cached)."""
    assessments.check_references(assessments.published().values(), code_dir=assessments.DATA_DIR,
                                 templates_dir=templates_dir)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(project_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_relative_config=True,
        # Each server of several keeps its own (secret key file, SQLite, PDF queue file): see the README.
        instance_path=os.path.abspath(os.environ["GROUNDWORK_INSTANCE_DIR"])
        if os.environ.get("GROUNDWORK_INSTANCE_DIR") else None,
    )
    app.config.update(config_module.DEFAULTS)
    app.config.update(config_module.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Survive server restarts and idle disconnects; pointless for a local file.
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {}).setdefault("pool_pre_ping", True)
    _check_secret_key(app)
    _trust_hosts(app)
    _trust_proxies(app)
    _configure_logging(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("PDF_QUEUE_URL"):
        #: One machine: the render queue is a SQLite file beside the database (see app/reports/queue.py).
        app.config["PDF_QUEUE_URL"] = "sqlite:///" + str(Path(app.instance_path) / "pdf-queue.sqlite3")

    db.init_app(app)
    migrate.init_app(app, db, directory=str(project_dir("migrations")), render_as_batch=True, compare_type=True,
                     compare_server_default=True)
    login_manager.init_app(app)
    limiter.init_app(app)
    _register_user_loader()
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)

    # Load and validate every published questionnaire now, so that a broken
    # file stops the app at start-up rather than on some user's request; the
    # domain's code and the templates may name only ids the questionnaires define.
    _check_references(project_dir("templates"))

    from .commands import register_commands
    from .reports.pdf import FILTERS
    from .web import register_blueprints, security
    from .web.converters import IdConverter
    from .web.errors import register_error_handlers

    app.url_map.converters["id"] = IdConverter
    for name, template_filter in FILTERS.items():
        app.add_template_filter(template_filter, name)
    register_blueprints(app)
    security.init_app(app)
    register_commands(app)
    register_error_handlers(app)
    return app


def _register_user_loader() -> None:
    from .services import accounts

    @login_manager.user_loader
    def load_user(session_token: str) -> User | None:
        """Flask-Login keeps a session token, not a user id: see models.User."""
        return accounts.user_for_session(session_token)


def _trust_hosts(app: Flask) -> None:
    """Answer only to the host names Groundwork is served under (absolute links are built from the Host
    header). Unless TRUSTED_HOSTS is configured: SERVER_NAME's host if set, else this machine's names."""
    if app.config.get("TRUSTED_HOSTS") is not None:
        return
    server_name = app.config.get("SERVER_NAME")
    if server_name:
        app.config["TRUSTED_HOSTS"] = [server_name.rsplit(":", 1)[0] if "]" not in server_name else server_name]
    else:
        app.config["TRUSTED_HOSTS"] = ["localhost", "127.0.0.1", "[::1]"]


def _trust_proxies(app: Flask) -> None:
    """Behind PROXY_HOPS proxies, the client is the address the outermost of them saw (X-Forwarded-For):
    every per-address limit then counts real clients, not the load balancer. With 0 the header is ignored,
    so that a client cannot choose its own address."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops)  # type: ignore[method-assign]


def _check_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.debug or app.testing:
        app.config["SECRET_KEY"] = "insecure-development-key"  # noqa: S105 - debug/testing only
        return
    raise RuntimeError(
        "SECRET_KEY is not set. Groundwork signs sessions and form tokens with it and will not start "
        "without one. Set the SECRET_KEY environment variable to a long random value (for example "
        "`python -c 'import secrets; print(secrets.token_hex(32))'`); `make run` does this for you."
    )


def _configure_logging(app: Flask) -> None:
    level = getattr(logging, str(app.config.get("LOG_LEVEL", "INFO")), logging.INFO)
    root = logging.getLogger()
    if not any(getattr(h, "_groundwork", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler._groundwork = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    # WeasyPrint narrates every render step at INFO; keep its warnings only.
    logging.getLogger("weasyprint.progress").setLevel(max(level, logging.WARNING))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers and a writer work at once; the busy timeout waits instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    ensure_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
