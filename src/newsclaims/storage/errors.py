"""The storage layer's own errors, importable without loading SQLAlchemy (the CLI's
error path must not cost a second of start-up)."""

from __future__ import annotations


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or read; the message is one line for the operator."""
