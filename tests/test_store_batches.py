"""The crawl's store pipeline writes in batches: one transaction for many articles, and a
page the database refuses costs only that page, never its batch-mates."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler
from sqlalchemy import event, func, select

from newsclaims import models, runstats
from newsclaims.pipelines.store import StorePipeline
from newsclaims.records import Article, FetchFailure, Quote
from newsclaims.storage import database as db
from newsclaims.storage.spool import Spool

from .conftest import FIXTURE_SOURCES, news_article


def _crawler(db_url: str, tmp_path: Any, **settings: Any) -> Any:
    crawler = get_crawler(
        Spider,
        {
            "NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES),
            "NEWSCLAIMS_DATABASE_URL": db_url,
            "NEWSCLAIMS_SPOOL_DIR": str(tmp_path / "spool"),
            **settings,
        },
    )
    crawler.spider = Spider("news")
    crawler.stats.open_spider()
    return crawler


def _articles(count: int) -> list[Article]:
    return [
        news_article(f"story-{n}", "batch", [f'The minister said "we act today, number {n}".'])
        for n in range(count)
    ]


def _run(crawler: Any, items: list[Any], commits: list[int] | None = None) -> list[Any]:
    """Open the pipeline, hand it the items at once (as concurrent Scrapy items), close."""

    async def run() -> list[Any]:
        store = StorePipeline.from_crawler(crawler)
        await store.open_spider()

        def count(_connection: Any) -> None:
            if commits is not None:
                commits.append(1)

        assert store.store is not None
        event.listen(store.store.engine, "commit", count)
        results = await asyncio.gather(*map(store.process_item, items))
        event.remove(store.store.engine, "commit", count)  # the items' writes only
        await store.close_spider()
        await store.spider_closed(crawler.spider, "finished")
        return list(results)

    return asyncio.run(run())


def _count(url: str, model: Any) -> int:
    engine = db.make_engine(url)
    try:
        with db.make_sessionmaker(engine)() as session:
            return session.scalar(select(func.count()).select_from(model)) or 0
    finally:
        engine.dispose()


def test_a_batch_of_articles_is_one_transaction(db_url, tmp_path):
    # (a run's heartbeat is a transaction too: none during the test)
    crawler = _crawler(db_url, tmp_path, NEWSCLAIMS_WRITE_BATCH=6, NEWSCLAIMS_LOCK_TTL=3600)
    failure = FetchFailure(url="https://batch.example/gone", reason="HTTP 404", status=404)
    commits: list[int] = []
    results = _run(crawler, [*_articles(5), failure], commits)
    assert _count(db_url, models.Article) == 5
    assert _count(db_url, models.FetchError) == 1
    # One transaction for the five articles, one for the failure (runs.record_error); one
    # per article was six.
    assert len(commits) == 2
    assert all(isinstance(r, Article | FetchFailure) for r in results)
    stats = crawler.stats
    assert stats.get_value(runstats.STORED) == 5 and stats.get_value(runstats.ERRORS) == 1


def test_the_interval_writes_a_batch_that_never_fills(db_url, tmp_path):
    crawler = _crawler(db_url, tmp_path, NEWSCLAIMS_WRITE_BATCH=1000, NEWSCLAIMS_WRITE_INTERVAL=0.2)
    _run(crawler, _articles(3))
    assert _count(db_url, models.Article) == 3
    assert crawler.stats.get_value(runstats.STORED) == 3


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_refused_page_costs_only_itself_not_its_batch(db_url, tmp_path):
    good = _articles(3)
    refused = news_article("refused", "batch", ['He said "the port stays open".'])
    refused.quotes = [
        Quote(quote="the port stays open", kind="direct", speaker="Ana Vidal", paragraph=0,
              start=9, end=2**40)  # an integer column: PostgreSQL refuses the value
    ]  # fmt: skip
    crawler = _crawler(db_url, tmp_path, NEWSCLAIMS_WRITE_BATCH=4)
    results = _run(crawler, [good[0], refused, *good[1:]])
    engine = db.make_engine(db_url)
    try:
        with db.make_sessionmaker(engine)() as session:
            stored = set(session.scalars(select(models.Article.url)))
            errors = list(session.scalars(select(models.FetchError)))
    finally:
        engine.dispose()
    assert stored == {str(a.url) for a in good}
    assert [e.url for e in errors] == [str(refused.url)]
    assert errors[0].reason.startswith("could not store: ")
    assert isinstance(results[1], FetchFailure)  # what Scrapy (and the page state) sees
    assert len(Spool(str(tmp_path / "spool"))) == 0
    stats = crawler.stats
    assert stats.get_value(runstats.STORED) == 3 and stats.get_value(runstats.ERRORS) == 1
    assert stats.get_value(runstats.SPOOLED) is None
