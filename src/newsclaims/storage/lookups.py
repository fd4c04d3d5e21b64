"""Many keys in one statement: lookups joined to a table's index, rows of plain values.

A batch of articles has thousands of LSH band keys; one query per key (or one OR term
per key) costs more in statement building than in the database. Here the keys are a
list of rows joined to the table on its indexed columns, written as plain driver SQL,
so each key costs the database one index probe and Python little more than its values.
SQLite gets a ``VALUES`` list; PostgreSQL one array per column through ``unnest``,
since psycopg parses a statement's placeholders in Python, thousands of them per batch.
Both name the list's columns ``column1``, ``column2``, …
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

_MAX_PARAMETERS = 30_000
"""Per SQLite statement (it allows 32,766)."""


def _rows_sql(connection: Connection, rows: Sequence[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    """A row source of ``rows`` (columns ``column1``…) and the parameters it takes."""
    width = len(rows[0])
    if connection.dialect.name == "postgresql":
        types = ["text" if isinstance(value, str) else "bigint" for value in rows[0]]
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        names = ", ".join(f"column{i + 1}" for i in range(width))
        return f"unnest({arrays}) AS k({names})", [
            list(column) for column in zip(*rows, strict=True)
        ]
    row = "(" + ", ".join(["?"] * width) + ")"
    values = [value for key in rows for value in key]
    return f"(VALUES {', '.join([row] * len(rows))}) AS k", values


def _chunks(connection: Connection, rows: Sequence[tuple[Any, ...]]) -> list[Sequence[Any]]:
    if connection.dialect.name == "postgresql":
        return [rows]  # arrays: three parameters however many rows
    per_statement = _MAX_PARAMETERS // len(rows[0])
    return [rows[i : i + per_statement] for i in range(0, len(rows), per_statement)]


def rows_matching(
    session: Session,
    table: str,
    columns: Sequence[str],
    keys: Collection[tuple[int, ...]],
    returned: Sequence[str],
) -> list[tuple[Any, ...]]:
    """``(*key, *returned)`` for every row of ``table`` whose ``columns`` equal a key.

    ``columns`` should lead an index of ``table``; the names are this module's callers'
    constants, never user input.
    """
    if not keys:
        return []
    connection = session.connection()
    selected = [f"k.column{i + 1}" for i in range(len(columns))]
    selected += [f"t.{name}" for name in returned]
    on = " AND ".join(f"t.{name} = k.column{i + 1}" for i, name in enumerate(columns))
    found: list[tuple[Any, ...]] = []
    for chunk in _chunks(connection, list(keys)):
        source, parameters = _rows_sql(connection, chunk)
        sql = f"SELECT {', '.join(selected)} FROM {source} JOIN {table} AS t ON {on}"
        found.extend(tuple(r) for r in connection.exec_driver_sql(sql, tuple(parameters)))
    return found


def insert_plain(
    session: Session, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Rows of integers and text (band keys, paragraphs) in one statement per chunk.

    A batch stores thousands of such rows; SQLAlchemy's per-row parameter handling cost
    more than the database's insert, and these types need none. No column defaults.
    """
    if not rows:
        return
    connection = session.connection()
    names = ", ".join(columns)
    for chunk in _chunks(connection, rows):
        source, parameters = _rows_sql(connection, chunk)
        sql = f"INSERT INTO {table} ({names}) SELECT * FROM {source}"
        connection.exec_driver_sql(sql, tuple(parameters))
