"""Engines, sessions and schema upgrades for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from newsclaims.config.environment import SettingError, database_timeouts, database_url
from newsclaims.storage.errors import (
    DatabaseMisconfigured,
    DatabaseUnavailable,
    DataRejected,
    TransactionConflict,
)

# Found through the package (the wheel ships them), never through the checkout.
MIGRATIONS_DIR = Path(str(resources.files("newsclaims.migrations")))
URL_FORMS = "sqlite:///FILE or postgresql://USER@HOST/DATABASE"
SQLITE_BUSY_TIMEOUT = 60  # seconds a writer waits for another writer's lock


def parse_url(url: str) -> URL:
    """The URL, or ``DatabaseMisconfigured`` naming what is wrong with it."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseMisconfigured(
            f"database URL {url!r} is not a URL; use {URL_FORMS} (--db or $NEWSCLAIMS_DATABASE_URL)"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseMisconfigured(
            f"database URL {url!r}: unknown driver {parsed.drivername!r}; "
            f"newsclaims stores in SQLite or PostgreSQL: use {URL_FORMS}"
        )
    return parsed


def sqlite_path(url: URL) -> Path | None:
    """The file of an SQLite URL; None for an in-memory database or another backend."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    database = str(url.database)
    return None if database.startswith("file:") else Path(database)


def make_engine(
    url: str | None = None,
    *,
    read_only: bool = False,
    statement_timeout: float | None = None,
) -> Engine:
    """An engine tuned for concurrent writers: WAL and a busy timeout on SQLite; connect and
    statement timeouts on PostgreSQL (``NEWSCLAIMS_DB_*_TIMEOUT``).

    ``read_only``: for the reading commands. A missing SQLite file is an error instead of a
    new empty database, and nothing is written on connect, so a read-only file can be read.
    ``statement_timeout`` (seconds, 0 = none) overrides the configured one.
    """
    text = database_url(url)
    parsed = parse_url(text)
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, read_only)
        return _postgres_engine(parsed, statement_timeout, read_only)
    except NoSuchModuleError:
        raise DatabaseMisconfigured(
            f"database URL {safe_url(text)}: unknown driver {parsed.drivername!r}; use {URL_FORMS}"
        ) from None
    except ImportError as exc:
        raise DatabaseMisconfigured(
            f"database URL {safe_url(text)} needs the {exc.name or 'driver'} module: "
            "pip install 'newsclaims[postgres]'"
        ) from None


def _sqlite_engine(url: URL, read_only: bool) -> Engine:
    path = sqlite_path(url)
    if not read_only or path is None:
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if not path.is_file():
        what = "is a directory, not a file" if path.is_dir() else "does not exist"
        raise DatabaseMisconfigured(
            f"database file {path} {what}; check --db, or create the database with "
            f"`newsclaims db upgrade --db {url.render_as_string()}` (a crawl creates it too)"
        )

    uri = path.resolve().as_uri()

    def connect() -> sqlite3.Connection:
        # mode=ro never creates the file and never writes (no WAL switch on connect).
        connection = _sqlite_connect(f"{uri}?mode=ro")
        try:
            connection.execute("PRAGMA schema_version").fetchall()
        except sqlite3.OperationalError as exc:
            if _sqlite_code(exc) not in {"SQLITE_READONLY", "SQLITE_CANTOPEN"}:
                raise
            # A WAL database in a directory we cannot write: SQLite cannot create the
            # shared-memory file a reader needs. Nobody can write there either, so read
            # the file as it is.
            connection.close()
            connection = _sqlite_connect(f"{uri}?mode=ro&immutable=1")
        return connection

    engine = create_engine(url, creator=connect)
    event.listen(engine, "connect", _sqlite_read_pragmas)
    return engine


def _sqlite_connect(uri: str) -> sqlite3.Connection:
    return sqlite3.connect(uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT, check_same_thread=False)


def _sqlite_code(exc: BaseException) -> str:
    """SQLite's primary result code name: SQLITE_READONLY for SQLITE_READONLY_DIRECTORY."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    return "_".join(name.split("_")[:2])


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT * 1000}")
    cursor.close()


def _sqlite_read_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """What a reader needs: no journal switch (a write), only the lock wait."""
    dbapi_connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT * 1000}")


