"""The spider and pipelines in-process, built by Scrapy's own ``get_crawler``.

The subprocess tests (test_crawl_e2e, test_cli) run the whole engine as a user does;
these drive one component at a time with real responses from the fixture web's files,
a real process pool and real databases, so a failure points at the component.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydispatch import dispatcher
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Request, XmlResponse
from scrapy.settings import Settings
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler, get_reactor_settings
from sqlalchemy import select

from newsclaims import models, runstats
from newsclaims.claims.article_keys import match_keys
from newsclaims.crawl.heap import FreezeHeap
from newsclaims.pipelines.analyse import AnalysePipeline
from newsclaims.pipelines.store import StorePipeline
from newsclaims.records import Article, CrawledPage, FetchFailure
from newsclaims.spiders.news import NewsSpider
from newsclaims.storage import database as db

from .conftest import FIXTURE_SOURCES, ROOT, Crawl, run_cli

SITE = ROOT / "fixtures" / "site"
SEED_PATH = "www.ibtimes.test/world/2014/12/03/john-kerry-says-air-strikes-having-significant-impact-isis.html"
SPORT_PATH = "www.sportsdaily.test/football/2014/12/03/riverside-united-3-northgate-athletic-1-match-report.html"
INDEX_PATH = "www.ibtimes.test/index.html"


def _page(path: str) -> CrawledPage:
    url = f"http://{path}"
    body = (SITE / path).read_bytes()
    return CrawledPage(
        url=url, requested_url=url, source="ibtimes", status=200, body=body, encoding="utf-8"
    )


def _news_crawler(settings: dict[str, Any], **spider_args: Any) -> Crawler:
    """A crawler whose spider is built as ``Crawler.crawl`` builds it: before the settings
    freeze (``get_crawler`` freezes them first, and the spider sets DEPTH_LIMIT)."""
    values = Settings()
    values.setmodule("newsclaims.settings", priority="project")
    values.setdict({**get_reactor_settings(), **settings}, priority="cmdline")
    crawler = Crawler(NewsSpider, values)
    crawler.spider = crawler._create_spider(**spider_args)
    crawler._apply_settings()
    return crawler


def _spider(**settings: Any) -> NewsSpider:
    crawler = _news_crawler({"NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES), **settings})
    assert isinstance(crawler.spider, NewsSpider)
    return crawler.spider


def _response(spider: NewsSpider, path: str, cls: type = HtmlResponse, **meta: Any) -> Any:
    url = f"http://{path}"
    request = Request(url, meta={"nc_source": "ibtimes", **meta})
    return cls(url=url, body=(SITE / path).read_bytes(), request=request, encoding="utf-8")


# -- spider -----------------------------------------------------------------------------
def test_spider_starts_from_every_feed_sitemap_and_start_page():
    spider = _spider()

    async def collect() -> list[Request]:
        return [request async for request in spider.start()]

    requests = asyncio.run(collect())
    assert spider.config is not None
    expected = {
        str(url)
        for source in spider.config.sources
        for url in (*source.feeds, *source.sitemaps, *source.start_pages)
    }
    assert {r.url for r in requests} == expected
    assert {r.meta["nc_via"] for r in requests} == {"feed", "sitemap", "start"}
    assert all(r.meta["nc_source"] for r in requests)


def test_spider_reads_a_feed_into_page_requests_with_the_entry():
    spider = _spider()
    response = _response(spider, "www.ibtimes.test/rss/world.rss", XmlResponse)
    requests = list(spider.parse_feed(response))
    assert requests, "the fixture feed lists articles"
    assert all(r.callback == spider.parse_page and r.meta["nc_via"] == "feed" for r in requests)
    assert any(r.meta["nc_entry"].published is not None for r in requests)


def test_spider_yields_the_page_and_follows_only_allowed_links():
    spider = _spider()
    outputs = list(spider.parse_page(_response(spider, SEED_PATH)))
    pages = [o for o in outputs if isinstance(o, CrawledPage)]
    links = [o for o in outputs if isinstance(o, Request)]
    assert len(pages) == 1 and str(pages[0].url).endswith(SEED_PATH.split("/", 1)[1])
    assert pages[0].source == "ibtimes" and b"<html" in pages[0].body.lower()
    assert links and all("www.ibtimes.test" in r.url for r in links)


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("<html><head><meta charset='utf-8'></head><body>caf\u00e9 \u201cq\u201d</body></html>".encode(), {}),
        ("<html><body>caf\u00e9 \u201cq\u201d</body></html>".encode("cp1252"),
         {"Content-Type": "text/html; charset=windows-1252"}),
        # A lying header: UTF-8 bytes served as latin-1 are read as UTF-8 (pages.decoding).
        ("<html><body>caf\u00e9 \u201cq\u201d</body></html>".encode(),
         {"Content-Type": "text/html; charset=iso-8859-1"}),
        ("<html><body>caf\u00e9</body></html>".encode("utf-16"), {"Content-Type": "text/html"}),
        # Declaring nothing: Scrapy guesses (and decodes the page to do it).
        (b"<html><body>caf\xe9 \x93q\x94</body></html>", {"Content-Type": "text/html"}),
        # Nothing names these bytes: Scrapy reads them as ASCII, where "ascii" alone would
        # read as windows-1252, so the text itself is handed on.
        (b"<html><body>caf\xe9 \x00\x01\x81\x8d\x8f\x90\x9d\xff</body></html>",
         {"Content-Type": "text/html"}),
    ],
)  # fmt: skip
def test_the_worker_decodes_a_crawled_page_as_the_spider_did(body, headers):
    """The spider hands on bytes; the worker's text is what the spider used to decode."""
    from newsclaims.pages.decoding import page_text
    from newsclaims.pipelines.workers import fetched_page

    spider = _spider()
    url = "http://www.ibtimes.test/story.html"
    request = Request(url, meta={"nc_source": "ibtimes"})
    response = HtmlResponse(url, body=body, headers=headers, request=request)
    crawled = next(o for o in spider.parse_page(response) if isinstance(o, CrawledPage))
    page = fetched_page(crawled)
    fresh = HtmlResponse(url, body=body, headers=headers, request=Request(url))
    assert (page.html, page.encoding) == page_text(body, fresh.text, fresh.encoding)
    assert page.url == crawled.url and page.source == crawled.source
    assert "caf" in page.html
    # The response waits for the analysis without a decoded text on it.
    assert response._cached_ubody is None
    assert (crawled.text is None) == (crawled.encoding != "ascii")


