"""Responses → rotating WARC.gz files, so what a crawl fetched can be replayed by ingest.

One gzip member per record (what readers need to seek), a ``warcinfo`` record at the top
of each file, and a new file once the current one passes ``max_bytes``. Files are written
as ``*.warc.gz.open`` and renamed when closed, so a reader never sees a half-written one.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB, as Common Crawl's files
_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}


class RotatingWarcWriter:
    def __init__(
        self, directory: Path, prefix: str = "newsclaims", max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self.directory = directory
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.files: list[Path] = []
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._path: Path | None = None
        self._serial = 0

    def write_response(
        self,
        url: str,
        status: int,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        fetched_at: datetime | None = None,
    ) -> None:
        """One ``response`` record with its HTTP status line, headers and body."""
        writer = self._current()
        # The body is stored decoded, so the headers must not claim another encoding.
        kept = [
            (name, value)
            for name, value in headers
            if name.lower() not in {"content-encoding", "transfer-encoding", "content-length"}
        ]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(
            f"{status} {_REASONS.get(status, 'Status')}", kept, protocol="HTTP/1.1"
        )
        when = (fetched_at or datetime.now(UTC)).astimezone(UTC)
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        writer.write_record(record)
        assert self._file is not None
        if self._file.tell() >= self.max_bytes:
            self.close()

    def _current(self) -> WARCWriter:
        if self._writer is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._serial += 1
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
            self._path = self.directory / f"{self.prefix}-{stamp}-{self._serial:05d}.warc.gz"
            self._file = open(str(self._path) + ".open", "wb")  # noqa: SIM115 (closed in close())
            self._writer = WARCWriter(self._file, gzip=True)
            info = self._writer.create_warcinfo_record(
                self._path.name, {"software": "newsclaims", "format": "WARC File Format 1.1"}
            )
            self._writer.write_record(info)
        return self._writer

    def close(self) -> None:
        if self._file is None or self._path is None:
            return
        self._file.close()
        Path(str(self._path) + ".open").rename(self._path)
        self.files.append(self._path)
        self._file = self._writer = self._path = None
