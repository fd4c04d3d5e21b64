"""Run the news spider to completion in this process (what ``newsclaims crawl`` does)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from newsclaims import runstats
from newsclaims.crawl import jsonlog
from newsclaims.crawl.lease import crawl_lease, stop_when_lost
from newsclaims.settings import EXTENSIONS
from newsclaims.spiders.news import NewsSpider
from newsclaims.storage.errors import EXIT_USAGE
from newsclaims.storage.owners import make_owner
from newsclaims.storage.spool import Spool


@dataclass(frozen=True)
class CrawlSummary:
    """How a crawl ended and what it counted (``runstats.COUNTERS`` by name)."""

    finish_reason: str
    counts: dict[str, int]
    pending_in_spool: int = 0
    signal: int | None = None
    """The signal (SIGINT, SIGTERM) that stopped the crawl, if one did."""
    failed_checks: tuple[str, ...] = ()
    """The sources file's [checks] this run failed, one line each."""
    stopped_by: str | None = None
    """The error that stopped the crawl early (a misconfigured database), if one did."""

    @property
    def status(self) -> str:
        """What the run row says: finished, failed, failed_checks, interrupted, spooled, or
        Scrapy's reason."""
        status = runstats.run_status(self.finish_reason, self.counts, self.pending_in_spool)
        return "failed_checks" if status == "finished" and self.failed_checks else status

    @property
    def failure(self) -> str | None:
        """Why the run failed although it ran to its end (nothing fetched, only errors)."""
        if self.status != "failed":
            return None
        return runstats.failure_reason(self.counts)

    @property
    def ok(self) -> bool:
        return self.status == "finished"

    @property
    def exit_code(self) -> int:
        """0 ok, 128 + the signal when interrupted (130 SIGINT, 143 SIGTERM), 2 when the
        database turned out misconfigured, else 1."""
        if self.signal is not None:
            return 128 + self.signal
        if self.finish_reason == runstats.DATABASE_MISCONFIGURED:
            return EXIT_USAGE
        return 0 if self.ok else 1

    def __getitem__(self, name: str) -> int:
        return self.counts[name]


def redis_settings(url: str) -> dict[str, Any]:
    """Scrapy settings making this crawl a worker on the shared frontier at ``url``."""
    return {
        "NEWSCLAIMS_REDIS_URL": url,
        "REDIS_URL": url,
        "SCHEDULER": "newsclaims.crawl.distributed.SharedScheduler",
        "SCHEDULER_QUEUE_CLASS": "newsclaims.crawl.distributed.TrackedQueue",
        "DUPEFILTER_CLASS": "newsclaims.crawl.distributed.ExpiringDupeFilter",
        "SCHEDULER_PERSIST": True,
        "EXTENSIONS": {**EXTENSIONS, "newsclaims.crawl.distributed.Frontier": 520},
    }


def crawl_settings(
    sources: Path, url: str, log_level: str, overrides: dict[str, Any] | None
) -> Settings:
    settings = Settings()
    settings.setmodule("newsclaims.settings", priority="project")
    settings.setdict(
        {
            "NEWSCLAIMS_DATABASE_URL": url,
            "NEWSCLAIMS_SOURCES": str(sources),
            "NEWSCLAIMS_AUTO_MIGRATE": False,
            "NEWSCLAIMS_PROGRESS_TO_STDERR": True,
            "LOG_LEVEL": log_level,
            **(overrides or {}),
        },
        priority="cmdline",
    )
    return settings


class _CrawlerProcess(CrawlerProcess):
    """Scrapy's process, remembering which signal asked it to stop (for the exit code).

    The first SIGINT/SIGTERM stops the crawl gracefully: no new requests, in-flight pages
    are finished and stored (or spooled); a second one forces the stop.
    """

    received: int | None = None

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.received = signum
        super()._signal_shutdown(signum, frame)


def run_crawl(
    sources: Path,
    url: str,
    *,
    proxy: str | None = None,
    redis: str | None = None,
    log_level: str = "WARNING",
    overrides: dict[str, Any] | None = None,
) -> CrawlSummary:
    """Crawl every source of the sources file into the database at ``url``."""
    if proxy:
        os.environ["http_proxy"] = proxy  # read by Scrapy's HttpProxyMiddleware
    owner = make_owner()
    overrides = {**(overrides or {}), **(redis_settings(redis) if redis else {})}
    settings = crawl_settings(sources, url, log_level, {**overrides, "NEWSCLAIMS_RUN_OWNER": owner})
    # A second run at once exits (LockHeld) instead of doing the same work (crawl/lease.py).
    with crawl_lease(settings, url, owner) as lease:
        if settings.getbool("NEWSCLAIMS_LOG_JSON"):
            settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
        process = _CrawlerProcess(settings)
        stop_when_lost(lease, process)  # another run took it: stop, it does the work
        if settings.getbool("NEWSCLAIMS_LOG_JSON"):
            jsonlog.install(log_level)
        crawler = process.create_crawler(NewsSpider)
        process.crawl(crawler, sources=str(sources))
        process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return CrawlSummary(
        finish_reason=str(stats.get("finish_reason", "unknown")),
        counts=runstats.counts(stats),
        pending_in_spool=len(Spool.for_database(settings.get("NEWSCLAIMS_SPOOL_DIR"), url)),
        signal=process.received,
        failed_checks=tuple(stats.get(runstats.FAILED_CHECKS) or ()),
        stopped_by=stats.get(runstats.STOPPED_BY),
    )
