"""WARC and WARC.gz files → archived pages, one record at a time (flat memory at any size).

warcio parses the records. A record that cannot be read (a corrupt header, a digest that
does not match, a body cut short) is reported with its file offset; reading then resumes
at the next record boundary found after it (the next gzip member or ``WARC/1.`` line), so
one bad record never costs the rest of the file.

A ``.warc.gz`` compressed as one gzip stream (``gzip file.warc``) rather than one member per
record, which warcio refuses, is read decompressed from where its stream starts; its offsets
are then counted in the decompressed data, and damage inside the stream ends its reading.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsclaims import settings
from newsclaims.archives.records import ArchivedPage, ArchiveEvent, Damaged, Skipped
from newsclaims.dates import parse_datetime

WARC_SUFFIXES = (".warc", ".warc.gz")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_SCAN_CHUNK = 1 << 20


class _QuietIterator(ArchiveIterator):
    """warcio prints a multi-line warning of its own for a bad record; we report it once."""

    INC_RECORD = ""


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_warc(path: Path, max_body: int = settings.DOWNLOAD_MAXSIZE) -> Iterator[ArchiveEvent]:
    """Every record of the file as a page, a skip or a damage report, in file order."""
    with path.open("rb") as fh:
        compressed = fh.read(3) == _GZIP_MAGIC
        magic = _GZIP_MAGIC if compressed else _WARC_MAGIC
        try:
            yield from _read_records(fh, f"{path}@", max_body, path.stat().st_size, magic)
        except _OneGzipStream as stream:
            # Read on from the member that holds several records, decompressed (its first
            # record was read but not handed on: ``_read_from``).
            tail = io.BufferedReader(_FileFrom(fh, stream.member))
            with gzip.GzipFile(fileobj=tail, mode="rb") as decompressed:
                prefix = f"{path}@{stream.member}+"
                stream_fh = cast(BinaryIO, decompressed)  # seekable: forward reads, rewinds
                yield from _read_records(stream_fh, prefix, max_body, None, _WARC_MAGIC)


class _FileFrom(io.RawIOBase):
    """The file from ``start`` on, as a file of its own: gzip rewinds to offset 0 to seek
    backwards in a stream (as resyncing after damage does), which must be the stream's start."""

    def __init__(self, fh: BinaryIO, start: int) -> None:
        self._fh, self._start = fh, start
        fh.seek(start)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._fh.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            offset += self._start
        return self._fh.seek(offset, whence) - self._start

    def tell(self) -> int:
        return self._fh.tell() - self._start


def _read_records(
    fh: BinaryIO, prefix: str, max_body: int, size: int | None, magic: bytes
) -> Iterator[ArchiveEvent]:
    """The records from the start of ``fh``, resuming after each damaged one; ``size`` is
    None for a decompressed stream (its end is found by reading)."""
    position: int | None = 0
    resyncing = False
    while position is not None and (size is None or position < size):
        fh.seek(position)
        failure = yield from _read_from(fh, prefix, max_body, size)
        if failure is None:
            return
        offset, reason, read_any = failure
        if read_any or not resyncing:
            yield Damaged(f"{prefix}{offset}", offset, reason)
        # A marker found by scanning may be a false start inside damaged bytes: a failure
        # right there is the same damage, not a new report.
        resyncing = True
        position = _next_boundary(fh, offset + 1, magic)


class _OneGzipStream(Exception):
    """warcio found a gzip member holding more than one record (it reads one per member)."""

    def __init__(self, member: int) -> None:
        super().__init__(member)
        self.member = member


def _read_from(
    fh: BinaryIO, prefix: str, max_body: int, size: int | None
) -> Generator[ArchiveEvent, None, tuple[int, str, bool] | None]:
    """Yield records from the current position; return None at a clean end of file, else
    (offset, reason, whether any record was read) for the record that failed."""
    iterator = _QuietIterator(fh, check_digests="raise")
    pending: tuple[int, ArchiveEvent] | None = None
    read_any = False
    error: Exception | None = None
    try:
        for record in iterator:
            offset = iterator.offset
            if pending is not None:
                # The previous record passed its digest check (done on advancing): release it.
                yield pending[1]
                read_any = True
                pending = None
            pending = (offset, _event(record, f"{prefix}{offset}", max_body))
    except ArchiveLoadFailed as exc:
        if "non-chunked gzip" in str(exc) and pending is not None:
            raise _OneGzipStream(pending[0]) from None
        error = exc
    except Exception as exc:  # warcio, gzip and zlib raise assorted types on bad bytes
        error = exc
    if error is not None:
        offset = max(iterator.offset, 0)
        if pending is not None and pending[0] != offset:
            yield pending[1]
            read_any = True
        return offset, _reason(error), read_any
    if pending is not None:
        yield pending[1]
        read_any = True
    end = iterator.offset
    if (size is None or end < size) and _has_bytes(fh, end):
        # warcio stops quietly at a gzip member cut short: the rest of the file is damage.
        return end, "truncated record (unexpected end of file)", read_any
    return None


