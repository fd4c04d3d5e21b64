"""The crawl's store pipeline writes in batches: one transaction for many articles, and a
page the database refuses costs only that page, never its batch-mates."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from newsclaims import models, runstats
from newsclaims.claims.article_keys import match_keys
from newsclaims.pipelines.store import StorePipeline
from newsclaims.records import Article, FetchFailure, Quote
from newsclaims.storage import database as db
from newsclaims.storage.spool import Spool

from .conftest import FIXTURE_SOURCES, news_article, store_crawler


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
    crawler = store_crawler(db_url, tmp_path, NEWSCLAIMS_WRITE_BATCH=6, NEWSCLAIMS_LOCK_TTL=3600)
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
    crawler = store_crawler(
        db_url, tmp_path, NEWSCLAIMS_WRITE_BATCH=1000, NEWSCLAIMS_WRITE_INTERVAL=0.2
    )
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
    crawler = store_crawler(db_url, tmp_path, NEWSCLAIMS_WRITE_BATCH=4)
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
    assert len(Spool.for_database(tmp_path / "spool", db_url)) == 0
    stats = crawler.stats
    assert stats.get_value(runstats.STORED) == 3 and stats.get_value(runstats.ERRORS) == 1
    assert stats.get_value(runstats.SPOOLED) is None


def _refused_by_both_backends(name: str) -> Article:
    """Two quotes at one place: the quotes' unique key refuses it on SQLite and PostgreSQL."""
    article = news_article(name, "batch", ['She said "the bridge reopens on Monday".'])
    article.quotes = [article.quotes[0], article.quotes[0].model_copy(update={"kind": "partial"})]
    return article


def _stored_urls_and_errors(url: str) -> tuple[set[str], list[models.FetchError]]:
    engine = db.make_engine(url)
    try:
        with db.make_sessionmaker(engine)() as session:
            stored = set(session.scalars(select(models.Article.url)))
            return stored, list(session.scalars(select(models.FetchError)))
    finally:
        engine.dispose()


def test_articles_committed_before_a_refused_one_count_as_stored(db_url, tmp_path):
    """A conflict sends the batch one article per transaction; the first two commit, the
    third is refused. Written again one by one, the two came back DUPLICATE: stored 0."""
    good = _articles(2)
    refused = _refused_by_both_backends("refused")
    crawler = store_crawler(db_url, tmp_path, NEWSCLAIMS_WRITE_BATCH=3)
    results = _run(crawler, [*good, refused])
    stored, errors = _stored_urls_and_errors(db_url)
    assert stored == {str(a.url) for a in good}
    assert [e.url for e in errors] == [str(refused.url)]
    assert isinstance(results[2], FetchFailure)
    stats = crawler.stats
    assert stats.get_value(runstats.STORED) == 2
    assert stats.get_value(runstats.QUOTES_STORED) == 2
    assert stats.get_value(runstats.DUPLICATES) is None
    assert stats.get_value(runstats.ERRORS) == 1


def test_a_commit_that_landed_but_raised_keeps_its_outcome_on_the_retry(db_url, tmp_path):
    """The connection drops as the batch commits: the rows are in, the pipeline saw an
    outage and retries. The retry finds the articles seen by this run; they were stored
    by the first attempt, not duplicates."""
    crawler = store_crawler(
        db_url,
        tmp_path,
        NEWSCLAIMS_WRITE_BATCH=3,
        NEWSCLAIMS_DB_WRITE_RETRIES=2,
        NEWSCLAIMS_DB_WRITE_BACKOFF=0,
        NEWSCLAIMS_LOCK_TTL=3600,
    )
    items = _articles(3)
    dropped: list[int] = []

    def drop_once(_session: Any) -> None:
        if not dropped:
            dropped.append(1)
            raise OperationalError("COMMIT", None, Exception("server closed the connection"))

    async def run() -> None:
        store = StorePipeline.from_crawler(crawler)
        await store.open_spider()
        assert store.store is not None
        event.listen(store.store.sessions, "after_commit", drop_once)
        await asyncio.gather(*map(store.process_item, items))
        event.remove(store.store.sessions, "after_commit", drop_once)
        await store.spider_closed(crawler.spider, "finished")

    asyncio.run(run())
    assert dropped == [1]
    assert _count(db_url, models.Article) == 3
    stats = crawler.stats
    assert stats.get_value(runstats.RETRIED) == 1
    assert stats.get_value(runstats.STORED) == 3 and stats.get_value(runstats.QUOTES_STORED) == 3
    assert stats.get_value(runstats.DUPLICATES) is None
    assert len(Spool.for_database(tmp_path / "spool", db_url)) == 0


