"""Read archives record by record, analyse in a process pool, store in batched transactions.

The parent process only reads records (headers and bytes) and writes to the database, and
never imports the analysis (``archives.worker``); every page is analysed in a worker by
``archives.analyse`` → ``pages.analyse.analyse_page``, and stored by
``storage.writer.BatchWrite`` (``write_article``'s steps, many articles per transaction). Pages go to the pool ``PAGES_PER_TASK`` at a time; at most
``workers × IN_FLIGHT_PER_WORKER`` pages are in flight (and ``REORDER_TASKS`` times as many
tasks may wait, finished, behind an earlier one), so memory is flat whatever the
archive's size, and workers are replaced after ``TASKS_PER_WORKER`` pages so no
worker-side cache grows without bound. Results are written in the archive's order, not as
workers finish them (a claim takes the wording of the mention written first, so that order
decides it): the same archive gives the same rows with any number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from newsclaims import memory, runstats
from newsclaims.archives.reader import read_paths
from newsclaims.archives.records import ArchivedPage, Damaged, Skipped
from newsclaims.archives.sources import SourceMatcher
from newsclaims.archives.worker import Crashed, PageResult, analyse_in_worker, init_worker
from newsclaims.config.sources import SourcesFile
from newsclaims.pages.options import AnalysisOptions
from newsclaims.records import Article, FetchFailure
from newsclaims.storage import database as db
from newsclaims.storage import runs
from newsclaims.storage.articles import ArticleStore, Outcome
from newsclaims.storage.errors import DataRejected
from newsclaims.storage.writer import BatchWrite

IN_FLIGHT_PER_WORKER = 8
TASKS_PER_WORKER = 500
PAGES_PER_TASK = 4
"""Pages per pool task: each task costs the parent a future, a hand-off through the
pool's feeder and result threads and a wake-up of the reading loop, and the worker a
pickled reply; four pages per task share those (one page per task is what it was)."""
REORDER_TASKS = 4
"""Finished tasks held back behind an unfinished earlier one, per task in flight: the
workers go on past a slow page while its results wait, with memory still bounded."""
BATCH_SIZE = 50
BATCH_SECONDS = 2.0

RECORDS = "ingest/records"
DAMAGED = "ingest/damaged"
SKIPPED = "ingest/skipped"  # + "/" + the record kind (revisit, request, not_html, …)

OUTCOME_STATS = {
    Outcome.STORED: runstats.STORED,
    Outcome.UPDATED: runstats.UPDATED,
    Outcome.UNCHANGED: runstats.UNCHANGED,
    Outcome.DUPLICATE: runstats.DUPLICATES,
}
VERDICT_STATS = {
    "off_topic": runstats.OFF_TOPIC,
    "not_article": runstats.NOT_ARTICLE,
}


@dataclass
class IngestSummary:
    stats: Counter[str] = field(default_factory=Counter)
    damaged: list[Damaged] = field(default_factory=list)
    seconds: float = 0.0
    pool_broken: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return runstats.counts(self.stats)

    @property
    def skipped(self) -> dict[str, int]:
        prefix = SKIPPED + "/"
        return {k[len(prefix) :]: v for k, v in sorted(self.stats.items()) if k.startswith(prefix)}

    def progress_line(self) -> str:
        records = self.stats[RECORDS]
        stored = self.stats[runstats.STORED] + self.stats[runstats.UPDATED]
        rate = records / self.seconds if self.seconds else 0.0
        return (
            f"records {records} · pages {self.stats[runstats.FETCHED]} · stored {stored} · "
            f"unchanged {self.stats[runstats.UNCHANGED]} · damaged {self.stats[DAMAGED]} · "
            f"{rate:.1f} records/s"
        )


Report = Callable[[str], None]
Tasks = deque[tuple[Future[list[PageResult | Crashed]], int]]
"""Pool tasks in the archive's order, each with its page count."""


