"""Error pages in the site's layout.

Unhandled exceptions are not caught here: Flask logs them with their traceback
and turns them into InternalServerError, whose handler rolls the session back
and shows the 500 page (in debug and testing they propagate, as Flask intends).
A database that cannot be reached is a 503 the person can retry.
"""

from __future__ import annotations

from flask import Flask, render_template
from flask.globals import request_ctx
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db

TITLES = {
    400: "That request could not be understood",
    404: "Page not found",
    405: "That action is not allowed here",
    413: "That submission is too large",
    429: "Too many requests",
    500: "Something went wrong on our side",
    503: "Groundwork is busy",
}


def _page(code: int, title: str | None = None) -> str:
    template = f"errors/{code}.html" if code in (404, 413, 500) else "errors/generic.html"
    return render_template(template, code=code, title=title or TITLES.get(code, "Error"))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        code = error.code or 500
        if request_ctx.url_adapter is None:  # the request named a host we do not serve: no page can be built
            return f"{code} {TITLES.get(code, error.name)}\n", code, {"Content-Type": "text/plain; charset=utf-8"}
        return _page(code, TITLES.get(code, error.name)), code, dict(error.get_headers())

    @app.errorhandler(InternalServerError)
    def internal_error(_error: InternalServerError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        return _page(500), 500

    try:
        from gunicorn.http.errors import ParseException
    except ImportError:  # pragma: no cover - gunicorn is a dependency, but the app runs without it too
        pass
    else:
        # A body gunicorn cannot parse (a malformed chunk, say) fails when a form reads it: the client's fault.
        @app.errorhandler(ParseException)
        def unparsable_body(_error: Exception):  # type: ignore[no-untyped-def]
            db.session.rollback()
            return _page(400), 400

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        app.logger.error("Database unavailable: %s", error.orig)
        return _page(503, "The database is not answering"), 503, {"Retry-After": "5"}
