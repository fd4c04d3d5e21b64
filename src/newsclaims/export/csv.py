"""CSV output of the export datasets: streamed, spreadsheet-safe, ISO 8601 UTC times.

RFC 4180 (CRLF line ends, minimal quoting), UTF-8 (a BOM with ``excel=True``), a
header row. Which rows and columns: ``export.datasets``.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime(TIME_FORMAT)


# One lookup by the value's exact type instead of a chain of isinstance tests: the export
# calls this for every cell of every row.
_CONVERTERS: dict[type, Callable[[Any], Any]] = {
    str: _text,
    datetime: _time,
    bool: int,
    type(None): lambda _: "",
}


def cell(value: Any) -> Any:
    """ISO 8601 UTC for times, 1/0 for booleans, formula-neutralised text.

    Times from the database are always timezone-aware (``models.UtcDateTime``).
    """
    convert = _CONVERTERS.get(type(value))
    return value if convert is None else convert(value)


def write_csv(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    out: IO[str],
    *,
    excel: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one dataset as CSV; returns the number of data rows written.

    ``rows`` come from ``datasets.start_rows``, whose query has already run, so a query that
    fails has written nothing, not even the header.
    """
    if excel:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(list(map(cell, row)))
        count += 1
        if progress is not None and count % 10000 == 0:
            progress(count)
    return count


@contextmanager
def replace_atomically(target: Path) -> Iterator[IO[str]]:
    """A temporary file beside ``target`` that becomes ``target`` only when the block ends
    without an error; on any error (or Ctrl-C) it is removed and ``target`` is untouched."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed or removed below)
        "w",
        encoding="utf-8",
        newline="",
        dir=target.parent,
        prefix=f".{target.name}.",
        suffix=".partial",
        delete=False,
    )
    try:
        with handle:
            yield handle
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


class TerminalProgress:
    """Prints a row count on stderr at most twice a second, only when stderr is a terminal."""

    def __init__(self, label: str, stream: IO[str] = sys.stderr) -> None:
        self.label = label
        self.stream = stream
        self.enabled = stream.isatty()
        self.last = 0.0

    def __call__(self, count: int) -> None:
        now = time.monotonic()
        if self.enabled and now - self.last > 0.5:
            self.stream.write(f"\r{self.label}: {count:,} rows")
            self.stream.flush()
            self.last = now

    def done(self, count: int) -> None:
        if self.enabled:
            self.stream.write(f"\r{self.label}: {count:,} rows, done\n")
