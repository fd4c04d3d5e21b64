"""Saved pages: single ``.html`` files and folders of them, as archived pages.

A saved page has no fetch record, so its URL is the one it declares (``rel=canonical``,
``og:url``, read by the analysis worker) or else its path, as ``newsclaims extract`` does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsclaims.archives.records import ArchivedPage, ArchiveEvent, Skipped

HTML_SUFFIXES = (".html", ".htm")


def path_url(path: Path) -> str:
    """The stand-in URL of a saved page that declares none (its absolute path)."""
    return path.resolve().as_uri().replace("file://", "http://localhost", 1)


# Before news on the web (htmldate's earliest date): a modification time reset to an epoch.
_EARLIEST_SAVE = datetime(1995, 1, 1, tzinfo=UTC)


def saved_at(path: Path) -> datetime | None:
    """When a saved page was saved, as far as the file tells: its modification time, unless
    that was reset to an epoch (1970, or 1980 by zip and reproducible builds), which would
    bound every date of the page before it was written. None: unknown (now is used)."""
    try:
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None
    return modified if modified >= _EARLIEST_SAVE else None


def read_html_file(path: Path) -> ArchiveEvent:
    try:
        body = path.read_bytes()
    except OSError as exc:
        return Skipped(f"unreadable: {exc.strerror}", str(path))
    return ArchivedPage(
        url=None,
        body=body,
        origin=str(path),
        fetched_at=saved_at(path),
        fallback_url=path_url(path),
    )
