"""Idempotent writes that settle concurrent writers on unique keys rather than locks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from newsclaims import models

T = TypeVar("T")


def table_of(model: type[models.Base]) -> Table:
    """The model's table, for Core statements (no per-object ORM bookkeeping)."""
    return cast(Table, model.__table__)


def insert_ignore(
    session: Session, model: type[models.Base], values: dict[str, Any], keys: list[str]
) -> None:
    """INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))


def insert_ignore_many(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], keys: list[str]
) -> None:
    """``insert_ignore`` for many rows in one executemany, in order (first row wins)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(table).on_conflict_do_nothing(index_elements=keys), list(rows))


def insert_returning_ids(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], key: Sequence[str]
) -> list[int]:
    """Insert the rows in multi-row statements; their ids, in the order of ``rows``.

    ``key`` names columns whose values are unique among ``rows`` (a unique constraint's):
    ids are matched back through them, because SQLite promises no order for the rows a
    multi-row ``INSERT … RETURNING`` returns (asked to keep order, SQLAlchemy falls
    back to one statement per row there).
    """
    if not rows:
        return []
    statement = insert(table).returning(table.c.id, *(table.c[name] for name in key))
    ids = {tuple(row[1:]): row[0] for row in session.execute(statement, list(rows))}
    if len(ids) != len(rows):
        raise ValueError(f"{table.name}: {', '.join(key)} not unique among the rows inserted")
    return [ids[tuple(row[name] for name in key)] for row in rows]


def get_or_create_id(
    session: Session,
    model: type[models.Base],
    lookup: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> int:
    """The id of the row with these unique values, inserting it first if it is missing."""
    insert_ignore(session, model, {**lookup, **(extra or {})}, list(lookup))
    query = select(model.id)  # type: ignore[attr-defined]
    for column, value in lookup.items():
        query = query.where(getattr(model, column) == value)
    return session.execute(query).scalar_one()


def in_transaction(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction, once more if another writer took a unique key first.

    The second attempt reads what the other writer stored and settles on its rows.
    """
    try:
        with sessions.begin() as session:
            return work(session)
    except IntegrityError:
        with sessions.begin() as session:
            return work(session)
