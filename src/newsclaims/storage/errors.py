"""The storage layer's own errors, importable without loading SQLAlchemy (the CLI's
error path must not cost a second of start-up)."""

from __future__ import annotations


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or read; the message is one line for the operator."""


class DataRejected(ValueError):
    """The database is up but refused this item's data (a value that does not fit, a
    constraint): a data error for that page, recorded, never spooled as an outage."""
