"""FetchedPage → analysed Article in worker processes: the event loop does no parsing.

The whole analysis (``newsclaims.pages.analyse.analyse_page``) runs in a process pool, so
extraction, paragraph dedup, topic scoring and quote finding never stall downloads.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsclaims import runstats
from newsclaims.crawl.configuration import analysis_options, load_config
from newsclaims.pages.analyse import Analysis, AnalysisOptions, analyse_page
from newsclaims.pages.extraction import ExtractionError, NotAnArticle
from newsclaims.records import FetchedPage, FetchFailure

logger = logging.getLogger(__name__)


class AnalysePipeline:
    def __init__(self, crawler: Crawler, options: AnalysisOptions, workers: int) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.options = options
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AnalysePipeline:
        options = analysis_options(crawler.settings, load_config(crawler.settings))
        return cls(crawler, options, crawler.settings.getint("NEWSCLAIMS_EXTRACT_WORKERS"))

    def open_spider(self) -> None:
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # forkserver: workers do not inherit the reactor's threads and sockets.
        context = multiprocessing.get_context("forkserver")
        return ProcessPoolExecutor(max_workers=max(1, self.workers), mp_context=context)

    async def _analyse(self, page: FetchedPage) -> Analysis:
        """Run the analysis in the pool; a pool broken by a dead worker is replaced once."""
        assert self.pool is not None, "open_spider() starts the pool"
        try:
            return await asyncio.wrap_future(self.pool.submit(analyse_page, page, self.options))
        except BrokenProcessPool:
            logger.error("an analysis worker died; starting a new pool for %s", page.url)
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new_pool()
            return await asyncio.wrap_future(self.pool.submit(analyse_page, page, self.options))

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        self.stats.inc_value(runstats.FETCHED)
        try:
            analysis = await self._analyse(item)
        except NotAnArticle as exc:
            self.stats.inc_value(runstats.NOT_ARTICLE)
            raise DropItem(f"not an article: {exc}", log_level="DEBUG") from None
        except ExtractionError as exc:
            return self._failure(item, f"extraction failed: {exc}")
        except Exception as exc:  # a bug or a dead worker: record the page, keep crawling
            logger.exception("analysis failed for %s", item.url)
            return self._failure(item, f"analysis failed: {type(exc).__name__}: {exc}")
        article = analysis.article
        self.stats.inc_value(runstats.PARAGRAPHS_DROPPED, analysis.repeated_paragraphs)
        if not analysis.on_topic:
            self.stats.inc_value(runstats.OFF_TOPIC)
            raise DropItem(
                f"off topic (score {article.topic_score}): {article.url}", log_level="INFO"
            )
        self.stats.inc_value(runstats.QUOTES_FOUND, len(article.quotes))
        return article

    @staticmethod
    def _failure(page: FetchedPage, reason: str) -> FetchFailure:
        """The page ends in fetch_errors (and the run's error count), never unrecorded."""
        return FetchFailure(
            url=str(page.url), reason=reason, status=page.status, source=page.source
        )
