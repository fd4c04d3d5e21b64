"""A crawl for ``test_crawl_memory``: run in its own interpreter (Scrapy's reactor runs once
per process), it prints as JSON how many bytes of downloaded pages the crawl held at most
while they waited for the analysis, and its counts.

Usage: python -m tests.held_pages_crawl SOURCES DB_URL PROXY SPOOL [SETTING=VALUE ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from newsclaims.crawl.runner import run_crawl
from newsclaims.settings import EXTENSIONS

HELD = {"bytes": 0, "pages": 0, "texts": 0}


class HeldPages:
    """Reads Scrapy's scraper slot (the responses downloaded and not yet through the
    pipelines) as each response lands, counting that response as the slot is about to."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HeldPages:
        probe = cls(crawler)
        crawler.signals.connect(probe.response_received, signal=signals.response_received)
        for signal in (signals.item_scraped, signals.item_dropped):
            crawler.signals.connect(probe.item_done, signal=signal)
        return probe

    def item_done(self, response: Any, **_: Any) -> None:
        """Count the pages whose decoded text was still on their response (Scrapy's cache of
        ``response.text``) when their item was done: the crawl's process never needs it."""
        if getattr(response, "_cached_ubody", None) is not None:
            HELD["texts"] += 1

    def response_received(self, response: Response, **_: Any) -> None:
        engine = self.crawler.engine
        if engine is None or engine.scraper.slot is None:
            return
        slot = engine.scraper.slot
        landing = max(len(response.body), slot.MIN_RESPONSE_SIZE)
        HELD["bytes"] = max(HELD["bytes"], slot.active_size + landing)
        HELD["pages"] = max(HELD["pages"], len(slot.active) + 1)


if __name__ == "__main__":
    sources, url, proxy, spool, *extra = sys.argv[1:]
    overrides: dict[str, Any] = {
        "NEWSCLAIMS_SPOOL_DIR": spool,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "EXTENSIONS": {**EXTENSIONS, "tests.held_pages_crawl.HeldPages": 900},
    }
    for setting in extra:
        name, value = setting.split("=", 1)
        overrides[name] = int(value) if value.isdigit() else value
    summary = run_crawl(Path(sources), url, proxy=proxy, overrides=overrides)
    from tests.held_pages_crawl import HELD as held  # the module Scrapy loaded, not __main__

    print(json.dumps({"held": held, "counts": summary.counts, "ok": summary.ok}))
