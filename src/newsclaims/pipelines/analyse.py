"""CrawledPage → analysed Article in worker processes: the event loop does no parsing.

The whole analysis (``newsclaims.pages.analyse.analyse_page``) runs in a process pool, so
extraction, paragraph dedup, topic scoring and quote finding never stall downloads.
The pool is pebble's: a page still being analysed after ``NEWSCLAIMS_ANALYSIS_TIMEOUT``
seconds has its worker killed and replaced (a standard ``ProcessPoolExecutor`` cannot
stop one task), and a worker that dies costs only its page (a pool broken by it is replaced). Workers ignore SIGINT: a
Ctrl-C reaches the whole process group, and the crawl, not each worker, decides how to
stop. Workers exit when the crawl dies, even by SIGKILL (``pipelines.workers``).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import forkserver
from typing import Any

from pebble import ProcessPool
from pebble.common import ProcessExpired
from scrapy.crawler import Crawler

from newsclaims import memory, runstats
from newsclaims.crawl.configuration import analysis_options, load_config
from newsclaims.pages.errors import ExtractionError, NotAnArticle
from newsclaims.pages.options import AnalysisOptions
from newsclaims.pipelines.workers import AnalysedPage, analyse, start_worker
from newsclaims.records import CrawledPage, FetchFailure

logger = logging.getLogger(__name__)


TASKS_PER_WORKER = 500
"""A worker is replaced after this many pages, so no worker-side cache grows without
bound (as ingest's); forked from the preloaded forkserver, a new one starts at once."""


def _start_forkserver_deaf_to_interrupts() -> None:
    """Start the forkserver (and its resource tracker) with SIGINT ignored.

    A worker forked from it restores the forkserver's own SIGINT handler before our
    initializer runs; a Ctrl-C in that window killed it with a KeyboardInterrupt
    traceback. A handler of SIG_IGN survives exec and Python keeps it, so started like
    this, the forkserver and every worker ignore Ctrl-C from birth. (Done once per
    process: a forkserver already running is left as it is.)
    """
    # Workers fork from it with the analysis and the language model loaded (pages.preload).
    memory.return_large_blocks()  # for this process, the forkserver and the workers
    multiprocessing.get_context("forkserver").set_forkserver_preload(
        ["__main__", "newsclaims.pages.preload"]
    )
    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


class AnalysePipeline:
    def __init__(
        self, crawler: Crawler, options: AnalysisOptions, workers: int, timeout: float
    ) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.options = options
        self.workers = workers
        self.timeout = timeout if timeout > 0 else None
        self.pool: ProcessPool | None = None
        self.pending: set[Future[AnalysedPage]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AnalysePipeline:
        options = analysis_options(crawler.settings, load_config(crawler.settings))
        return cls(
            crawler,
            options,
            crawler.settings.getint("NEWSCLAIMS_EXTRACT_WORKERS"),
            crawler.settings.getfloat("NEWSCLAIMS_ANALYSIS_TIMEOUT"),
        )

    def open_spider(self) -> None:
        _start_forkserver_deaf_to_interrupts()
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPool:
        # forkserver: workers do not inherit the reactor's threads and sockets.
        return ProcessPool(
            max_workers=max(1, self.workers),
            max_tasks=TASKS_PER_WORKER,
            initializer=start_worker,
            initargs=(os.getpid(),),
            context=multiprocessing.get_context("forkserver"),
        )

    def _replace_pool(self) -> ProcessPool:
        """A new pool; pages still waiting in the old one fail (and are recorded)."""
        if self.pool is not None:
            self.pool.stop()
            for future in self.pending:
                if not future.done():
                    future.set_exception(BrokenProcessPool("the analysis pool was replaced"))
            self.pending.clear()
        self.pool = self._new_pool()
        return self.pool

    async def _run(self, pool: ProcessPool, page: CrawledPage) -> AnalysedPage:
        future = pool.schedule(analyse, (page, self.options), timeout=self.timeout)
        self.pending.add(future)
        try:
            return await asyncio.wrap_future(future)
        finally:
            self.pending.discard(future)

    async def _analyse(self, page: CrawledPage) -> AnalysedPage:
        """Run the analysis in the pool; a pool broken by a dead worker is replaced once."""
        assert self.pool is not None, "open_spider() starts the pool"
        pool = self.pool if self.pool.active else self._replace_pool()
        try:
            return await self._run(pool, page)
        except BrokenProcessPool:
            logger.error("an analysis worker died; starting a new pool for %s", page.url)
            return await self._run(self._replace_pool(), page)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.stop()  # pages still queued were never analysed; the run is over
            self.pool.join(timeout=10)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, CrawledPage):
            return item
        self.stats.inc_value(runstats.FETCHED)
        try:
            analysis = await self._analyse(item)
        except NotAnArticle as exc:
            self.stats.inc_value(runstats.NOT_ARTICLE)
            return self._failure(item, f"not an article: {exc}", skipped=True)
        except ExtractionError as exc:
            return self._failure(item, f"extraction failed: {exc}")
        except FutureTimeout:
            logger.warning("analysis of %s timed out after %.0f s", item.url, self.timeout)
            return self._failure(item, f"analysis timed out after {self.timeout:g} s")
        except ProcessExpired as exc:
            logger.error("an analysis worker died on %s: %s", item.url, exc)
            return self._failure(item, f"analysis failed: the worker died ({exc})")
        except Exception as exc:  # a bug: record the page, keep crawling
            logger.error("analysis failed for %s: %s: %s", item.url, type(exc).__name__, exc)
            return self._failure(item, f"analysis failed: {type(exc).__name__}: {exc}")
        article = analysis.article
        self.stats.inc_value(runstats.PARAGRAPHS_DROPPED, analysis.repeated_paragraphs)
        if not analysis.on_topic:
            self.stats.inc_value(runstats.OFF_TOPIC)
            return self._failure(
                item,
                f"off topic: score {article.topic_score} below the topic's threshold",
                skipped=True,
            )
        self.stats.inc_value(runstats.QUOTES_FOUND, len(article.quotes))
        return article

    @staticmethod
    def _failure(page: CrawledPage, reason: str, *, skipped: bool = False) -> FetchFailure:
        """The page ends in fetch_errors (an error, or a skipped page), never unrecorded."""
        return FetchFailure(
            url=str(page.url),
            reason=reason,
            status=page.status,
            source=page.source,
            skipped=skipped,
        )