def _has_bytes(fh: BinaryIO, offset: int) -> bool:
    """Whether anything but line ends follows ``offset`` (bytes that cannot be read count)."""
    try:
        fh.seek(offset)
        return bool(fh.read(64).strip(b"\r\n"))
    except _UNREADABLE:
        return True


_UNREADABLE = (OSError, EOFError, zlib.error)
"""What reading a damaged gzip stream raises (gzip.BadGzipFile is an OSError)."""


def _event(record: Any, origin: str, max_body: int) -> ArchiveEvent:
    _check_header(record)
    event = _classify(record, origin, max_body)
    # Read what is left (warcio would anyway) to learn whether the record was complete.
    while record.raw_stream.read(1 << 16):
        pass
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        raise TruncatedRecord(f"record cut short: {missing} of {record.length} bytes missing")
    return event


_WARC_REQUIRED = ("WARC-Type", "WARC-Record-ID", "WARC-Date", "Content-Length")
_ARC_DATE = re.compile(r"\d{14}")


def _check_header(record: Any) -> None:
    """A header block cut short (the file ends inside it) parses as a record of a made-up
    type: every WARC record names its type, id, date and length (the WARC standard's four
    mandatory fields), and an ARC record's header line holds a 14-digit date and a length."""
    headers = record.rec_headers
    if record.format == "warc":
        missing = [name for name in _WARC_REQUIRED if headers.get_header(name) is None]
        if missing:
            raise DamagedRecord(f"incomplete WARC header (no {', '.join(missing)})")
    elif (
        not _ARC_DATE.fullmatch(headers.get_header("archive-date") or "")
        or not (headers.get_header("length") or "").isdigit()
    ):
        raise DamagedRecord("not a WARC record (nor an ARC record)")


def _classify(record: Any, origin: str, max_body: int) -> ArchiveEvent:
    kind = record.rec_type
    if kind != "response":
        return Skipped(kind or "unknown", origin)
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    headers = record.http_headers
    if headers is None:
        if url.lower().startswith(("http://", "https://")):
            raise DamagedRecord("an HTTP response record without a readable HTTP header")
        return Skipped("not_http", origin)  # dns: and other non-HTTP captures
    try:
        status = int(headers.get_statuscode())
    except (TypeError, ValueError):
        raise DamagedRecord("an unreadable HTTP status line") from None
    if not 200 <= status < 300:
        return Skipped(f"http_{status // 100}xx", origin)
    content_type = headers.get_header("Content-Type")
    if content_type is not None and "html" not in content_type.lower():
        return Skipped("not_html", origin)
    body = record.content_stream().read(max_body + 1)
    if len(body) > max_body:
        return Skipped("too_large", origin)
    return ArchivedPage(
        url=url,
        body=body,
        origin=origin,
        fetched_at=parse_datetime(record.rec_headers.get_header("WARC-Date")),
        status=status,
        content_type=content_type,
    )


class DamagedRecord(ValueError):
    """A record warcio could parse but whose content makes no sense (lost headers)."""


class TruncatedRecord(DamagedRecord):
    """A record whose body ends before its Content-Length."""


def _reason(exc: Exception) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if "Invalid WARC record" in message:
        message = "invalid WARC record header"
    elif "Unknown archive format" in message:  # warcio quotes the bytes it found: binary
        message = "not a WARC record (unknown archive format)"
    return f"{type(exc).__name__}: {message[:200]}" if message else type(exc).__name__


def _next_boundary(fh: BinaryIO, start: int, magic: bytes) -> int | None:
    """The offset of the next record start at or after ``start``, or None (also where the
    bytes cannot be read on: a damaged gzip stream)."""
    try:
        fh.seek(start)
    except _UNREADABLE:
        return None
    carry = b""
    base = start
    while True:
        try:
            chunk = fh.read(_SCAN_CHUNK)
        except _UNREADABLE:
            return None
        if not chunk:
            return None
        data = carry + chunk
        at = data.find(magic)
        while at != -1:
            if magic == _GZIP_MAGIC or (at == 0 and base == 0) or data[at - 1 : at] == b"\n":
                return base + at
            at = data.find(magic, at + 1)
        keep = len(magic)
        carry = data[-keep:]
        base += len(data) - keep
