"""A periodic one-line progress report, so a long crawl shows it is alive and how it goes."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsclaims import runstats
from newsclaims.runstats import progress_line

logger = logging.getLogger("newsclaims.crawl.progress")


class Progress:
    def __init__(self, crawler: Any, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        # The newsclaims CLI keeps Scrapy's log quiet and prints progress on stderr instead.
        self.to_stderr = crawler.settings.getbool(
            "NEWSCLAIMS_PROGRESS_TO_STDERR"
        ) and not crawler.settings.getbool("NEWSCLAIMS_LOG_JSON")
        # --log-json runs at the CLI's WARNING level and still wants its progress events.
        self.level = (
            logging.WARNING if crawler.settings.getbool("NEWSCLAIMS_LOG_JSON") else logging.INFO
        )
        self.task: asyncio.Task[None] | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        interval = crawler.settings.getfloat("NEWSCLAIMS_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval)

    def spider_opened(self, spider: Any) -> None:
        self.task = asyncio.get_event_loop().create_task(self._report())

    async def _report(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            line = progress_line(self.crawler.stats.get_stats())
            if self.to_stderr:
                print(f"… {line}", file=sys.stderr, flush=True)
            else:
                counts = runstats.counts(self.crawler.stats.get_stats())
                logger.log(self.level, "progress: %s", line, extra={"fields": {"counts": counts}})

    def spider_closed(self, spider: Any) -> None:
        if self.task is not None:
            self.task.cancel()