class Ingest:
    """One ingest run into one database; ``run(paths)`` does the work."""

    def __init__(
        self,
        url: str,
        config: SourcesFile | None,
        options: AnalysisOptions,
        *,
        source: str | None = None,
        workers: int = 2,
        batch_size: int = BATCH_SIZE,
        progress: Report | None = None,
        progress_interval: float = 10.0,
        warn: Report | None = None,
    ) -> None:
        self.url = url
        self.config = config
        self.options = options
        self.matcher = SourceMatcher.from_config(config, source)
        self.workers = max(1, workers)
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.progress_interval = progress_interval
        self.warn = warn or (lambda _line: None)
        self.summary = IngestSummary()
        self._batch: list[Article] = []
        self._batch_started = time.monotonic()
        # Writes run on one thread of their own, so the pool is fed while a batch commits;
        # at most one batch waits behind the one being written (memory stays bounded).
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsclaims-db")
        self._writes: list[Future[None]] = []

    # -- the run ------------------------------------------------------------------------
    def run(self, paths: Iterable[Path]) -> IngestSummary:
        started = time.monotonic()
        with db.database_errors(self.url):
            self.store = ArticleStore(db.make_engine(self.url))
            db.require_current_schema(self.store.engine)
            if self.config is not None:
                self.store.ensure_sources(
                    (s.name, s.display_name, s.domains[0] if s.domains else None)
                    for s in self.config.sources
                )
            self.run_id = runs.start_run(self.store.sessions, "ingest")
        pool = self._new_pool()
        in_flight: Tasks = deque()  # in the archive's order
        most_tasks = max(1, self.workers * IN_FLIGHT_PER_WORKER // PAGES_PER_TASK)
        pages: list[ArchivedPage] = []
        last_report = started
        status = "failed"
        try:
            for event in read_paths(paths):
                self.summary.stats[RECORDS] += 1
                if isinstance(event, ArchivedPage):
                    self.summary.stats[runstats.FETCHED] += 1
                    pages.append(event)
                    if len(pages) >= PAGES_PER_TASK:
                        pool, future = self._submit(pool, pages)
                        in_flight.append((future, len(pages)))
                        pages = []
                        self._collect(in_flight, most_tasks)
                elif isinstance(event, Skipped):
                    self.summary.stats[f"{SKIPPED}/{event.kind}"] += 1
                else:
                    self._damaged(event)
                now = time.monotonic()
                if now - self._batch_started >= BATCH_SECONDS and self._batch:
                    self._flush()
                if self.progress and now - last_report >= self.progress_interval:
                    self.summary.seconds = now - started
                    self.progress(self.summary.progress_line())
                    last_report = now
            if pages:
                pool, future = self._submit(pool, pages)
                in_flight.append((future, len(pages)))
            self._collect(in_flight, 0)
            self._flush()
            self._wait_for_writes(0)
            status = "finished"
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self._writer.shutdown(wait=True, cancel_futures=True)
            self.summary.seconds = time.monotonic() - started
            self._finish(status)
        return self.summary

    def _new_pool(self) -> ProcessPoolExecutor:
        # forkserver, as the crawl's pool: workers start clean and are recycled. The
        # forkserver loads the analysis and the language model once (pages.preload), so a
        # worker is forked with them in place: each used to import them itself, ~0.8 s of
        # CPU per worker, i.e. every TASKS_PER_WORKER pages (no-op if it already runs).
        memory.return_large_blocks()  # for this process, the forkserver and the workers
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(
            ["__main__", "newsclaims.archives.analyse", "newsclaims.pages.preload"]
        )
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(self.options, self.matcher, os.getpid()),
            max_tasks_per_child=max(1, TASKS_PER_WORKER // PAGES_PER_TASK),
        )

    def _submit(
        self, pool: ProcessPoolExecutor, pages: list[ArchivedPage]
    ) -> tuple[ProcessPoolExecutor, Future[list[PageResult | Crashed]]]:
        try:
            return pool, pool.submit(analyse_in_worker, pages)
        except BrokenProcessPool:
            self.summary.pool_broken = True
            self.warn("an analysis worker died; starting a new pool")
            pool.shutdown(wait=False, cancel_futures=True)
            pool = self._new_pool()
            return pool, pool.submit(analyse_in_worker, pages)

    # -- results --------------------------------------------------------------------------
    def _collect(self, in_flight: Tasks, most_tasks: int) -> None:
        """Take the results of the tasks at the head of ``in_flight`` that are finished,
        in order; wait while ``most_tasks`` or more are unfinished, or while too many
        finished ones wait behind an unfinished head (``most_tasks`` 0: wait for all)."""
        held = max(1, most_tasks) * REORDER_TASKS
        while True:
            while in_flight and in_flight[0][0].done():
                self._take(*in_flight.popleft())
            unfinished = [future for future, _ in in_flight if not future.done()]
            if not unfinished or (len(unfinished) < most_tasks and len(in_flight) < held):
                return
            waiting_on = unfinished if len(in_flight) < held else unfinished[:1]
            wait(waiting_on, return_when=FIRST_COMPLETED)

    def _take(self, future: Future[list[PageResult | Crashed]], count: int) -> None:
        """A finished task's results, each page as if it had been a task of its own."""
        try:
            results = future.result()
        except Exception as exc:  # a dead worker: every page of the task failed
            for _ in range(count):
                self._crashed(Crashed(type(exc).__name__, str(exc)))
            return
        for result in results:
            if isinstance(result, Crashed):
                self._crashed(result)
            else:
                self._result(result)

    def _crashed(self, crash: Crashed) -> None:
        """A bug in analysis or a dead worker: count, go on."""
        self.summary.stats[runstats.ERRORS] += 1
        self.warn(f"analysis failed: {crash.kind}: {crash.message}")

    def _result(self, result: PageResult) -> None:
        stats = self.summary.stats
        stats[runstats.PARAGRAPHS_DROPPED] += result.repeated_paragraphs
        if result.verdict == "article":
            assert result.article is not None
            stats[runstats.QUOTES_FOUND] += len(result.article.quotes)
            self._batch.append(result.article)
            if len(self._batch) >= self.batch_size:
                self._flush()
        elif result.verdict in VERDICT_STATS:
            stats[VERDICT_STATS[result.verdict]] += 1
        elif result.verdict == "not_html":
            stats[f"{SKIPPED}/not_html"] += 1
        else:
            stats[runstats.ERRORS] += 1
            self._record_error(result.url or result.origin, result.reason or "failed", result)

    def _damaged(self, event: Damaged) -> None:
        self.summary.stats[DAMAGED] += 1
        self.summary.stats[runstats.ERRORS] += 1
        if len(self.summary.damaged) < 1000:
            self.summary.damaged.append(event)
        self.warn(
            f"{event.origin}: damaged record skipped at offset {event.offset}: {event.reason}"
        )
        self._record_error(event.origin, f"damaged record: {event.reason}", None)

    def _record_error(self, url: str, reason: str, result: PageResult | None) -> None:
        failure = FetchFailure(url=url, reason=reason, source=result.source if result else None)

        def record() -> None:
            with db.database_errors(self.url):
                runs.record_error(self.store.sessions, failure, self.run_id)

        self._writes.append(self._writer.submit(record))  # in order with the article writes

    def _flush(self) -> None:
        self._batch_started = time.monotonic()
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        self._wait_for_writes(1)
        self._writes.append(self._writer.submit(self._write, batch))

    def _wait_for_writes(self, pending: int) -> None:
        """Wait until at most ``pending`` batches are still being written; a failed write
        (the database went away) raises here, in the reading loop."""
        while len(self._writes) > pending:
            self._writes.pop(0).result()

    def _write(self, batch: list[Article]) -> None:
        """The batch in one transaction; a page the database refuses is recorded as a fetch
        error and costs only itself. Each commit counts as it lands (``BatchWrite``), so a
        write cut short by an outage leaves no stored page uncounted."""
        write = BatchWrite(self.store, batch, self.run_id)
        try:
            try:
                with db.database_errors(self.url):
                    write.write()
            except DataRejected:
                for position in write.unwritten():
                    try:
                        with db.database_errors(self.url):
                            write.write_one(position)
                    except DataRejected as exc:
                        self._refused(batch[position], exc)
        finally:
            for position, outcome in write.outcomes.items():
                self.summary.stats[OUTCOME_STATS[outcome]] += 1
                if outcome in (Outcome.STORED, Outcome.UPDATED):
                    self.summary.stats[runstats.QUOTES_STORED] += len(batch[position].quotes)

    def _refused(self, article: Article, exc: DataRejected) -> None:
        """A page whose data the database refused: a fetch error, as in the crawl."""
        self.summary.stats[runstats.ERRORS] += 1
        self.warn(f"could not store {article.url}: {exc}")
        failure = FetchFailure(
            url=str(article.url),
            reason=f"could not store: {exc}",
            status=article.http_status,
            source=article.source,
        )
        with db.database_errors(self.url):
            runs.record_error(self.store.sessions, failure, self.run_id)

    def _finish(self, status: str) -> None:
        if not hasattr(self, "run_id"):
            return
        try:
            with db.database_errors(self.url):
                runs.finish_run(
                    self.store.sessions, self.run_id, status, runstats.run_row(self.summary.stats)
                )
        finally:
            self.store.engine.dispose()
