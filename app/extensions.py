"""Flask extensions, created unbound; create_app binds them to an app."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

#: Stable constraint names, so that migrations can drop and alter them on
#: every database (SQLite and PostgreSQL would otherwise name them differently).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"


class ViewLimiter(Limiter):
    """Flask-Limiter for limits declared on views, which is all Groundwork declares.

    A view decorated with ``limiter.limit`` checks its limits in its own
    wrapper. The extension's before-request hook exists for default and
    application-wide limits; with none configured it has nothing to check yet
    costs every request tens of microseconds, a few percent of a signed-in
    page. So it is unregistered, unless such limits are configured. Should a
    future Flask-Limiter register the hook differently, ``remove`` raises and
    the app refuses to start rather than silently changing behaviour.
    """

    APP_WIDE = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        if self.enabled and not any(app.config.get(key) for key in self.APP_WIDE):
            app.before_request_funcs[None].remove(self._check_request_limit)


#: Per-process memory storage: enough to slow password guessing on one
#: server. Point GROUNDWORK_RATELIMIT_STORAGE at Redis or memcached to share
#: the counts between servers.
limiter = ViewLimiter(key_func=get_remote_address, default_limits=[])
