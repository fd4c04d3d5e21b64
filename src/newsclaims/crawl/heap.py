"""The crawl's process leaves its long-lived objects out of the garbage collector's walks.

By the time the spider opens, Scrapy, Twisted, SQLAlchemy and newsclaims have made ~150,000
container objects (functions, classes, module dicts) that live as long as the process. Each
full collection of the cyclic collector walked all of them again: in a crawl of 895 real
pages, 10 full collections took 1.25 s of the process's 13.9 s of CPU (0.54 s of 12.9 s
frozen; bench/results/memory.txt). Frozen once the spider is open (``gc.freeze``), they are
skipped by every later collection; unfrozen when it closes, so a process that runs several
crawls (the tests) can collect them again. The freeze is process-wide: with several
crawlers in one process the first to close unfreezes them all (harmless: collections walk
them again), and an object alive at the freeze that later becomes cyclic garbage waits for
the close to be freed.
"""

from __future__ import annotations

import gc
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler


class FreezeHeap:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FreezeHeap:
        extension = cls()
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        gc.collect()  # garbage frozen now would never be freed
        gc.freeze()

    def spider_closed(self, spider: Any) -> None:
        gc.unfreeze()
