"""Many keys in one statement: lookups joined to a table's index, rows of plain integers.

A batch of articles has thousands of LSH band keys; one query per key (or one OR term
per key) costs more in statement building than in the database. Here the keys are a
``VALUES`` list joined to the table on its indexed columns, written as plain driver SQL
(portable: SQLite and PostgreSQL both name a ``VALUES`` list's columns ``column1``…),
so each key costs the database one index probe and Python nothing but its values.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy.orm import Session

_MAX_PARAMETERS = 30_000
"""Per statement; SQLite allows 32,766 and psycopg 65,535."""


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
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    width = len(columns)
    row = "(" + ", ".join([mark] * width) + ")"
    selected = [f"k.column{i + 1}" for i in range(width)] + [f"t.{name}" for name in returned]
    on = " AND ".join(f"t.{name} = k.column{i + 1}" for i, name in enumerate(columns))
    ordered = list(keys)
    per_statement = _MAX_PARAMETERS // width
    found: list[tuple[Any, ...]] = []
    for offset in range(0, len(ordered), per_statement):
        chunk = ordered[offset : offset + per_statement]
        sql = (
            f"SELECT {', '.join(selected)} FROM (VALUES {', '.join([row] * len(chunk))}) AS k "
            f"JOIN {table} AS t ON {on}"
        )
        values = tuple(value for key in chunk for value in key)
        found.extend(tuple(r) for r in connection.exec_driver_sql(sql, values))
    return found


def insert_plain(
    session: Session, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Rows of integers and text (band keys, paragraphs) in one driver executemany.

    A batch stores thousands of such rows; SQLAlchemy's per-row parameter handling cost
    more than the database's insert, and these types need none. No column defaults.
    """
    if not rows:
        return
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    connection.exec_driver_sql(sql, list(rows))
