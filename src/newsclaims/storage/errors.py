"""The storage layer's own errors, importable without loading SQLAlchemy (the CLI's
error path must not cost a second of start-up).

Every one carries a one-line message for the operator (what is wrong, what to do) and the
exit code the CLI ends with. The specific kinds subclass ``DatabaseUnavailable`` so a
writer that spools on any database failure (the store pipeline) keeps doing so, while the
CLI and a caller that cares tell them apart.
"""

from __future__ import annotations

EXIT_USAGE, EXIT_DATABASE = 2, 3


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or did not answer in time: an outage (exit 3)."""

    exit_code = EXIT_DATABASE


class DatabaseMisconfigured(DatabaseUnavailable):
    """The URL or the database itself is wrong: bad URL or driver, no such database, not a
    database file, schema not migrated, bad credentials. Retrying will not help (exit 2)."""

    exit_code = EXIT_USAGE


class DataRejected(DatabaseUnavailable):
    """The database refused a value (too long, a constraint): a data error, not an outage.

    A subclass of ``DatabaseUnavailable`` only so existing writers keep working; a writer
    should catch it first and record the page instead of spooling it.
    """

    exit_code = 1


class TransactionConflict(DatabaseUnavailable):
    """PostgreSQL ended this transaction because it conflicted with a concurrent one
    (a deadlock, a serialization failure): nothing is wrong, the same write can be run
    again at once. A subclass of ``DatabaseUnavailable`` so a writer that does not retry
    it still spools or re-fetches instead of losing it."""


class LockHeld(RuntimeError):
    """Another live run holds the crawl lock; the message names it and when it expires."""

    exit_code = 4

    def __init__(self, message: str, holder: str | None = None) -> None:
        super().__init__(message)
        self.holder = holder
