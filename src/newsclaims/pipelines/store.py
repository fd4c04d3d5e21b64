"""Write articles and fetch failures to the database; record the crawl run.

Database work runs on one worker thread (the event loop keeps crawling), and when the
database is unreachable a write is retried with backoff (``pipelines/retry.py``), then its
items go to the spool instead of being lost.

Items are written in batches (``storage.writer.write_articles``: many articles in one
transaction), a group commit: each item waits for its batch, so it is in the database (or
the spool) before Scrapy counts it scraped and the page state records it; a crawl killed
before a batch is written fetches those pages again next time. A batch is written when it
holds ``NEWSCLAIMS_WRITE_BATCH`` items, when its first item waited
``NEWSCLAIMS_WRITE_INTERVAL`` seconds, or when every item in the pipelines is waiting in it
(nothing else could join: a slow crawl writes at once).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, Final

from scrapy import signals

from newsclaims import runstats
from newsclaims.crawl.checks import failed_checks
from newsclaims.crawl.configuration import database_url, load_config
from newsclaims.pipelines.retry import WriteRetry
from newsclaims.records import Article, FetchFailure
from newsclaims.storage import database as db
from newsclaims.storage import runs
from newsclaims.storage.articles import ArticleStore, Outcome
from newsclaims.storage.errors import DatabaseMisconfigured, DatabaseUnavailable, DataRejected
from newsclaims.storage.owners import make_owner
from newsclaims.storage.spool import Spool, SpooledItem
from newsclaims.storage.writer import BatchWrite, write_article

logger = logging.getLogger(__name__)

SPOOLED: Final = "spooled"
"""A batch's result for an item the database could not take: it is in the spool."""
ItemResult = Outcome | None | str | Exception
"""What became of one item of a batch: an article's outcome, None for a recorded
failure, ``SPOOLED``, or why this item alone could not be stored (the database refused
its data, ``DataRejected``, or an unexpected error)."""

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
        self.batch_size = max(1, crawler.settings.getint("NEWSCLAIMS_WRITE_BATCH"))
        self.batch_interval = crawler.settings.getfloat("NEWSCLAIMS_WRITE_INTERVAL")
        self._batch: list[tuple[Article | FetchFailure, asyncio.Future[ItemResult]]] = []
        self._batched = 0  # Scrapy items in the batch (an item's notes or failure are not)
        self._timer: asyncio.TimerHandle | None = None
        self._parked = 0  # items in process_item waiting on their notes or their failure
        self._writing: set[asyncio.Task[list[ItemResult]]] = set()
        self.stopping = False  # the database is misconfigured: the crawl is closing
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
        with db.database_errors(self.url):
            if isinstance(item, Article):
                return write_article(self.store, item, self.run_id)
            runs.record_error(self.store.sessions, item, self.run_id)
            return None

    async def process_item(self, item: Any) -> Any:
        return await self._process(item, follow_up=False)

    async def _process(self, item: Any, *, follow_up: bool) -> Any:
        """Store the item; ``follow_up``: an item's note or failure, not a Scrapy item."""
        if isinstance(item, FetchFailure):
            if item.skipped:
                logger.debug("skipped %s: %s", item.url, item.reason)
            else:
                self.stats.inc_value(runstats.ERRORS)
                logger.warning("fetch error %s: %s", item.url, item.reason)
        elif not isinstance(item, Article):
            return item
        result = await self._written(item, follow_up)
        if result == SPOOLED:
            self.stats.inc_value(runstats.SPOOLED)
            return item
        if isinstance(result, Exception):
            if not isinstance(item, Article):
                logger.error("could not record the failure of %s: %s", item.url, result)
                return item
            # The database is up and refused this page's data (or writing it hit a bug):
            # record it, do not spool.
            why = (
                result if isinstance(result, DataRejected) else f"{type(result).__name__}: {result}"
            )
            failure = FetchFailure(
                url=str(item.url),
                reason=f"could not store: {why}",
                status=item.http_status,
                source=item.source,
            )
            return await self._parked_on(self._process(failure, follow_up=True))
        if isinstance(result, Outcome):
            self.stats.inc_value(OUTCOME_STATS[result])
            if result in (Outcome.STORED, Outcome.UPDATED):
                self.stats.inc_value(runstats.QUOTES_STORED, len(item.quotes))
        if isinstance(item, Article) and item.notes:
            # e.g. quotes capped: the article is stored, and flagged
            notes = [
                FetchFailure(url=str(item.url), reason=note, source=item.source, skipped=True)
                for note in item.notes
            ]
            await self._parked_on(
                asyncio.gather(*(self._process(note, follow_up=True) for note in notes))
            )
        return item

    async def _parked_on(self, awaitable: Any) -> Any:
        """Await what an item's own follow-up items need, counted as waiting for a batch."""
        self._parked += 1
        try:
            return await awaitable
        finally:
            self._parked -= 1

    # -- batches ---------------------------------------------------------------------------
    async def _written(self, item: Article | FetchFailure, follow_up: bool) -> ItemResult:
        """Queue the item in the current batch and wait until its batch is written."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[ItemResult] = loop.create_future()
        self._batch.append((item, done))
        if not follow_up:
            self._batched += 1
        if len(self._batch) >= self.batch_size or self._nothing_else_coming():
            self._flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.batch_interval, self._flush)
        return await done

    def _nothing_else_coming(self) -> bool:
        """Every item in the pipelines waits in this batch: waiting longer gains nothing.

        Scrapy counts an item once, however many follow-ups (notes, its failure) it waits
        on: the item is counted here among the parked ones, its follow-ups not at all.
        """
        try:
            in_process = self.crawler.engine.scraper.slot.itemproc_size
        except (RuntimeError, AttributeError):  # no engine (a direct caller): cannot tell
            return False
        return self._batched + self._parked >= in_process

    def _flush(self) -> None:
        """Start writing the current batch (on the database thread, retried on an outage)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._batch:
            return
        batch, self._batch, self._batched = self._batch, [], 0
        self.stats.inc_value(runstats.WRITE_BATCHES)
        write = asyncio.get_running_loop().create_task(self._write_batch([i for i, _ in batch]))
        self._writing.add(write)
        write.add_done_callback(self._writing.discard)
        write.add_done_callback(lambda finished: _settle(batch, finished))

    async def _write_batch(self, batch: list[Article | FetchFailure]) -> list[ItemResult]:
        """Write the batch; what an outage leaves unwritten after the retries is spooled.

        An unexpected error (a bug) writing the batch together costs only its culprit: the
        items are then written each on its own, and the one that fails is recorded as a
        fetch error, as a refused page is.
        """
        assert self.store is not None
        results: dict[int, ItemResult] = {}
        articles = BatchWrite(
            self.store, [item for item in batch if isinstance(item, Article)], self.run_id
        )
        try:
            try:
                await self._retried(batch, articles, results, together=True)
            except DatabaseUnavailable:
                raise
            except Exception as exc:
                logger.error(
                    "could not write a batch of %d items together (%s: %s); writing each alone",
                    len(batch), type(exc).__name__, exc,
                )  # fmt: skip
                await self._retried(batch, articles, results, together=False)
        except DatabaseUnavailable as exc:
            unwritten = [item for item in batch if id(item) not in results]
            await self._db(self._spool, unwritten, exc)
            results.update(dict.fromkeys(map(id, unwritten), SPOOLED))
            if isinstance(exc, DatabaseMisconfigured):
                self._stop_misconfigured(exc)
        return [results[id(item)] for item in batch]

    def _stop_misconfigured(self, exc: DatabaseMisconfigured) -> None:
        """Retrying cannot mend a misconfigured database: stop the crawl (exit 2), once;
        what it had fetched waits in the spool until the database is fixed."""
        engine = self.crawler.engine
        if engine is None or engine.spider is None or self.stopping:
            return
        self.stopping = True
        self.stats.set_value(runstats.STOPPED_BY, str(exc))
        logger.error("stopped the crawl: %s", exc)
        asyncio.get_running_loop().create_task(
            engine.close_spider_async(reason=runstats.DATABASE_MISCONFIGURED)
        )

    async def _retried(
        self,
        batch: list[Article | FetchFailure],
        articles: BatchWrite,
        results: dict[int, ItemResult],
        *,
        together: bool,
    ) -> None:
        await self.retry.run(
            lambda: self._db(self._write_unwritten, batch, articles, results, together),
            lambda: self.stats.inc_value(runstats.RETRIED),
        )

    def _write_unwritten(
        self,
        batch: list[Article | FetchFailure],
        articles: BatchWrite,
        results: dict[int, ItemResult],
        together: bool,
    ) -> None:
        """On the database thread: the batch's articles not yet written (``together``: in
        one transaction), then its failures (``together``: in one more); each result goes
        into ``results`` as it is committed (a retry skips those).

        A page whose data the database refuses makes the transaction fail: the articles are
        then written one by one, so only that page is refused. An outage raises
        ``DatabaseUnavailable`` with what was written so far in ``results``.
        """
        todo = [i for i, article in enumerate(articles.articles) if id(article) not in results]
        try:
            if together and todo:
                try:
                    with db.database_errors(self.url):
                        articles.write(todo)
                except DataRejected:
                    pass  # written one by one below
            for position in todo:
                if position not in articles.outcomes:
                    article = articles.articles[position]
                    self._write_alone(article, results, partial(articles.write_one, position))
        finally:
            results.update((id(articles.articles[i]), o) for i, o in articles.outcomes.items())
        failures = [i for i in batch if isinstance(i, FetchFailure) and id(i) not in results]
        if together and len(failures) > 1:
            assert self.store is not None
            try:
                with db.database_errors(self.url):
                    runs.record_errors(self.store.sessions, failures, self.run_id)
            except DataRejected:
                pass  # written one by one below
            else:
                results.update(dict.fromkeys(map(id, failures)))
                failures = []
        for item in failures:
            self._write_alone(item, results, partial(self._write, item))

    def _write_alone(
        self,
        item: Article | FetchFailure,
        results: dict[int, ItemResult],
        write: Callable[[], Outcome | None],
    ) -> None:
        """One item's write, whose refusal or unexpected error is that item's result alone;
        an outage raises."""
        try:
            with db.database_errors(self.url):
                results[id(item)] = write()
        except DataRejected as exc:
            results[id(item)] = exc
        except DatabaseUnavailable:
            raise
        except Exception as exc:
            logger.exception("could not store %s", item.url)
            results[id(item)] = exc

    def _spool(self, items: list[Article | FetchFailure], exc: Exception) -> None:
        for item in items:
            self.spool.append(item)
        if isinstance(exc, DatabaseMisconfigured):  # the error line is _stop_misconfigured's
            logger.warning("spooled %d item(s) to %s", len(items), self.spool.path)
            return
        logger.error(
            "database unavailable, spooled %d item(s) (%s …) to %s: %s",
            len(items), items[0].url, self.spool.path, exc,
        )  # fmt: skip

    async def close_spider(self) -> None:
        self._flush()  # nothing should be left (each item waits for its batch); to be sure
        if self._writing:
            await asyncio.wait(self._writing)

    async def spider_closed(self, spider: Any, reason: str) -> None:
        await self.close_spider()
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
            with db.database_errors(self.url):
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


def _settle(
    batch: list[tuple[Article | FetchFailure, asyncio.Future[ItemResult]]],
    write: asyncio.Task[list[ItemResult]],
) -> None:
    """Give each waiting item its result (or the batch's unexpected error: a bug)."""
    error = write.exception() if not write.cancelled() else None
    results = write.result() if error is None and not write.cancelled() else None
    for position, (_item, done) in enumerate(batch):
        if done.done():
            continue
        if results is not None:
            done.set_result(results[position])
        else:
            done.set_exception(error or RuntimeError("the batch write was cancelled"))
