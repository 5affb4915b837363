"""The application factory, configuration and error pages."""

from __future__ import annotations

import pytest
from sqlalchemy import text

import tests.web.helpers as tests_helpers
from app import create_app
from app.extensions import db

pytestmark = pytest.mark.db


def test_refuses_to_start_without_a_secret_key_outside_debug_and_testing(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_database_url_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@localhost/x")
    monkeypatch.setenv("SECRET_KEY", "k")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@localhost/x"


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(tmp_path) -> None:
    # Its own SQLite app, whatever database --db chose: these settings are SQLite's.
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/pragmas.db"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 10000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_404_page_uses_the_site_layout(client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html and 'class="site-header"' in html


def test_500_page_in_the_layout_and_logged(app, caplog) -> None:
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert "kaboom" in caplog.text


def test_security_headers(client) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_secure_cookies_when_served_over_https(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("GROUNDWORK_SECURE_COOKIES", "1")
    monkeypatch.setenv("GROUNDWORK_SERVER_NAME", "groundwork.test")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/s.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    with app.app_context():
        db.create_all()
    response = app.test_client().get("/assessments/new", base_url="https://groundwork.test")
    assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]


def test_requests_for_other_hosts_are_refused_and_links_use_the_configured_name(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("GROUNDWORK_SERVER_NAME", "groundwork.example.com")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/h.db"})
    with app.app_context():
        db.create_all()
    client = app.test_client()
    evil = client.get("/assessments/new", base_url="http://evil.example")
    assert evil.status_code == 400
    page = client.get("/assessments/new", base_url="http://groundwork.example.com")
    assert page.status_code == 200
    token = tests_helpers.start(client, base_url="http://groundwork.example.com")
    section = client.get(f"/assessments/{token}/sections/profile", base_url="http://groundwork.example.com")
    assert f"http://groundwork.example.com/assessments/{token}/resume" in section.get_data(as_text=True)


def test_flask_limiter_application_and_blueprint_limits_are_enforced(tmp_path, monkeypatch) -> None:
    from flask import Blueprint

    from app.extensions import limiter

    # The limiter is one object for every app a test run makes: keep this app's limits to this test.
    monkeypatch.setattr(limiter.limit_manager, "_application_limits", [])
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/l.db",
                      "RATELIMIT_APPLICATION": "5 per minute"})
    extra = Blueprint("limited_extra", __name__)
    extra.add_url_rule("/limited-extra", "ping", lambda: "pong")
    limiter.limit("2 per minute")(extra)
    app.register_blueprint(extra)
    client = app.test_client()
    assert [client.get("/limited-extra").status_code for _ in range(3)] == [200, 200, 429]
    statuses = [client.get("/healthz").status_code for _ in range(4)]
    assert statuses[-1] == 429  # the application-wide limit counts every route


def test_an_unexpected_error_is_logged_with_its_traceback_and_rolled_back(tmp_path, caplog) -> None:
    app = create_app({"SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/e.db"})

    @app.get("/boom")
    def boom() -> str:
        raise ZeroDivisionError("deliberate")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is ZeroDivisionError]
    assert logged, "the traceback must reach the log"


def test_in_testing_an_unexpected_error_propagates(tmp_path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})

    @app.get("/boom")
    def boom() -> str:
        raise ZeroDivisionError("deliberate")

    with pytest.raises(ZeroDivisionError):
        app.test_client().get("/boom")


def test_private_pages_are_never_stored_by_browsers_or_proxies(client) -> None:
    token = tests_helpers.start(client)
    for url in ("/", "/assessments/new", f"/assessments/{token}/sections/profile", "/login"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    with client.get("/static/groundwork.css") as static:
        assert static.headers.get("Cache-Control") != "no-store"
