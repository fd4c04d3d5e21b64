"""``--warc-out DIR``: every response the crawl received, written as rotating WARC.gz files.

Connected to Scrapy's ``response_received`` signal, so it sees the final response of each
request (redirects followed, bodies decompressed) exactly as the spider does; feeds,
sitemaps and robots.txt are kept too, so the archive is what the crawl saw.
``newsclaims ingest DIR`` replays it. Records are compressed and written on one thread
of their own, off the event loop.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from newsclaims.archives.writer import RotatingWarcWriter
from newsclaims.crawl import incremental
from newsclaims.records import utcnow


class WarcOut:
    def __init__(self, crawler: Any, directory: Path, max_bytes: int) -> None:
        self.writer = RotatingWarcWriter(directory, prefix="newsclaims-crawl", max_bytes=max_bytes)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsclaims-warc")
        self.last: Future[None] | None = None
        self.stats = crawler.stats
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcOut:
        directory = crawler.settings.get("NEWSCLAIMS_WARC_OUT")
        if not directory:
            raise NotConfigured
        return cls(crawler, Path(directory), crawler.settings.getint("NEWSCLAIMS_WARC_MAX_BYTES"))

    def response_received(self, response: Response, request: Any, spider: Any) -> None:
        if request.meta.get(incremental.KNOWN):
            return  # a page an earlier run finished, answered from page_states: never fetched
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items()
            for value in values
        ]
        self.last = self.executor.submit(
            self.writer.write_response,
            response.url,
            response.status,
            headers,
            response.body,
            utcnow(),
        )
        self.stats.inc_value("newsclaims/warc_records")

    def spider_closed(self, spider: Any) -> None:
        self.executor.shutdown(wait=True)
        self.writer.close()
        if self.last is not None:
            self.last.result()  # a write that failed says so at the end of the crawl
