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


def read_html_file(path: Path) -> ArchiveEvent:
    try:
        body = path.read_bytes()
    except OSError as exc:
        return Skipped(f"unreadable: {exc.strerror}", str(path))
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return ArchivedPage(
        url=None, body=body, origin=str(path), fetched_at=modified, fallback_url=path_url(path)
    )
