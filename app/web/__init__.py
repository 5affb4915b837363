"""Blueprints: one per area, each with thin views."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import account, assess, auth, main, orgs, results, rounds

    app.register_blueprint(main.bp)
    app.register_blueprint(assess.bp)
    app.register_blueprint(results.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(orgs.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(rounds.bp)

