"""FetchedPage → analysed Article in worker processes: the event loop does no parsing.

The whole analysis (``newsclaims.pages.analyse.analyse_page``) runs in a process pool, so
extraction, paragraph dedup, topic scoring and quote finding never stall downloads.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsclaims import runstats
from newsclaims.crawl.configuration import analysis_options, load_config
from newsclaims.pages.analyse import Analysis, AnalysisOptions, analyse_page
from newsclaims.pages.extraction import ExtractionError, NotAnArticle
from newsclaims.records import FetchedPage, FetchFailure


class AnalysePipeline:
    def __init__(self, crawler: Crawler, options: AnalysisOptions, workers: int) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.options = options
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AnalysePipeline:
        options = analysis_options(load_config(crawler.settings))
        return cls(crawler, options, crawler.settings.getint("NEWSCLAIMS_EXTRACT_WORKERS"))

    def open_spider(self) -> None:
        # forkserver: workers do not inherit the reactor's threads and sockets.
        context = multiprocessing.get_context("forkserver")
        self.pool = ProcessPoolExecutor(max_workers=max(1, self.workers), mp_context=context)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        assert self.pool is not None, "open_spider() starts the pool"
        self.stats.inc_value(runstats.FETCHED)
        future = self.pool.submit(analyse_page, item, self.options)
        try:
            analysis: Analysis = await asyncio.wrap_future(future)
        except NotAnArticle as exc:
            self.stats.inc_value(runstats.NOT_ARTICLE)
            raise DropItem(f"not an article: {exc}", log_level="DEBUG") from None
        except ExtractionError as exc:
            return FetchFailure(
                url=str(item.url),
                reason=f"extraction failed: {exc}",
                status=item.status,
                source=item.source,
            )
        article = analysis.article
        self.stats.inc_value(runstats.PARAGRAPHS_DROPPED, analysis.repeated_paragraphs)
        if not analysis.on_topic:
            self.stats.inc_value(runstats.OFF_TOPIC)
            raise DropItem(
                f"off topic (score {article.topic_score}): {article.url}", log_level="INFO"
            )
        self.stats.inc_value(runstats.QUOTES_FOUND, len(article.quotes))
        return article
