"""Write articles and fetch failures to the database; record the crawl run.

Database work runs on one worker thread (the event loop keeps crawling), and when the
database is unreachable items go to the spool instead of being lost.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from scrapy import signals

from newsclaims import runstats
from newsclaims.crawl.configuration import database_url, load_config
from newsclaims.records import Article, FetchFailure
from newsclaims.storage import database as db
from newsclaims.storage import runs
from newsclaims.storage.articles import ArticleStore, Outcome
from newsclaims.storage.errors import DatabaseUnavailable, DataRejected
from newsclaims.storage.spool import Spool, SpooledItem
from newsclaims.storage.writer import write_article

logger = logging.getLogger(__name__)

OUTCOME_STATS = {
    Outcome.STORED: runstats.STORED,
    Outcome.UPDATED: runstats.UPDATED,
    Outcome.UNCHANGED: runstats.UNCHANGED,
    Outcome.DUPLICATE: runstats.DUPLICATES,
}


class StorePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.url = database_url(crawler.settings)
        self.config = load_config(crawler.settings)
        self.migrate = crawler.settings.getbool("NEWSCLAIMS_AUTO_MIGRATE")
        self.spool = Spool(crawler.settings.get("NEWSCLAIMS_SPOOL_DIR"))
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsclaims-db")
        self.store: ArticleStore | None = None
        self.run_id: int | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    async def _db(self, func: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, func, *args)

    async def open_spider(self) -> None:
        await self._db(self._open)

    def _open(self) -> None:
        if self.migrate:
            db.upgrade(self.url)
        self.store = ArticleStore(db.make_engine(self.url))
        db.require_current_schema(self.store.engine)
        self.store.ensure_sources(
            (s.name, s.display_name, s.domains[0] if s.domains else None)
            for s in self.config.sources
        )
        self.run_id = runs.start_run(self.store.sessions, self.crawler.spider.name)
        replayed = self.spool.replay(self._write)
        if replayed:
            logger.warning("replayed %d spooled items into the database", replayed)

    def _write(self, item: SpooledItem) -> Outcome | None:
        assert self.store is not None
        with db.failures_as_unavailable():
            if isinstance(item, Article):
                return write_article(self.store, item, self.run_id)
            runs.record_error(self.store.sessions, item, self.run_id)
            return None

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, FetchFailure):
            if item.skipped:
                logger.debug("skipped %s: %s", item.url, item.reason)
            else:
                self.stats.inc_value(runstats.ERRORS)
                logger.warning("fetch error %s: %s", item.url, item.reason)
        elif not isinstance(item, Article):
            return item
        try:
            outcome = await self._db(self._write, item)
        except DataRejected as exc:
            # The database is up and refused this page's data: record it, do not spool.
            assert isinstance(item, Article)
            failure = FetchFailure(
                url=str(item.url),
                reason=f"could not store: {exc}",
                status=item.http_status,
                source=item.source,
            )
            return await self.process_item(failure)
        except DatabaseUnavailable as exc:
            self.spool.append(item)
            self.stats.inc_value(runstats.SPOOLED)
            logger.error(
                "database unavailable, spooled %s to %s: %s", item.url, self.spool.path, exc
            )
            return item
        if outcome is not None:
            self.stats.inc_value(OUTCOME_STATS[outcome])
            if outcome in (Outcome.STORED, Outcome.UPDATED):
                self.stats.inc_value(runstats.QUOTES_STORED, len(item.quotes))
        if isinstance(item, Article):
            for note in item.notes:  # e.g. quotes capped: the article is stored, and flagged
                await self.process_item(
                    FetchFailure(url=str(item.url), reason=note, source=item.source, skipped=True)
                )
        return item

    async def spider_closed(self, spider: Any, reason: str) -> None:
        await self._db(self._close, reason)
        self.executor.shutdown(wait=True)

    def _close(self, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        self.spool.replay(self._write)
        stats = self.stats.get_stats()
        counts = runstats.run_row(stats)
        status = runstats.run_status(reason, runstats.counts(stats), len(self.spool))
        try:
            with db.failures_as_unavailable():
                runs.finish_run(self.store.sessions, self.run_id, status, counts)
        except DatabaseUnavailable as exc:
            logger.error("could not record the end of crawl run %s: %s", self.run_id, exc)
        self.store.engine.dispose()
