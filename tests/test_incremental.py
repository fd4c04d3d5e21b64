"""Incremental crawling on a generated site: known pages are not fetched again, changed
ones are, re-fetches are conditional, and a changed article gains a version."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from newsclaims import models
from newsclaims.fixtureweb.generated import GeneratedSite
from newsclaims.fixtureweb.server import DEFAULT_ROOT, FixtureServer, start_fixture_server
from newsclaims.storage import database as db
from newsclaims.storage.versions import history

from .conftest import crawl_fixture_site


@pytest.fixture
def site() -> GeneratedSite:
    return GeneratedSite(20)


@pytest.fixture
def server(site: GeneratedSite) -> Iterator[FixtureServer]:
    server = start_fixture_server(DEFAULT_ROOT, generated=site)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def sources(site: GeneratedSite, tmp_path: Path) -> Path:
    path = tmp_path / "gen.toml"
    path.write_text(site.sources_toml())
    return path


def crawl(server: FixtureServer, url: str, tmp_path: Path, sources: Path, *extra: str) -> list[str]:
    start = len(server.requested)
    result = crawl_fixture_site(server, url, tmp_path / "spool", *extra, sources=sources)
    assert result.returncode == 0, result.stderr[-3000:]
    return server.requested[start:]


def articles_requested(requested: list[str]) -> list[str]:
    return [u for u in requested if "/news/" in u]


def runs(url: str) -> list[models.CrawlRun]:
    engine = db.make_engine(url)
    with db.make_sessionmaker(engine)() as session:
        rows = list(session.scalars(select(models.CrawlRun).order_by(models.CrawlRun.id)))
    engine.dispose()
    return rows


def test_changed_article_is_refetched_and_gains_a_version(server, site, sources, db_url, tmp_path):
    first = crawl(server, db_url, tmp_path, sources)
    assert len(articles_requested(first)) == site.count
    site.revise(3)  # new text, and the sitemap's lastmod moves on
    second = crawl(server, db_url, tmp_path, sources)
    assert articles_requested(second) == [site.article_url(3)]
    assert runs(db_url)[-1].updated == 1 and runs(db_url)[-1].skipped >= site.count - 1

    engine = db.make_engine(db_url)
    with db.make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(models.Article)) == site.count
        article = session.scalars(
            select(models.Article).where(models.Article.url == site.article_url(3))
        ).one()
        assert article.version == 2 and "revision 1" in article.text
        (old,) = history(session, article.id)
        assert old.version == 1 and "revision 1" not in old.text
        paragraphs = [p.text for p in article.paragraphs]
        assert len(paragraphs) == len(set(paragraphs)) and "revision 1" in paragraphs[-1]
        quotes = session.scalars(
            select(models.Quote).where(models.Quote.article_id == article.id)
        ).all()
        assert quotes and {q.paragraph_id for q in quotes} <= {p.id for p in article.paragraphs}
        orphans = session.scalar(
            select(func.count())
            .select_from(models.Claim)
            .where(~models.Claim.id.in_(select(models.ClaimMention.claim_id)))
        )
        assert orphans == 0
    engine.dispose()


def test_revisit_age_refetches_conditionally_and_counts_304(
    server, site, sources, db_url, tmp_path
):
    crawl(server, db_url, tmp_path, sources)
    listings = crawl(server, db_url, tmp_path, sources, "-s", "NEWSCLAIMS_REVISIT_LISTINGS_AFTER=0")
    assert not articles_requested(listings)  # section pages asked for again, stories not
    assert len([u for u in listings if "/section/" in u]) == site.sections
    start_304 = len(server.not_modified)
    second = crawl(
        server, db_url, tmp_path, sources,
        "-s", "NEWSCLAIMS_REVISIT_AFTER=0", "-s", "NEWSCLAIMS_REVISIT_LISTINGS_AFTER=0",
    )  # fmt: skip
    pages = [u for u in second if "/news/" in u or "/section/" in u or u.endswith(".test/")]
    assert sorted(server.not_modified[start_304:]) == sorted(pages)
    last = runs(db_url)[-1]
    assert last.not_modified == len(pages) == site.count + site.sections + 1
    assert last.fetched == 0 and last.stored == 0


def test_without_incremental_every_page_is_fetched(server, site, sources, db_url, tmp_path):
    crawl(server, db_url, tmp_path, sources)
    again = crawl(server, db_url, tmp_path, sources, "-s", "NEWSCLAIMS_INCREMENTAL=false")
    assert len(articles_requested(again)) == site.count
    assert runs(db_url)[-1].unchanged == site.count


def test_a_second_crawls_warc_holds_only_what_it_fetched(server, site, sources, db_url, tmp_path):
    from warcio.archiveiterator import ArchiveIterator

    crawl(server, db_url, tmp_path, sources, "--warc-out", str(tmp_path / "first"))
    second = crawl(server, db_url, tmp_path, sources, "--warc-out", str(tmp_path / "second"))
    recorded = []
    for path in sorted((tmp_path / "second").iterdir()):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    recorded.append(record.rec_headers.get_header("WARC-Target-URI"))
    assert recorded and not [u for u in recorded if "/news/" in u or "/section/" in u]
    assert set(recorded) <= set(second) | {u.replace("http://", "https://") for u in second}


def _parse_page(response):  # the spider's page callback, by name: what the middleware checks
    return None


_parse_page.__name__ = "parse_page"


def _incremental_middleware() -> tuple[Any, Any]:
    """The incremental middleware of a news crawler, with the project's revisit age, its
    database never opened (writes stay in its queue)."""
    from scrapy.spiders import Spider
    from scrapy.utils.test import get_crawler

    from newsclaims import settings
    from newsclaims.crawl.incremental import Incremental

    crawler = get_crawler(
        Spider,
        {
            "NEWSCLAIMS_INCREMENTAL": True,
            "NEWSCLAIMS_DATABASE_URL": "sqlite://",
            "NEWSCLAIMS_REVISIT_AFTER": settings.NEWSCLAIMS_REVISIT_AFTER,
        },
    )
    crawler.spider = Spider("news")
    return crawler, Incremental.from_crawler(crawler)


def test_a_sitemap_date_that_came_as_a_duplicate_decides_for_the_waiting_link_request(tmp_path):
    """A link request for a stored page waits in the scheduler; the sitemap's request for it,
    carrying the page's new ``lastmod``, is dropped as its duplicate. When the link request
    (no date of its own) reaches the middleware, the date noted from the sitemap must make
    it a fetch, not a skip (under load in CI the revised page was never fetched)."""
    from scrapy import Request
    from scrapy.http import Response

    from newsclaims.discovery.feeds import Entry
    from newsclaims.storage import pagestate

    crawler, middleware = _incremental_middleware()
    stored_lastmod = datetime(2014, 12, 1, 3, tzinfo=UTC)
    pages = {name: f"http://gen.test/news/{name}.html" for name in ("revised", "unchanged")}
    for url in pages.values():
        middleware.known[pagestate.key(url)] = pagestate.KnownPage(
            "stored", datetime.now(UTC), None, None, stored_lastmod
        )
    for name, lastmod in (
        ("revised", stored_lastmod + timedelta(days=30)),
        ("unchanged", stored_lastmod),
    ):
        sitemap = Request(
            pages[name],
            callback=_parse_page,
            meta={"nc_entry": Entry(pages[name], updated=lastmod)},
        )
        middleware.request_dropped(sitemap, crawler.spider)

    assert middleware.process_request(Request(pages["revised"], callback=_parse_page)) is None
    skipped = middleware.process_request(Request(pages["unchanged"], callback=_parse_page))
    assert isinstance(skipped, Response)  # known, unchanged: not fetched


def test_a_redirect_to_a_page_this_run_already_finished_records_where_it_came_from():
    """The target of a redirect was stored earlier in the same run, so the followed redirect
    is answered from what is known, not fetched: the URL it came from must still be recorded,
    or the next crawl fetches it again (CI caught it once pages were taken fewer at a time)."""
    from scrapy import Request
    from scrapy.http import Response

    from newsclaims.storage import pagestate

    _, middleware = _incremental_middleware()
    target = "http://gen.test/news/2014/12/01/story-1.html"
    old = "http://gen.test/articles/1/story.html"
    middleware.known[pagestate.key(target)] = pagestate.KnownPage(
        "stored", datetime.now(UTC), None, None, None
    )
    followed = Request(target, callback=_parse_page, meta={"redirect_urls": [old]})
    assert isinstance(middleware.process_request(followed), Response)  # not fetched again
    queued = []
    while not middleware.queue.empty():
        queued.append(middleware.queue.get_nowait())
    records = [r for func, args in queued if func is pagestate.record for r in args[0]]
    assert [(r.url, r.outcome, r.links) for r in records] == [(old, "redirect", (target,))]


def test_the_cached_page_key_is_pagestate_key():
    from newsclaims.crawl import incremental
    from newsclaims.storage import pagestate

    urls = ["http://www.example.test/a.html?utm_source=x", "https://example.test/a.html",
            "http://www.example.test/b.html#top", "http://www.example.test/a.html?utm_source=x"]  # fmt: skip
    assert [incremental._key(u) for u in urls] == [pagestate.key(u) for u in urls]
    assert incremental._key(urls[0]) == incremental._key(urls[1])  # www and scheme folded
