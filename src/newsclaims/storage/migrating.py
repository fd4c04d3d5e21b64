"""One migration at a time: ``db upgrade`` and first crawls racing on a new database.

PostgreSQL: a session advisory lock around Alembic's upgrade (the others wait, then
find the schema at head). SQLite: an exclusive ``flock`` on a file beside the database.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

# Any fixed 64-bit key; the hex reads "newsclaims migrate".
ADVISORY_KEY = 0x6E63_6D69_6772_6174


@contextmanager
def migration_lock(url: str) -> Iterator[None]:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        from newsclaims.storage.database import make_engine

        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
                connection.commit()
                try:
                    yield
                finally:
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                    )
                    connection.commit()
        finally:
            engine.dispose()
        return
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        yield
        return
    path = Path(database).with_name(Path(database).name + ".migrate-lock")
    try:
        handle = path.open("a")
    except OSError:  # a read-only place: nobody can migrate there; the upgrade says why
        yield
        return
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
