"""Write articles and fetch failures to the database; record the crawl run.

Database work runs on one worker thread (the event loop keeps crawling), and when the
database is unreachable a write is retried with backoff (``pipelines/retry.py``), then its
item goes to the spool instead of being lost.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from scrapy import signals

from newsclaims import runstats
from newsclaims.crawl.checks import failed_checks
from newsclaims.crawl.configuration import database_url, load_config
from newsclaims.pipelines.retry import WriteRetry
from newsclaims.records import Article, FetchFailure
from newsclaims.storage import database as db
from newsclaims.storage import runs
from newsclaims.storage.articles import ArticleStore, Outcome
from newsclaims.storage.errors import DatabaseUnavailable, DataRejected
from newsclaims.storage.owners import make_owner
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
        self.spool = Spool.for_database(crawler.settings.get("NEWSCLAIMS_SPOOL_DIR"), self.url)
        self.owner = crawler.settings.get("NEWSCLAIMS_RUN_OWNER") or make_owner()
        self.lease_ttl = crawler.settings.getfloat("NEWSCLAIMS_LOCK_TTL")
        self.heartbeat: asyncio.Task[None] | None = None
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsclaims-db")
        self.retry = WriteRetry(
            crawler.settings.getint("NEWSCLAIMS_DB_WRITE_RETRIES"),
            crawler.settings.getfloat("NEWSCLAIMS_DB_WRITE_BACKOFF"),
        )
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
        self.heartbeat = asyncio.get_running_loop().create_task(self._beat())

    async def _beat(self) -> None:
        """Keep the run's row alive, so only a dead run is closed as ``interrupted``."""
        assert self.store is not None and self.run_id is not None
        while True:
            await asyncio.sleep(self.lease_ttl / 3)
            try:
                await self._db(runs.heartbeat, self.store.sessions, self.run_id)
            except Exception as exc:  # the database may be down; the next beat tries again
                logger.warning("could not record the run's heartbeat: %s", exc)

    def _open(self) -> None:
        if self.migrate:
            db.upgrade(self.url)
        self.store = ArticleStore(db.make_engine(self.url))
        db.require_current_schema(self.store.engine)
        self.store.ensure_sources(
            (s.name, s.display_name, s.domains[0] if s.domains else None)
            for s in self.config.sources
        )
        closed = runs.close_dead_runs(self.store.sessions, self.lease_ttl)
        if closed:
            logger.warning("closed dead runs %s as interrupted", ", ".join(map(str, closed)))
        self.run_id = runs.start_run(self.store.sessions, self.crawler.spider.name, self.owner)
        self.stats.set_value(runstats.RUN_ID, self.run_id)
        self._replay()

    def _replay(self) -> None:
        """Write what an outage left in the spool; it counts in this run's figures."""
        outcomes = self.spool.replay(self._write, self._record_refused)
        for outcome in outcomes:
            self.stats.inc_value(runstats.REPLAYED)
            if isinstance(outcome, Outcome):
                self.stats.inc_value(OUTCOME_STATS[outcome])
        if outcomes:
            logger.warning("replayed %d spooled items into the database", len(outcomes))

    def _record_refused(self, item: SpooledItem, exc: DataRejected) -> None:
        """A replayed page the database refused is a fetch error, as in ``process_item``."""
        logger.warning("could not store replayed %s: %s", item.url, exc)
        if isinstance(item, Article):
            self._write(
                FetchFailure(
                    url=str(item.url),
                    reason=f"could not store: {exc}",
                    status=item.http_status,
                    source=item.source,
                )
            )
            self.stats.inc_value(runstats.ERRORS)

    def _write(self, item: SpooledItem) -> Outcome | None:
        assert self.store is not None
        with db.database_errors():
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
            outcome = await self.retry.run(
                lambda: self._db(self._write, item), lambda: self.stats.inc_value(runstats.RETRIED)
            )
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
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        await self._db(self._close, reason)
        self.executor.shutdown(wait=True)

    def _close(self, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        self._replay()
        stats = self.stats.get_stats()
        status = runstats.run_status(reason, runstats.counts(stats), len(self.spool))
        try:
            with db.database_errors():
                failed = failed_checks(
                    self.config.checks,
                    runstats.counts(self.stats.get_stats()),
                    *runs.date_coverage(self.store.sessions, self.run_id),
                )
                if failed:
                    self.stats.set_value(runstats.FAILED_CHECKS, failed)
                    status = "failed_checks" if status == "finished" else status
                stats = self.stats.get_stats()
                runs.finish_run(
                    self.store.sessions, self.run_id, status, runstats.run_row(stats), stats
                )
        except DatabaseUnavailable as exc:
            logger.error("could not record the end of crawl run %s: %s", self.run_id, exc)
        self.store.engine.dispose()
