"""Response headers every page gets: a strict content security policy, and no caching of private pages."""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.wrappers import Response

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    # Results, organisations, comparisons, exports and PDFs are private; so is any page
    # showing a signed-in person's name or a form token. Only static files may be kept.
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def refuse_nul() -> None:
    """A NUL byte in the path or the query string can match nothing (PostgreSQL refuses it in text):
    answer 404 or 400 before any view reaches the database. Form fields are cleaned by forms.Form."""
    if "\x00" in request.path:
        abort(404)
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul)
    app.after_request(security_headers)
