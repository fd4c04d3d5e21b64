"""A crawl for ``test_store_batches``: run in its own interpreter (Scrapy's reactor runs
once per process), it prints the crawl's stats as JSON.

The spider yields an article with two notes and a second article. A pipeline before the
store holds the second one until the store has taken both notes (its debug line for each),
as a page still being analysed is held: whether the notes were written before the second
article arrived shows in how many batches the crawl wrote. The first article is written
when the interval is up (the second one is in the pipelines) or at once (it is not yet).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from typing import Any, ClassVar

from scrapy import Spider
from scrapy.crawler import CrawlerProcess

from newsclaims.records import Article, Paragraph


class NotesTaken(logging.Handler):
    """Sets ``taken`` once the store pipeline has queued ``count`` skipped notes."""

    def __init__(self, count: int) -> None:
        super().__init__(logging.DEBUG)
        self.count = count
        self.taken: asyncio.Event | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("skipped "):
            self.count -= 1
            if self.count == 0:
                self.taken = self.taken or asyncio.Event()
                self.taken.set()


def article(name: str, notes: list[str]) -> Article:
    url = f"http://www.ibtimes.test/{name}"
    return Article(
        url=url, canonical_url=url, source="ibtimes", title=name, notes=notes,
        paragraphs=[Paragraph(position=0, text=f'"We keep the port {name} open," she said.')],
    )  # fmt: skip


HANDLER = NotesTaken(2)


class TwoArticles(Spider):
    name = "batches"
    start_urls: ClassVar = ["data:,page"]

    def parse(self, response: Any, **kwargs: Any) -> Any:
        yield article("with-notes", ["quotes capped at 1", "a second note"])
        yield article("later", [])


class HoldTheSecond:
    """Holds the article without notes until the store has taken the other one's notes."""

    async def process_item(self, item: Article) -> Article:
        if not item.notes:
            HANDLER.taken = HANDLER.taken or asyncio.Event()
            await HANDLER.taken.wait()
        return item


def main(url: str, sources: str, spool: str) -> None:
    store_logger = logging.getLogger("newsclaims.pipelines.store")
    store_logger.addHandler(HANDLER)
    store_logger.setLevel(logging.DEBUG)
    process = CrawlerProcess(
        {
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
            "ITEM_PIPELINES": {
                f"{__name__}.HoldTheSecond": 100,
                "newsclaims.pipelines.store.StorePipeline": 900,
            },
            "NEWSCLAIMS_DATABASE_URL": url,
            "NEWSCLAIMS_SOURCES": sources,
            "NEWSCLAIMS_SPOOL_DIR": spool,
            "NEWSCLAIMS_WRITE_BATCH": 50,
            # The notes' batch must not wait this long: the second article, let through once
            # both notes are in the batch, arrives a few loop turns later.
            "NEWSCLAIMS_WRITE_INTERVAL": 5,
            "NEWSCLAIMS_LOCK_TTL": 3600,
            "LOG_LEVEL": "INFO",
        }
    )
    crawler = process.create_crawler(TwoArticles)
    process.crawl(crawler)
    process.start()
    print(json.dumps(crawler.stats.get_stats(), default=str))


if __name__ == "__main__":
    main(*sys.argv[1:])
