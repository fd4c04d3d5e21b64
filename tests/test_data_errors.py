"""Data errors are not outages: the database answered, this page's data did not fit.

PostgreSQL refuses what SQLite keeps (a value longer than its varchar, an integer out of
range); such a page is stored with the value cut, or recorded in fetch_errors with the
driver's reason, and never spooled as if the database were down.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from newsclaims import models, runstats
from newsclaims.pipelines.store import StorePipeline
from newsclaims.records import Article, Paragraph, Quote
from newsclaims.storage import database as db
from newsclaims.storage.spool import Spool

from .conftest import store_crawler


def _article(name: str, **fields) -> Article:
    url = f"http://www.ibtimes.test/{name}"
    return Article(
        url=url,
        canonical_url=url,
        source="ibtimes",
        title=name,
        paragraphs=[Paragraph(position=0, text='"We will keep the port open," said Ana Vidal.')],
        **fields,
    )


def _out_of_range_article() -> Article:
    """An article whose quote ends past PostgreSQL's integer column: refused, not an outage."""
    quote = Quote(
        quote="We will keep the port open,",
        kind="direct",
        speaker="Ana Vidal",
        paragraph=0,
        start=1,
        end=2**40,
    )
    return _article("out-of-range", quotes=[quote])


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_values_that_do_not_fit_are_cut_or_recorded_never_spooled(db_url, tmp_path):
    crawler = store_crawler(db_url, tmp_path)
    long_name = _article("long-site-name", site_name="Port Verrin " * 25)
    out_of_range = _out_of_range_article()

    async def run() -> None:
        store = StorePipeline.from_crawler(crawler)
        await store.open_spider()
        await store.process_item(long_name)
        await store.process_item(out_of_range)
        await store.spider_closed(crawler.spider, "finished")

    asyncio.run(run())
    assert len(Spool.for_database(tmp_path / "spool", db_url)) == 0
    assert crawler.stats.get_value(runstats.SPOOLED) is None
    assert crawler.stats.get_value(runstats.ERRORS) == 1
    engine = db.make_engine(db_url)
    try:
        with db.make_sessionmaker(engine)() as session:
            (stored,) = session.scalars(select(models.Article))
            (error,) = session.scalars(select(models.FetchError))
    finally:
        engine.dispose()
    assert stored.url.endswith("long-site-name") and stored.site_name is not None
    assert len(stored.site_name) <= 200 and stored.site_name.startswith("Port Verrin")
    assert error.url.endswith("out-of-range")
    assert error.reason.startswith("could not store: ") and "refused a value" in error.reason
    assert "out of range" in error.reason


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_spooled_item_the_database_refuses_is_recorded_not_kept_in_the_spool(db_url, tmp_path):
    """Replay after an outage: a page whose data the database refuses is a fetch error like
    in ``process_item``, not an outage that keeps it (and its replay) in the spool forever."""
    crawler = store_crawler(db_url, tmp_path)
    spool = Spool.for_database(tmp_path / "spool", db_url)
    refused = _out_of_range_article()
    spool.append(refused)
    spool.append(_article("fine"))

    async def run() -> None:
        store = StorePipeline.from_crawler(crawler)
        await store.open_spider()  # replays the spool
        await store.spider_closed(crawler.spider, "finished")

    asyncio.run(run())
    assert len(spool) == 0
    assert crawler.stats.get_value(runstats.REPLAYED) == 2
    assert crawler.stats.get_value(runstats.ERRORS) == 1
    engine = db.make_engine(db_url)
    try:
        with db.make_sessionmaker(engine)() as session:
            (stored,) = session.scalars(select(models.Article))
            (error,) = session.scalars(select(models.FetchError))
            (run_row,) = session.scalars(select(models.CrawlRun))
    finally:
        engine.dispose()
    assert stored.url.endswith("/fine")
    assert error.url.endswith("out-of-range") and error.reason.startswith("could not store: ")
    assert run_row.errors == 1 and run_row.replayed == 2 and run_row.status != "spooled"


@pytest.mark.postgres
def test_a_deadlock_is_a_conflict_to_run_again_not_an_outage(postgres_url):
    """Two transactions locking two rows in opposite orders: PostgreSQL ends one of them.
    That is a conflict to run again at once (the page-state recorder does), with one line
    naming the database, not "cannot reach the database" (which waits out a backoff and
    then spools, or drops a batch of page states)."""
    import threading

    from sqlalchemy import text

    from newsclaims.storage.errors import TransactionConflict

    engine = db.make_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO sources (name, display_name) VALUES ('a', 'A'), ('b', 'B')")
        )
    locked = threading.Barrier(2)
    errors: list[Exception] = []

    def transaction(first: str, second: str) -> None:
        try:
            with db.database_errors(postgres_url), engine.begin() as connection:
                update = text("UPDATE sources SET display_name = name WHERE name = :name")
                connection.execute(update, {"name": first})
                locked.wait()
                connection.execute(update, {"name": second})
        except Exception as exc:
            errors.append(exc)

    workers = [threading.Thread(target=transaction, args=pair) for pair in (("a", "b"), ("b", "a"))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    engine.dispose()
    assert len(errors) == 1, errors
    assert isinstance(errors[0], TransactionConflict), repr(errors[0])
    message = str(errors[0])
    assert "conflicted with a concurrent one" in message and "deadlock" in message
    assert db.safe_url(postgres_url) in message and "\n" not in message
