"""Idempotent writes that settle concurrent writers on unique keys rather than locks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from newsclaims import models

T = TypeVar("T")


def insert_ignore(
    session: Session, model: type[models.Base], values: dict[str, Any], keys: list[str]
) -> None:
    """INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))


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