def _postgres_engine(url: URL, statement_timeout: float | None, read_only: bool) -> Engine:
    try:
        connect, statement = database_timeouts()
    except SettingError as exc:
        raise DatabaseMisconfigured(str(exc)) from None
    if statement_timeout is not None:
        statement = statement_timeout
    args: dict[str, Any] = {}
    if connect and "connect_timeout" not in url.query:
        args["connect_timeout"] = max(2, math.ceil(connect))  # libpq's unit and floor
    options = []
    if statement:
        options.append(f"-c statement_timeout={math.ceil(statement * 1000)}")
    if read_only:
        options.append("-c default_transaction_read_only=on")  # a reader cannot write
    given = url.query.get("options")
    if isinstance(given, str):
        options.append(given)  # last, so the URL's own settings win
    if options:
        args["options"] = " ".join(options)
    return create_engine(url, pool_pre_ping=True, connect_args=args)


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

    parse_url(database_url(url))  # a bad URL or driver is one line, not Alembic's traceback
    with migration_lock(database_url(url)):
        command.upgrade(alembic_config(url), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


class SchemaOutOfDate(DatabaseMisconfigured):
    """The database is not at the latest migration; run `newsclaims db upgrade`."""


def require_current_schema(engine: Engine) -> None:
    """``SchemaOutOfDate`` unless the database is at the code's migration head."""
    with database_errors(engine.url):
        current, head = current_revision(engine), head_revision()
    if current != head:
        url = safe_url(engine.url)
        state = f"is at revision {current}" if current else "has no newsclaims schema"
        raise SchemaOutOfDate(
            f"database {url} {state}, this newsclaims expects {head}: schema not migrated "
            f"(run `newsclaims db upgrade --db {url}`)"
        )


def safe_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


# SQLite's result codes (sqlite3 exceptions' ``sqlite_errorname``) and PostgreSQL's SQLSTATE
# classes that mean "fix the URL or the database", not "try again later".
_SQLITE_MISCONFIGURED = {"SQLITE_NOTADB", "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM"}
_POSTGRES_MISCONFIGURED = ("28", "3D", "42")  # credentials, no such database, schema/SQL


def _reason(exc: DBAPIError) -> str:
    """The driver's message: its first line, without libpq's 'connection to server at
    "host", port N failed:' (the URL is in the message already) nor its hint lines."""
    lines = str(exc.orig).strip().splitlines() or [type(exc.orig).__name__]
    text = re.sub(r"^(connection failed: )?connection to server .*? failed: ", "", lines[0])
    return " ".join(text.replace("FATAL:", "").split())


_CONFLICTS = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


def _where(url: str | URL | None) -> str:
    """How a message names the database: an SQLite file by its path, a server by its URL."""
    if url is None:
        return "the database"
    try:
        path = sqlite_path(make_url(url))
    except ArgumentError:
        return repr(url)
    return str(path) if path is not None else safe_url(url)


def translate(exc: DBAPIError, url: str | URL | None = None) -> DatabaseUnavailable:
    """The one-line error an operator reads for a driver error, of the right kind."""
    where = _where(url)
    orig = exc.orig
    reason = _reason(exc)
    lowered = reason.lower()
    sqlite_code = _sqlite_code(orig) if orig is not None else ""
    sqlstate = getattr(orig, "sqlstate", None) or ""
    if "no such table" in lowered or sqlstate == "42P01":
        return DatabaseMisconfigured(
            f"database {where} has no newsclaims tables ({reason}): schema not migrated "
            f"(run `newsclaims db upgrade --db {where}`)"
        )
    if sqlite_code == "SQLITE_NOTADB":
        return DatabaseMisconfigured(
            f"{where} is not an SQLite database ({reason}); check --db, or move the file away"
        )
    if sqlite_code == "SQLITE_READONLY":
        return DatabaseMisconfigured(
            f"database {where} is read-only ({reason}); reading commands work, a crawl or "
            "`db upgrade` needs write access to the file and its directory"
        )
    if sqlite_code == "SQLITE_CANTOPEN":
        return DatabaseMisconfigured(
            f"cannot open database {where} ({reason}); does its directory exist and is it writable?"
        )
    if sqlite_code in _SQLITE_MISCONFIGURED:
        return DatabaseMisconfigured(f"database {where}: {reason}")
    if "authentication failed" in lowered or sqlstate.startswith("28") or 'role "' in lowered:
        return DatabaseMisconfigured(
            f"database {where} refused the login ({reason}); check the user and password"
        )
    if "does not exist" in lowered and "database" in lowered:
        return DatabaseMisconfigured(
            f"database does not exist: {where} ({reason}); create it (createdb) or fix --db"
        )
    if sqlstate.startswith(_POSTGRES_MISCONFIGURED):
        return DatabaseMisconfigured(f"database {where}: {reason}")
    if sqlstate.startswith(("22", "23")) or isinstance(orig, sqlite3.IntegrityError):
        return DataRejected(f"database {where} refused a value: {reason}")
    if sqlstate in _CONFLICTS:
        return TransactionConflict(
            f"database {where} ended a transaction that conflicted with a concurrent one "
            f"({reason}); it can be run again"
        )
    if sqlstate == "57014" or "statement timeout" in lowered:
        return DatabaseUnavailable(
            f"database {where} did not finish a statement in time ({reason}); "
            "is it overloaded? (NEWSCLAIMS_DB_STATEMENT_TIMEOUT)"
        )
    if "timeout expired" in lowered or "timed out" in lowered:
        return DatabaseUnavailable(
            f"cannot reach the database {where}: server not answering ({reason}); "
            "is it overloaded or hung? (NEWSCLAIMS_DB_CONNECT_TIMEOUT)"
        )
    if "connection refused" in lowered or "could not translate host" in lowered:
        return DatabaseUnavailable(
            f"cannot reach the database {where}: server not reachable ({reason}); "
            "is it running, and are host and port right?"
        )
    if sqlite_code == "SQLITE_BUSY" or "database is locked" in lowered:
        return DatabaseUnavailable(
            f"database {where} is locked by another process ({reason}); try again when it ends"
        )
    return DatabaseUnavailable(f"cannot reach the database {where}: {reason}")


@contextmanager
def database_errors(url: str | URL | None = None) -> Iterator[None]:
    """Turn a driver error into the storage layer's one-line error of the right kind
    (``storage.errors``), so callers above the storage layer need no SQLAlchemy: the CLI
    prints it with its exit code, the store pipeline spools the item on an outage."""
    try:
        yield
    except DBAPIError as exc:
        raise translate(exc, url) from exc