def test_a_bug_writing_one_item_costs_only_that_item(db_url, tmp_path, caplog):
    """Keys that do not fit the article (an analysis bug) make the batch's claim step
    raise; the batch is written item by item, the culprit recorded as a fetch error."""
    good = _articles(3)
    culprit = news_article("culprit", "batch", ['He said "the ferry runs again".'])
    culprit.match_keys = match_keys(culprit).model_copy(update={"claim_sentences": ()})
    failure = FetchFailure(url="https://batch.example/gone", reason="HTTP 404", status=404)
    crawler = store_crawler(db_url, tmp_path, NEWSCLAIMS_WRITE_BATCH=5)
    results = _run(crawler, [good[0], culprit, *good[1:], failure])
    stored, errors = _stored_urls_and_errors(db_url)
    assert stored == {str(a.url) for a in good}
    reasons = {e.url: e.reason for e in errors}
    assert reasons.keys() == {str(culprit.url), str(failure.url)}
    assert reasons[str(culprit.url)].startswith("could not store: ValueError")
    assert isinstance(results[1], FetchFailure)
    stats = crawler.stats
    assert stats.get_value(runstats.STORED) == 3 and stats.get_value(runstats.ERRORS) == 2
    assert len(Spool.for_database(tmp_path / "spool", db_url)) == 0
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1  # the culprit's, not one per item of the batch


def test_an_articles_notes_do_not_flush_a_batch_other_items_are_coming_to(db_url, tmp_path):
    """A real crawl: an article waits on its two notes while a second article is still
    coming. Scrapy counts the waiting article once; counting it again through its notes
    made the pipeline think nothing else could join and write each note alone."""
    crawl = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("batch_flush_crawl.py")),
         db_url, str(FIXTURE_SOURCES), str(tmp_path / "spool")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    stats = json.loads(crawl.stdout.splitlines()[-1])
    assert stats[runstats.STORED] == 2
    # the first article alone (nothing else was in the pipelines), then its notes with
    # the second article; writing each note as it came made four batches
    assert stats[runstats.WRITE_BATCHES] == 2
    assert _count(db_url, models.FetchError) == 1  # one row per URL: the notes' page


def test_the_failures_of_a_batch_are_one_transaction(db_url, tmp_path):
    """Skipped pages and fetch errors are a fifth of a crawl's items: written together,
    one commit for the batch's failures, not one each."""
    crawler = store_crawler(db_url, tmp_path, NEWSCLAIMS_WRITE_BATCH=8, NEWSCLAIMS_LOCK_TTL=3600)
    failures = [
        FetchFailure(url=f"https://batch.example/gone-{n}", reason="HTTP 404", status=404)
        for n in range(3)
    ]
    commits: list[int] = []
    results = _run(crawler, [*_articles(5), *failures], commits)
    assert _count(db_url, models.Article) == 5
    assert _count(db_url, models.FetchError) == 3
    assert len(commits) == 2  # the articles, the failures (one per failure was 4)
    assert all(isinstance(r, Article | FetchFailure) for r in results)


@pytest.mark.postgres
def test_a_refused_failure_costs_only_itself_among_the_failures(postgres_url, tmp_path):
    """(PostgreSQL: SQLite stores any integer.) A status out of the column's range makes
    the failures' transaction fail; they are then written one by one."""
    crawler = store_crawler(postgres_url, tmp_path, NEWSCLAIMS_WRITE_BATCH=3)
    good = [
        FetchFailure(url=f"https://batch.example/gone-{n}", reason="HTTP 404", status=404)
        for n in range(2)
    ]
    odd = FetchFailure(url="https://batch.example/odd", reason="HTTP ?", status=2**31)
    _run(crawler, [good[0], odd, good[1]])
    _, errors = _stored_urls_and_errors(postgres_url)
    assert {e.url for e in errors} == {str(f.url) for f in good}
    assert len(Spool.for_database(tmp_path / "spool", postgres_url)) == 0
