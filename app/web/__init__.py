"""Blueprints: one per area, each with thin views."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import assess, auth, main, orgs, results

    app.register_blueprint(main.bp)
    app.register_blueprint(assess.bp)
    app.register_blueprint(results.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(orgs.bp)

    @app.after_request
    def security_headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response
