"""Flask extensions, created unbound; create_app binds them to an app."""

from __future__ import annotations

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


from . import ratelimit  # noqa: E402, F401 - registers the sqlite:// storage before the limiter is bound

#: Counts per client address (the real client's behind GROUNDWORK_PROXY_HOPS proxies). A SQLite file shared
#: by the machine's workers by default (app/ratelimit.py); GROUNDWORK_RATELIMIT_STORAGE=redis://... shares the
#: counts between servers.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
