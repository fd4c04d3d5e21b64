"""The storage layer's own errors, importable without loading SQLAlchemy (the CLI's
error path must not cost a second of start-up)."""

from __future__ import annotations


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or read; the message is one line for the operator."""


class LockHeld(RuntimeError):
    """Another live run holds the crawl lock; the message names it and when it expires."""
