"""FetchedPage → Article in a process pool, so trafilatura never stalls the event loop."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from scrapy.exceptions import DropItem

from newsclaims.pages.extraction import ExtractionError, NotAnArticle, extract_article
from newsclaims.records import FetchedPage, FetchFailure


class ExtractPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.workers = crawler.settings.getint("NEWSCLAIMS_EXTRACT_WORKERS", 2)
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        # forkserver: workers do not inherit the reactor's threads and sockets.
        context = multiprocessing.get_context("forkserver")
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        assert self.pool is not None
        self.stats.inc_value("newsclaims/fetched")
        config = getattr(self.crawler.spider, "config", None)
        min_words = config.crawl.min_words if config else 120
        future = self.pool.submit(
            extract_article,
            item.html,
            str(item.url),
            item.source,
            http_status=item.status,
            fetched_at=item.fetched_at,
            min_words=min_words,
        )
        try:
            article = await asyncio.wrap_future(future)
        except NotAnArticle as exc:
            self.stats.inc_value("newsclaims/not_article")
            raise DropItem(f"not an article: {exc}", log_level="DEBUG") from None
        except ExtractionError as exc:
            return FetchFailure(
                url=str(item.url),
                reason=f"extraction failed: {exc}",
                status=item.status,
                source=item.source,
            )
        if article.published is None and item.feed_published is not None:
            article.published = item.feed_published
        return article
