"""End to end: the fixture web crawled through the real Scrapy engine into a real database.

The expectations come from fixtures/site/expected.json (the site's design) and the
shared spec files copied into tests/data, never from the code's own output.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from newsclaims import models
from newsclaims.config.sources import load_sources
from newsclaims.discovery.urls import url_key
from newsclaims.text import normalize

from .conftest import DATA, FIXTURE_SOURCES, ROOT, table_counts

EXPECTED = json.loads((ROOT / "fixtures" / "site" / "expected.json").read_text())
SEEDS = DATA / "seeds"
STORED_KINDS = ("seed_article", "on_topic_article", "brief_article", "syndicated_copy")


def expected(*kinds: str) -> list[dict]:
    return [entry for entry in EXPECTED if entry["kind"] in kinds]


def crawled_start_pages() -> list[str]:
    return [str(u) for s in load_sources(FIXTURE_SOURCES).sources for u in s.start_pages]


def crawled_hosts() -> set[str]:
    return {d for s in load_sources(FIXTURE_SOURCES).sources for d in s.domains}


@pytest.fixture
def session(crawled_session):
    return crawled_session


def stored_articles(session) -> list[models.Article]:
    return list(session.execute(select(models.Article)).scalars())


def article_for(session, seed: str) -> models.Article:
    (entry,) = [e for e in EXPECTED if e.get("seed") == seed]
    key = url_key(entry["canonical_url"])
    matches = [a for a in stored_articles(session) if url_key(a.canonical_url) == key]
    assert len(matches) == 1, f"{seed} stored {len(matches)} times"
    return matches[0]


def test_crawl_succeeds_and_prints_a_summary(crawl):
    assert crawl.first.returncode == 0, crawl.first.stderr[-3000:]
    for label in ("fetched pages", "stored articles", "skipped off-topic", "duplicates", "errors"):
        assert label in crawl.first.stdout


def test_exactly_the_on_topic_articles_are_stored(crawl, session):
    wanted = {url_key(e["canonical_url"]) for e in expected(*STORED_KINDS)}
    stored = [url_key(a.canonical_url) for a in stored_articles(session)]
    assert sorted(stored) == sorted(wanted)
    assert f"stored articles        {len(wanted)}" in crawl.first.stdout


def test_off_topic_articles_are_counted_and_skipped(crawl, session):
    off_topic = expected("off_topic_article")
    stored = {url_key(a.url) for a in stored_articles(session)}
    assert not stored & {url_key(e["url"]) for e in off_topic}
    assert f"skipped off-topic      {len(off_topic)}" in crawl.first.stdout


def test_robots_disallowed_article_is_never_requested(crawl):
    (forbidden,) = expected("robots_disallowed")
    assert crawl.requested, "the crawl made no requests"
    assert not [u for u in crawl.requested if urlsplit(u).path == urlsplit(forbidden["url"]).path]
    assert "blocked by robots.txt  " in crawl.first.stdout


def test_windows_1252_page_is_decoded(crawl, session):
    (entry,) = expected("on_topic_article")
    raw = (
        ROOT
        / "fixtures"
        / "site"
        / urlsplit(entry["url"]).hostname
        / urlsplit(entry["url"]).path.lstrip("/")
    ).read_bytes()
    assert b"\x93" in raw, "fixture is not really windows-1252"
    (article,) = [a for a in stored_articles(session) if url_key(a.url) == url_key(entry["url"])]
    assert "\ufffd" not in article.text and "â€" not in article.text
    assert "“" in article.text and "”" in article.text


def test_broken_page_and_dead_links_are_recorded_as_fetch_errors(crawl, session):
    errors = {e.url: e for e in session.execute(select(models.FetchError)).scalars()}
    (truncated,) = expected("truncated")
    assert errors[truncated["url"]].reason == (
        "ResponseDataLossError: Indicates that Scrapy couldn't get a complete response."
    )
    dead = [
        e["url"] for e in expected("not_found") if urlsplit(e["url"]).hostname in crawled_hosts()
    ]
    assert dead
    for url in dead:
        assert errors[url].status == 404, url
    assert all(e.last_run_id is not None for e in errors.values())


def boilerplate() -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {}
    for line in (DATA / "seed_boilerplate.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            seed, text = line.split("\t", 1)
            lines.setdefault(seed, []).append(text)
    return lines


@pytest.mark.parametrize("seed", sorted(boilerplate()))
def test_site_furniture_is_gone(session, seed):
    article = article_for(session, seed)
    paragraphs = [p.text for p in article.paragraphs]
    assert paragraphs
    for line in boilerplate()[seed]:
        assert not [p for p in paragraphs if line in p], f"furniture {line!r} survived"


def test_dateline_stays(session):
    article = article_for(session, "001_10c5a8d22f52db77.txt")
    assert article.paragraphs[0].text == "Reuters, Brussels :"


def test_seed_001_paragraphs_are_stored_once(session):
    article = article_for(session, "001_10c5a8d22f52db77.txt")
    forms = [normalize(p.text) for p in article.paragraphs]
    assert len(forms) == len(set(forms))
    seed_lines = (SEEDS / "001_10c5a8d22f52db77.txt").read_text(encoding="utf-8").splitlines()
    repeated = [line for line, n in Counter(seed_lines).items() if n > 1 and line.strip()]
    assert len(repeated) == 5, "seed 001 repeats four paragraphs and its photo caption"
    counts = [forms.count(normalize(line)) for line in repeated]
    assert max(counts) == 1
    assert counts.count(1) >= 4  # the caption may go as furniture; the paragraphs stay, once


def test_article_metadata(session):
    now = datetime.now(UTC)
    for article in stored_articles(session):
        assert article.title and article.language == "en"
        assert article.published_at is not None
        assert article.published_at.tzinfo is not None  # aware on both databases
        assert article.published_at < now
        assert article.http_status == 200
        assert len(article.url_hash) == 40


def test_redirected_and_tracking_links_store_the_article_once(crawl, session):
    article = article_for(session, "000_2ce013c3f5691d34.txt")
    assert "utm_" not in article.canonical_url
    (redirect,) = expected("redirect")
    assert any(urlsplit(u).path == urlsplit(redirect["url"]).path for u in crawl.requested)


def test_second_crawl_adds_nothing(crawl):
    assert crawl.second.returncode == 0, crawl.second.stderr[-3000:]
    after = table_counts(crawl.url)
    before = crawl.counts_after_first
    assert after["crawl_runs"] == before["crawl_runs"] + 1
    assert {k: v for k, v in after.items() if k != "crawl_runs"} == {
        k: v for k, v in before.items() if k != "crawl_runs"
    }
    assert "stored articles        0" in crawl.second.stdout


def test_second_crawl_fetches_only_feeds_sitemaps_start_pages_and_robots(crawl):
    """Incremental: nothing the first crawl finished is fetched again; start pages are
    asked for conditionally and answered 304."""
    config = load_sources(FIXTURE_SOURCES)
    entry_points = {str(u) for s in config.sources for u in (*s.feeds, *s.sitemaps, *s.start_pages)}
    start_pages = {str(u) for s in config.sources for u in s.start_pages}
    unexpected = [
        u
        for u in crawl.requested_second
        if u not in entry_points
        and not u.endswith("/robots.txt")
        and "/sitemaps/" not in u  # the children of a sitemap index
    ]
    assert not unexpected
    assert set(crawl.not_modified_second) == start_pages
    assert len(crawl.requested_second) < len(crawl.requested) - len(crawl.requested_second)


def test_crawl_runs_are_recorded(session):
    runs = list(session.execute(select(models.CrawlRun).order_by(models.CrawlRun.id)).scalars())
    assert [r.status for r in runs] == ["finished", "finished"]
    assert runs[0].stored == len(expected(*STORED_KINDS))
    assert runs[1].stored == 0 and runs[1].fetched == 0
    assert runs[1].not_modified == len(crawled_start_pages())
    assert runs[1].skipped > runs[0].stored
    assert all(r.finished_at is not None and r.heartbeat_at is not None for r in runs)
    assert runs[0].fetched > 0 and runs[0].stats and "finish_reason" in runs[0].stats


def test_summary_counts_match_the_database(crawl):
    summary = dict(
        line.strip().rsplit(None, 1)
        for line in crawl.first.stdout.splitlines()[1:]
        if line.startswith("  ")
    )
    assert int(summary["quotes stored"]) == crawl.counts_after_first["quotes"] > 0
    assert int(summary["stored articles"]) == crawl.counts_after_first["articles"]
    # fetch_errors holds the errors and the pages skipped on purpose, each with its reason.
    recorded = sum(
        int(summary[label])
        for label in ("errors", "skipped not articles", "skipped off-topic", "skipped not HTML")
    )
    assert recorded == crawl.counts_after_first["fetch_errors"]


def test_runs_command_lists_each_run_with_its_counts(crawl):
    from .conftest import run_cli

    result = run_cli("runs", "--db", crawl.url)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split()[:4] == ["id", "status", "started", "finished"]
    assert "not_modified" in header and "skipped" in header
    assert [row.split()[1] for row in rows] == ["finished", "finished"]  # newest first