def test_spider_takes_the_sources_file_from_its_argument(tmp_path: Path):
    crawler = _news_crawler(
        {"NEWSCLAIMS_SOURCES": str(tmp_path / "absent.toml")}, sources=str(FIXTURE_SOURCES)
    )
    assert isinstance(crawler.spider, NewsSpider) and crawler.spider.config is not None
    assert crawler.settings.get("NEWSCLAIMS_SOURCES") == str(FIXTURE_SOURCES)
    assert crawler.settings.getint("DEPTH_LIMIT") == crawler.spider.config.crawl.depth


# -- analyse pipeline ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def analyse() -> Iterator[AnalysePipeline]:
    crawler = get_crawler(
        Spider, {"NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES), "NEWSCLAIMS_EXTRACT_WORKERS": 1}
    )
    pipeline = AnalysePipeline.from_crawler(crawler)
    pipeline.open_spider()
    yield pipeline
    pipeline.close_spider()


def test_analyse_pipeline_turns_an_on_topic_page_into_an_article_with_quotes(analyse):
    article = asyncio.run(analyse.process_item(_page(SEED_PATH)))
    assert isinstance(article, Article)
    assert article.title and article.title.startswith("John Kerry Says Air Strikes")
    assert article.topic == "coalition-air-strikes" and article.topic_score
    assert any(q.speaker == "John Kerry" for q in article.quotes)
    assert analyse.stats.get_value(runstats.FETCHED) >= 1
    # what storage matches on came computed from the worker, and fits the article
    assert article.match_keys is not None and article.match_keys == match_keys(article)


@pytest.mark.parametrize(
    ("path", "counter", "reason"),
    [
        (SPORT_PATH, runstats.OFF_TOPIC, "off topic: score"),
        (INDEX_PATH, runstats.NOT_ARTICLE, "not an article: "),
    ],
)
def test_analyse_pipeline_records_and_counts_what_is_not_stored(analyse, path, counter, reason):
    """Not dropped silently: a skipped page ends in fetch_errors with its reason."""
    before = analyse.stats.get_value(counter, 0)
    skipped = asyncio.run(analyse.process_item(_page(path)))
    assert isinstance(skipped, FetchFailure) and skipped.skipped
    assert skipped.reason.startswith(reason) and skipped.url == f"http://{path}"
    assert analyse.stats.get_value(counter) == before + 1


def test_analyse_pipeline_records_a_page_that_outlives_the_analysis_time_limit():
    crawler = get_crawler(
        Spider,
        {
            "NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES),
            "NEWSCLAIMS_EXTRACT_WORKERS": 1,
            "NEWSCLAIMS_ANALYSIS_TIMEOUT": 0.5,
        },
    )
    # A page that takes many seconds to analyse (thousands of distinct quoted paragraphs),
    # far past the limit and past the pool's own timeout checks: the outcome is not a race.
    slow = _page(SEED_PATH)
    body = "".join(
        f'<p>"Pier {i} will reopen after repairs costing {i * 7} crowns," Ada Brisk said on '
        f"day {i} of the harbour inquiry, adding that crews {i} were ready.</p>"
        for i in range(6000)
    )
    slow = slow.model_copy(
        update={"body": slow.body.replace(b"</body>", body.encode() + b"</body>")}
    )
    pipeline = AnalysePipeline.from_crawler(crawler)
    pipeline.open_spider()
    try:
        failure = asyncio.run(pipeline.process_item(slow))
        assert isinstance(failure, FetchFailure) and not failure.skipped
        assert failure.reason == "analysis timed out after 0.5 s"
        # The pool replaced the killed worker: the next page (no limit now) is analysed.
        pipeline.timeout = None
        assert isinstance(asyncio.run(pipeline.process_item(_page(SEED_PATH))), Article)
    finally:
        pipeline.close_spider()


def test_analysis_workers_do_not_load_scrapy(analyse):
    """A worker imports the module of each function it is sent: the initializer lived in
    pipelines.analyse and loaded Scrapy and Twisted into every worker (~26 MB each)."""
    assert analyse.pool is not None
    loaded = "[m for m in ('scrapy', 'twisted') if m in __import__('sys').modules]"
    assert analyse.pool.schedule(eval, args=(loaded,)).result(timeout=60) == []


def test_the_crawl_leaves_its_long_lived_objects_out_of_garbage_collections():
    """Each full collection in the crawl's process walked the ~150,000 objects Scrapy,
    Twisted and SQLAlchemy keep for the process's life (1.25 s of 13.9 s of CPU in an
    895-page crawl): they are frozen while the spider runs, and unfrozen when it closes."""
    crawler = _news_crawler({"NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES)})
    assert crawler.extensions is not None
    [heap] = [e for e in crawler.extensions.middlewares if isinstance(e, FreezeHeap)]
    for signal, handler in (
        (signals.spider_opened, heap.spider_opened),
        (signals.spider_closed, heap.spider_closed),
    ):
        receivers = dispatcher.getAllReceivers(crawler.signals.sender, signal)
        assert handler in list(dispatcher.liveReceivers(receivers))
    before = gc.get_freeze_count()
    heap.spider_opened(crawler.spider)
    try:
        assert gc.get_freeze_count() > max(before, 10_000)
    finally:
        heap.spider_closed(crawler.spider)
    assert gc.get_freeze_count() == 0


def test_the_pages_waiting_for_analysis_are_bounded_by_the_workers_unless_set():
    """Scrapy's scraper holds 5 MB of pages by default (~22 real ones): newsclaims holds
    enough for its workers (tests/test_crawl_memory.py crawls it); an operator's value wins."""
    sources = {"NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES)}
    for workers in (1, 4):
        crawler = _news_crawler({**sources, "NEWSCLAIMS_EXTRACT_WORKERS": workers})
        assert crawler.settings.getint("SCRAPER_SLOT_MAX_ACTIVE_SIZE") == workers * 500_000
    crawler = _news_crawler({**sources, "SCRAPER_SLOT_MAX_ACTIVE_SIZE": 7_000_000})
    assert crawler.settings.getint("SCRAPER_SLOT_MAX_ACTIVE_SIZE") == 7_000_000


# The crawl's pool as the pipeline opens it, in a fresh interpreter (a forkserver already
# running in the test process keeps the environment it started with).
POOL_ENVIRONMENT = """
import os, sys
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler
from newsclaims.pipelines.analyse import AnalysePipeline

if __name__ == "__main__":
    crawler = get_crawler(Spider, {"NEWSCLAIMS_SOURCES": sys.argv[1]})
    pipeline = AnalysePipeline.from_crawler(crawler)
    pipeline.open_spider()
    code = "__import__('os').environ.get('MALLOC_MMAP_THRESHOLD_')"
    print(pipeline.pool.schedule(eval, args=(code,)).result(timeout=60), os.environ.get("MALLOC_MMAP_THRESHOLD_"))
    pipeline.close_spider()
"""


def test_the_crawls_processes_return_freed_page_sized_blocks():
    """glibc's mmap threshold is fixed (newsclaims.memory) in the crawl's process and, through
    the environment, in its analysis workers, before the forkserver starts."""
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_MMAP_THRESHOLD_"}
    done = subprocess.run(
        [sys.executable, "-c", POOL_ENVIRONMENT, str(FIXTURE_SOURCES)],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["131072", "131072"]


def test_the_crawls_own_process_does_not_load_the_analysis():
    """The analysis runs in the workers; the crawl's process loaded trafilatura and the
    quote finder (~30 MB) only to name the function and unpickle its result."""
    modules = (
        "newsclaims.crawl.runner", "newsclaims.spiders.news", "newsclaims.pipelines.analyse",
        "newsclaims.pipelines.store", "newsclaims.crawl.incremental",
    )  # fmt: skip
    code = f"import sys; import {', '.join(modules)}; print('trafilatura' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_analyse_pipeline_turns_an_unreadable_page_into_a_recorded_failure(analyse):
    page = _page(SEED_PATH).model_copy(update={"body": b"   "})
    failure = asyncio.run(analyse.process_item(page))
    assert isinstance(failure, FetchFailure) and "empty document" in failure.reason


def test_analyse_pipeline_refuses_to_start_without_a_sources_file(tmp_path: Path):
    crawler = get_crawler(Spider, {"NEWSCLAIMS_SOURCES": str(tmp_path / "none.toml")})
    with pytest.raises(ValueError, match="sources file not found"):
        AnalysePipeline.from_crawler(crawler)


# -- store pipeline ---------------------------------------------------------------------
def test_store_pipeline_writes_articles_failures_and_the_run_row(db_url, tmp_path, analyse):
    crawler = _news_crawler(
        {
            "NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES),
            "NEWSCLAIMS_DATABASE_URL": db_url,
            "NEWSCLAIMS_SPOOL_DIR": str(tmp_path / "spool"),
        }
    )
    assert crawler.stats is not None
    crawler.stats.open_spider()
    article = asyncio.run(analyse.process_item(_page(SEED_PATH)))
    failure = FetchFailure(url="http://www.ibtimes.test/gone", reason="HTTP 404", status=404)

    async def run() -> None:
        store = StorePipeline.from_crawler(crawler)
        await store.open_spider()
        crawler.stats.inc_value(runstats.FETCHED)
        await store.process_item(article)
        await store.process_item(article)  # the same page again in one run
        await store.process_item(failure)
        await store.spider_closed(crawler.spider, "finished")

    asyncio.run(run())
    engine = db.make_engine(db_url)
    try:
        with db.make_sessionmaker(engine)() as session:
            stored = session.scalars(select(models.Article)).all()
            run_row = session.scalars(select(models.CrawlRun)).one()
            errors = session.scalars(select(models.FetchError)).all()
            quotes = session.scalars(select(models.Quote)).all()
    finally:
        engine.dispose()
    assert [a.canonical_url for a in stored] == [str(article.canonical_url)]
    assert len(quotes) == len(article.quotes) > 0
    assert [e.url for e in errors] == [failure.url]
    assert run_row.status == "finished" and run_row.finished_at is not None
    assert (run_row.fetched, run_row.stored, run_row.duplicates, run_row.errors) == (1, 1, 1, 1)


# -- one analysis path -------------------------------------------------------------------
def test_extract_prints_exactly_what_the_crawl_stored(crawl: Crawl):
    url = f"http://{SEED_PATH}"
    result = run_cli("extract", str(SITE / SEED_PATH), "--url", url)
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    engine = db.make_engine(crawl.url)
    try:
        with db.make_sessionmaker(engine)() as session:
            article = session.scalars(
                select(models.Article).where(models.Article.canonical_url == printed["url"])
            ).one()
            paragraphs = [p.text for p in article.paragraphs]
            quotes = session.scalars(
                select(models.Quote)
                .where(models.Quote.article_id == article.id)
                .order_by(models.Quote.paragraph_position, models.Quote.start)
            ).all()
            stored_quotes = [(q.paragraph_position, q.start, q.text, q.kind) for q in quotes]
    finally:
        engine.dispose()
    assert printed["title"] == article.title
    assert printed["paragraphs"] == paragraphs
    shown = sorted((q["paragraph"], q["start"], q["quote"], q["kind"]) for q in printed["quotes"])
    assert shown == stored_quotes


def test_analyse_pipeline_replaces_a_worker_that_died():
    crawler = get_crawler(
        Spider, {"NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES), "NEWSCLAIMS_EXTRACT_WORKERS": 1}
    )
    pipeline = AnalysePipeline.from_crawler(crawler)
    pipeline.open_spider()
    try:
        assert isinstance(asyncio.run(pipeline.process_item(_page(SEED_PATH))), Article)
        assert pipeline.pool is not None
        for worker in list(pipeline.pool._pool_manager.worker_manager.workers.values()):
            worker.kill()
            worker.join()
        again = asyncio.run(pipeline.process_item(_page(SEED_PATH)))
        assert isinstance(again, Article) and again.quotes
    finally:
        pipeline.close_spider()


def test_crawl_settings_override_the_sources_file():
    pipeline = AnalysePipeline.from_crawler(
        get_crawler(
            Spider, {"NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES), "NEWSCLAIMS_MIN_WORDS": "5000"}
        )
    )
    assert pipeline.options.min_words == 5000
    crawler = _news_crawler(
        {"NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES), "NEWSCLAIMS_CRAWL_DEPTH": "1"}
    )
    assert crawler.settings.getint("DEPTH_LIMIT") == 1


def test_a_pages_links_are_scheduled_while_its_item_waits_for_analysis():
    """CONCURRENT_ITEMS is cut from Scrapy's 100 (tasks made for every response) to a few,
    but never to one: the page's item, yielded first, waits for its analysis while the
    requests for its links behind it must still be scheduled at once."""
    from scrapy.utils.asyncio import _parallel_asyncio  # what Scraper works an output with

    crawler = _news_crawler({"NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES)})
    count = crawler.settings.getint("CONCURRENT_ITEMS")
    assert 2 <= count < 100
    links = [Request(f"http://www.example.test/{n}.html") for n in range(3 * count)]
    scheduled: list[Request] = []

    async def work() -> None:
        analysed = asyncio.Event()

        async def process(output: Any) -> None:
            if isinstance(output, Request):
                scheduled.append(output)
                if len(scheduled) == len(links):
                    analysed.set()  # the analysis ends only once every link is scheduled
            else:
                await analysed.wait()

        await asyncio.wait_for(_parallel_asyncio([object(), *links], count, process), 10)

    asyncio.run(work())
    assert scheduled == links
