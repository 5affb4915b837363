"""Error pages in the site's layout."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

TITLES = {
    400: "That request could not be understood",
    404: "Page not found",
    405: "That action is not allowed here",
    413: "That submission is too large",
    500: "Something went wrong on our side",
    503: "Groundwork is busy",
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        code = error.code or 500
        template = f"errors/{code}.html" if code in (404, 413, 500) else "errors/generic.html"
        return render_template(template, code=code, title=TITLES.get(code, error.name)), code

    @app.errorhandler(Exception)
    def unhandled(error: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("Unhandled error: %s", error)
        return render_template("errors/500.html", code=500, title=TITLES[500]), 500
