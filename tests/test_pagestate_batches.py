"""The crawl's page-state recorder writes what is queued in one transaction: many pages
per commit, every page recorded by the close, later writes of a URL still winning, and
one refused record not costing the others in its batch."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from newsclaims import models
from newsclaims.crawl.incremental import LINKS, Incremental
from newsclaims.records import FetchFailure
from newsclaims.storage import database as db
from newsclaims.storage import pagestate


def _middleware(db_url: str, **settings: Any) -> tuple[Incremental, Spider]:
    # A batch waits a minute for more (the close writes at once): which writes share a
    # transaction does not depend on how fast a loaded machine runs the test.
    crawler = get_crawler(
        Spider,
        {
            "NEWSCLAIMS_INCREMENTAL": True,
            "NEWSCLAIMS_DATABASE_URL": db_url,
            "NEWSCLAIMS_PAGESTATE_INTERVAL": 60,
            **settings,
        },
    )
    spider = Spider("news")
    crawler.spider = spider
    return Incremental.from_crawler(crawler), spider


def _finished(url: str, headers: dict[str, str] | None = None) -> HtmlResponse:
    """A page whose item is done, with the links the spider found on it."""
    response = HtmlResponse(url, body=b"<html></html>", headers=headers, request=Request(url))
    response.meta[LINKS] = [f"{url}/next"]
    return response


def _off_topic(url: str) -> FetchFailure:
    return FetchFailure(url=url, reason="off topic: score 0.0", skipped=True)


def _rows(db_url: str) -> dict[str, models.PageState]:
    engine = db.make_engine(db_url)
    try:
        with db.make_sessionmaker(engine)() as session:
            return {row.url: row for row in session.scalars(select(models.PageState))}
    finally:
        engine.dispose()


async def _open(middleware: Incremental, spider: Spider) -> None:
    await middleware.spider_opened(spider)


async def _close(middleware: Incremental, spider: Spider) -> None:
    await middleware.spider_closed(spider)


def test_pages_finished_together_share_transactions_and_all_land_by_the_close(db_url):
    middleware, spider = _middleware(db_url, NEWSCLAIMS_PAGESTATE_BATCH=50)
    asyncio.run(_open(middleware, spider))
    urls = [f"http://gen.test/news/{n}.html" for n in range(400)]

    def finish(part: list[str]) -> None:  # items finishing while the recorder writes
        for url in part:
            middleware.item_scraped(_off_topic(url), _finished(url), spider)

    threads = [threading.Thread(target=finish, args=(urls[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    asyncio.run(_close(middleware, spider))

    rows = _rows(db_url)
    assert set(rows) == set(urls)
    assert all(row.outcome == "off_topic" for row in rows.values())
    assert rows[urls[7]].links == f"{urls[7]}/next"
    assert middleware.batches <= len(urls) // 50 + 4  # not one transaction per page
    assert middleware.batches >= len(urls) // 50  # at most 50 writes in one


def test_writes_of_one_url_in_one_batch_keep_their_order(db_url):
    middleware, spider = _middleware(db_url)
    asyncio.run(_open(middleware, spider))
    url = "http://gen.test/news/again.html"
    middleware.item_scraped(_off_topic(url), _finished(url), spider)
    failure = FetchFailure(url=url, reason="HTTP 500", status=500)
    middleware.item_scraped(failure, _finished(url), spider)  # the later record wins
    confirmed = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    middleware._submit(pagestate.confirm, {url}, confirmed, None)  # and then a 304
    other = "http://gen.test/news/other.html"
    middleware.item_scraped(_off_topic(other), _finished(other), spider)
    asyncio.run(_close(middleware, spider))

    rows = _rows(db_url)
    assert rows[url].outcome == "error"
    assert rows[url].checked_at == confirmed
    assert rows[other].outcome == "off_topic"
    assert middleware.batches == 1


@pytest.mark.postgres
def test_a_refused_record_costs_only_its_own_page(postgres_url):
    """(PostgreSQL: SQLite stores a string of any length, nothing is refused.)"""
    db_url = postgres_url
    middleware, spider = _middleware(db_url)
    asyncio.run(_open(middleware, spider))
    good = [f"http://gen.test/news/{n}.html" for n in range(5)]
    bad = "http://gen.test/news/odd-header.html"
    for url in [*good[:2], bad, *good[2:]]:
        headers = {"Last-Modified": "x" * 200} if url == bad else None  # over String(64)
        middleware.item_scraped(_off_topic(url), _finished(url, headers), spider)
    asyncio.run(_close(middleware, spider))

    assert set(_rows(db_url)) == set(good)


@pytest.mark.postgres
def test_two_workers_recording_the_same_pages_in_any_order_do_not_deadlock(postgres_url):
    """Distributed workers share one PostgreSQL; a batch is a transaction of many upserts,
    so two batches touching the same rows in opposite orders could each wait for the other
    (PostgreSQL then kills one: a whole batch of records lost). Rows are written in one
    order, whatever order the pages finished in. (SQLite runs one writer at a time.)"""
    db_url = postgres_url
    engine = db.make_engine(db_url)
    sessions = db.make_sessionmaker(engine)
    urls = [f"http://gen.test/news/{n}.html" for n in range(400)]
    errors: list[Exception] = []

    def batch(order: list[str], start: threading.Barrier) -> None:
        now = datetime.now(UTC)
        records = [pagestate.PageRecord(url=url, outcome="stored", checked_at=now) for url in order]
        start.wait()
        try:
            with db.database_errors(), sessions.begin() as session:
                pagestate.record(session, records, None)
        except Exception as exc:
            errors.append(exc)

    try:
        for _ in range(10):
            start = threading.Barrier(2)
            workers = [
                threading.Thread(target=batch, args=(order, start)) for order in (urls, urls[::-1])
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
    finally:
        engine.dispose()
    assert errors == []
    assert set(_rows(db_url)) == set(urls)
