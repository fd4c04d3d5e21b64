"""What an archive reader yields: a page to analyse, a record it skipped, or a damaged one.

Readers stay cheap (headers and bytes only) so the process that reads an archive is never
the bottleneck; decoding and parsing happen in the analysis workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ArchivedPage:
    """An archived HTML response: raw body, the URL it was fetched at (None: ask the page)."""

    url: str | None
    body: bytes
    origin: str
    """Where it came from, for messages: ``file.warc.gz@offset`` or the file's path."""
    fetched_at: datetime | None = None
    status: int = 200
    content_type: str | None = None
    fallback_url: str | None = None
    """The URL to use when ``url`` is None and the page declares none (a saved file's path)."""


@dataclass(frozen=True)
class Skipped:
    """A record that is not a page to analyse (revisit, request, metadata, not HTML…)."""

    kind: str
    origin: str


@dataclass(frozen=True)
class Damaged:
    """A record that could not be read; the reader goes on with the next one."""

    origin: str
    offset: int
    reason: str


ArchiveEvent = ArchivedPage | Skipped | Damaged
