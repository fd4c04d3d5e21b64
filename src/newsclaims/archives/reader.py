"""PATH arguments → one stream of archive events: WARC files, saved pages, folders of both."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from newsclaims.archives.files import HTML_SUFFIXES, read_html_file
from newsclaims.archives.records import ArchiveEvent, Skipped
from newsclaims.archives.warc import is_warc, read_warc


def read_paths(paths: Iterable[Path]) -> Iterator[ArchiveEvent]:
    """Each path in the order given; a folder's files in sorted order, recursively."""
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            yield from read_file(file)


def read_file(path: Path) -> Iterator[ArchiveEvent]:
    if is_warc(path):
        yield from read_warc(path)
    elif path.suffix.lower() in HTML_SUFFIXES:
        yield read_html_file(path)
    else:
        yield Skipped("not_an_archive", str(path))
