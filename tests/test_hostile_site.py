"""The hostile site crawled through the real engine on both databases, page by page.

Every page is either stored safely or left as a row an operator can query (``fetch_errors``
with its reason: an error, or a page skipped on purpose), the robots-disallowed path and
links past the depth limit are never requested, and the run ends by itself.
docs/hostile.md lists the same outcomes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from newsclaims import models
from newsclaims.fixtureweb.hostile import LONG_URL_PATH, HostileSite, sources_toml
from newsclaims.storage import database as db

from .conftest import BACKENDS, FAST_CRAWL, CrawlResult, _fresh_database, run_cli

# path → (where it ends, a substring of its fetch_errors reason or None for an article)
OUTCOMES: dict[str, tuple[str, str | None]] = {
    "/": ("skipped", "a page of links"),  # a list of links, nothing else
    "/news/quay-closed.html": ("article", None),
    "/news/ferry-delays.html": ("article", None),
    "/quote-flood.html": ("article", None),
    "/formula.html": ("article", None),
    "/charset.html": ("article", None),
    "/sql.html": ("article", None),
    "/site-name.html": ("article", None),
    "/nested.html": ("skipped", "not an article"),
    "/bomb.html": ("error", "exceeded DOWNLOAD_MAXSIZE"),
    "/loop-a": ("error", "redirect loop"),
    "/loop-b": ("error", "redirect loop"),
    "/elsewhere": ("error", "redirect off the source's domains"),
    "/document": ("skipped", "not HTML (application/pdf)"),
    "/nul.html": ("error", "binary content"),
    "/binary.html": ("error", "binary content"),
    "/empty.html": ("error", "empty document"),
    "/error500.html": ("error", "HTTP 500"),
    "/gone410.html": ("error", "HTTP 410"),
    "/slow.html": ("error", "DownloadTimeoutError"),
    "/calendar/2026/01": ("skipped", "not an article"),
    "/calendar/2026/02": ("skipped", "not an article"),
    "/calendar/2026/03": ("skipped", "not an article"),
    LONG_URL_PATH: ("skipped", "not requested: URL of 8028 characters"),
}
NEVER_REQUESTED = {"/private/secret.html", "/calendar/2026/04", LONG_URL_PATH, "/report.pdf"}


@dataclass
class HostileCrawl:
    site: HostileSite
    url: str
    result: CrawlResult
    requested: list[str]
    articles: dict[str, models.Article]
    errors: dict[str, models.FetchError]
    quotes: dict[str, list[str]]
    run: models.CrawlRun


@pytest.fixture(scope="module")
def hostile_site() -> Iterator[HostileSite]:
    site = HostileSite().start()
    yield site
    site.shutdown()
    site.server_close()


def crawl_hostile(site: HostileSite, url: str, directory: Path, *extra: str) -> CrawlResult:
    sources = directory / "hostile.toml"
    sources.write_text(sources_toml(site))
    return run_cli(
        "crawl",
        "--sources", str(sources),
        "--db", url,
        "-s", f"NEWSCLAIMS_SPOOL_DIR={directory / 'spool'}",
        "-s", "DOWNLOAD_TIMEOUT=4",
        *FAST_CRAWL,
        *extra,
    )  # fmt: skip


def _path(site: HostileSite, url: str) -> str:
    return url.removeprefix(site.base_url) or "/"


@pytest.fixture(scope="module", params=BACKENDS)
def hostile(request, hostile_site, tmp_path_factory) -> Iterator[HostileCrawl]:
    directory = tmp_path_factory.mktemp("hostile")
    databases = _fresh_database(request, request.param, directory)
    url = next(databases)
    start = len(hostile_site.requested)
    result = crawl_hostile(hostile_site, url, directory)
    requested = hostile_site.requested[start:]
    engine = db.make_engine(url)
    with db.make_sessionmaker(engine)() as session:
        articles = {_path(hostile_site, a.url): a for a in session.scalars(select(models.Article))}
        errors = {
            _path(hostile_site, e.url).split("…")[0]: e
            for e in session.scalars(select(models.FetchError))
        }
        paths = {a.id: path for path, a in articles.items()}
        quotes: dict[str, list[str]] = {}
        for quote in session.scalars(select(models.Quote)):
            quotes.setdefault(paths[quote.article_id], []).append(quote.text)
        (run,) = session.scalars(select(models.CrawlRun))
        session.expunge_all()
    engine.dispose()
    yield HostileCrawl(hostile_site, url, result, requested, articles, errors, quotes, run)
    next(databases, None)


def test_the_crawl_ends_by_itself_without_tracebacks(hostile):
    assert hostile.result.returncode == 0, hostile.result.stderr
    assert "Traceback" not in hostile.result.stderr
    assert hostile.run.status == "finished"
    assert hostile.result.stdout.startswith("crawl finished")


@pytest.mark.parametrize("path", sorted(OUTCOMES), ids=lambda path: path[:30])
def test_each_page_is_stored_or_recorded_with_its_reason(hostile, path):
    where, reason = OUTCOMES[path]
    if where == "article":
        error = hostile.errors.get(path)
        assert path in hostile.articles, error.reason if error else "no row at all"
        return
    assert path not in hostile.articles
    key = path if path != LONG_URL_PATH else next(k for k in hostile.errors if k[:6] == "/long/")
    error = hostile.errors.get(key)
    assert error is not None, f"{path[:30]} left no row"
    assert reason is not None and reason in error.reason, error.reason


def test_nothing_fetched_disappears_unrecorded(hostile):
    recorded = set(hostile.articles) | set(hostile.errors)
    fetched = {p for p in hostile.requested if p != "/robots.txt"}
    assert fetched and len(fetched) > 20
    assert fetched <= recorded, sorted(fetched - recorded)


def test_robots_disallowed_and_past_depth_pages_are_never_requested(hostile):
    assert not NEVER_REQUESTED & set(hostile.requested)
    assert "/robots.txt" in hostile.requested


def test_well_formed_short_articles_are_stored_with_their_quotes(hostile):
    closed = hostile.articles["/news/quay-closed.html"]
    assert len(closed.text.split()) > 90
    assert any("reopen the quay" in q for q in hostile.quotes["/news/quay-closed.html"])
    assert any("southern quay" in q for q in hostile.quotes["/news/ferry-delays.html"])


def test_a_paragraph_of_quote_marks_gives_no_quotes_and_a_note(hostile):
    assert "/quote-flood.html" not in hostile.quotes
    note = hostile.errors["/quote-flood.html"]
    assert "quotes not searched" in note.reason and "60000 marks" in note.reason


def test_a_lying_charset_header_does_not_garble_the_page_or_lose_its_quote(hostile):
    article = hostile.articles["/charset.html"]
    assert "café" in article.text and "Ã" not in article.text
    assert any("Our café lost half" in q for q in hostile.quotes["/charset.html"])


def test_sql_looking_and_formula_text_is_stored_verbatim(hostile):
    assert hostile.articles["/sql.html"].title == "Harbour records'); DROP TABLE articles;--"
    assert any("DROP TABLE articles; --" in q for q in hostile.quotes["/sql.html"])
    assert '=HYPERLINK(""http://evil.example/x""' in hostile.articles["/formula.html"].text
    # The formula's doubled marks are escapes: one quote, not fragments (and fragment claims).
    assert [q[:12] for q in hostile.quotes["/formula.html"]] == ['=HYPERLINK("']


def test_a_site_name_too_long_for_its_column_is_cut_not_an_outage(hostile):
    article = hostile.articles["/site-name.html"]
    assert article.site_name is not None and len(article.site_name) <= 200
    assert "spooled" not in hostile.result.stdout
