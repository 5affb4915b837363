"""Response headers every page gets: a strict content security policy, and no caching of private pages."""

from __future__ import annotations

from flask import Flask, request
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


def init_app(app: Flask) -> None:
    app.after_request(security_headers)
