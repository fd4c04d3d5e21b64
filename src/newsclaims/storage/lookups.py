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


def _joined_to_keys(columns: Sequence[str]) -> str:
    """``table AS t`` joined to ``_rows_sql``'s keys (``k.column1``…) on ``columns``."""
    return " AND ".join(f"t.{name} = k.column{i + 1}" for i, name in enumerate(columns))


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
    *,
    newest: tuple[str, int] | None = None,
    excluding: Collection[int] = (),
    past_newest: bool = False,
) -> list[tuple[Any, ...]]:
    """``(*key, *returned)`` for every row of ``table`` whose ``columns`` equal a key.

    ``newest=(column, n)``: per key only the ``n`` rows with the highest ``column`` whose
    value is not in ``excluding``, ranked in the database, so a key with thousands of rows
    costs the database a scan and Python ``n`` rows; ``past_newest``: the other rows
    instead (those a bucket can drop, ``delete_rows``). ``columns`` should lead an index of
    ``table``; the names are this module's callers' constants, never user input.
    """
    if not keys:
        return []
    connection = session.connection()
    selected = [f"k.column{i + 1} AS key{i + 1}" for i in range(len(columns))]
    selected += [f"t.{name} AS {name}" for name in returned]
    on = _joined_to_keys(columns)
    where, excluded = "", list[Any]()
    if newest is not None:
        order, limit = newest
        partition = ", ".join(f"k.column{i + 1}" for i in range(len(columns)))
        selected.append(
            f"row_number() OVER (PARTITION BY {partition} ORDER BY t.{order} DESC) AS nc_rank"
        )
        if excluding:
            where, excluded = _not_in(connection, f"t.{order}", list(excluding))
            where = f" WHERE {where}"
    found: list[tuple[Any, ...]] = []
    for chunk in _chunks(connection, list(keys)):
        source, parameters = _rows_sql(connection, chunk)
        sql = f"SELECT {', '.join(selected)} FROM {source} JOIN {table} AS t ON {on}{where}"
        if newest is not None:
            outer = [f"key{i + 1}" for i in range(len(columns))] + list(returned)
            kept = ">" if past_newest else "<="
            sql = f"SELECT {', '.join(outer)} FROM ({sql}) AS ranked WHERE nc_rank {kept} {int(limit)}"
        found.extend(tuple(r) for r in connection.exec_driver_sql(sql, (*parameters, *excluded)))
    return found


def delete_rows(
    session: Session, table: str, columns: Sequence[str], keys: Collection[tuple[int, ...]]
) -> None:
    """Delete the rows of ``table`` whose ``columns`` (its primary key) equal a key. On
    PostgreSQL a row another transaction holds is left, not waited for: two writers pruning
    one bucket must not deadlock over rows either may drop (a row left is pruned later)."""
    if not keys:
        return
    connection = session.connection()
    names = ", ".join(columns)
    on = _joined_to_keys(columns)
    for chunk in _chunks(connection, list(keys)):
        source, parameters = _rows_sql(connection, chunk)
        if connection.dialect.name == "postgresql":
            qualified = ", ".join(f"t.{name}" for name in columns)
            held = f"SELECT {qualified} FROM {source} JOIN {table} AS t ON {on}"
            sql = f"DELETE FROM {table} WHERE ({names}) IN ({held} FOR UPDATE OF t SKIP LOCKED)"
        else:
            sql = f"DELETE FROM {table} WHERE ({names}) IN (SELECT * FROM {source})"
        connection.exec_driver_sql(sql, tuple(parameters))


def _not_in(connection: Connection, column: str, values: list[int]) -> tuple[str, list[Any]]:
    """``column`` not among ``values`` (integers), and the parameters that takes."""
    if connection.dialect.name == "postgresql":
        return f"{column} <> ALL(%s::bigint[])", [values]
    return f"{column} NOT IN ({', '.join(['?'] * len(values))})", values


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
