"""Engines, sessions and schema upgrades for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from newsclaims.config.environment import database_url
from newsclaims.storage.errors import DatabaseUnavailable

# Found through the package (the wheel ships them), never through the checkout.
MIGRATIONS_DIR = Path(str(resources.files("newsclaims.migrations")))


def make_engine(url: str | None = None) -> Engine:
    """An engine tuned for concurrent writers: WAL and a busy timeout on SQLite."""
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str | None = None) -> Config:
    """Alembic config from the package alone: any working directory, checkout or wheel.

    The top-level alembic.ini is for the ``alembic`` command run in a checkout.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("sqlalchemy.url", database_url(url).replace("%", "%%"))
    # Leave logging to the caller (Scrapy, pytest, the CLI); alembic.ini is for the alembic CLI.
    config.attributes["configure_logger"] = False
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Migrate; concurrent upgrades of one database wait for each other (``migrating``)."""
    from newsclaims.storage.migrating import migration_lock

    with migration_lock(database_url(url)):
        command.upgrade(alembic_config(url), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


class SchemaOutOfDate(RuntimeError):
    """The database is not at the latest migration; run `newsclaims db upgrade`."""


def require_current_schema(engine: Engine) -> None:
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise SchemaOutOfDate(
            f"database schema is at {current or 'nothing'}, code expects {head}: "
            "run `newsclaims db upgrade`"
        )


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def reporting_unavailable(
    url: str, action: str = "reach the database", hint: str = ""
) -> Iterator[None]:
    """Turn a driver's connection or missing-table error into ``DatabaseUnavailable``."""
    try:
        yield
    except (OperationalError, ProgrammingError) as exc:
        raise DatabaseUnavailable(f"cannot {action} {safe_url(url)}: {exc.orig}{hint}") from None


@contextmanager
def failures_as_unavailable() -> Iterator[None]:
    """A write the database refused or could not take (gone, locked, disconnected) becomes
    ``DatabaseUnavailable`` carrying the driver's one-line reason, so callers above the
    storage layer (the store pipeline spools the item) need no SQLAlchemy."""
    try:
        yield
    except DBAPIError as exc:
        raise DatabaseUnavailable(str(exc.orig).strip()) from exc
