"""Flask extensions, created unattached: `create_app` binds them to an application."""
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
mail = Mail()
# Figures that many anonymous views read and that may be a minute old (the home page's counts).
cache = Cache()


def enforce_sqlite_foreign_keys(engine) -> None:
    """Make SQLite check foreign keys on every connection of `engine` (no-op for other databases).

    SQLite ignores them unless each connection asks (PRAGMA foreign_keys=ON): without it a row
    could point at a deleted one and ON DELETE CASCADE did nothing, unlike PostgreSQL.
    """
    if engine.dialect.name != "sqlite":
        return

    def foreign_keys_on(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    if not event.contains(engine, "connect", foreign_keys_on):
        event.listen(engine, "connect", foreign_keys_on)
