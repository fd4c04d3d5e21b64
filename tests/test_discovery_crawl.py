"""Discovery defects of issue 9, each crawled through the real Scrapy engine.

A small web of its own (built from the fixture seed pages) served by the fixture server:
a feed hosted on another host than the articles it lists, and a site on an explicit port.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from newsclaims import models
from newsclaims.fixtureweb.server import FixtureServer, start_fixture_server
from newsclaims.storage import database as db

from .conftest import ROOT, crawl_fixture_site, run_cli

SITE = ROOT / "fixtures" / "site"
SEED_000 = SITE / (
    "www.ibtimes.test/world/2014/12/03/john-kerry-says-air-strikes-having-significant-impact-isis.html"
)
SEED_003 = SITE / "www.voanews.test/a/us-led-coalition-continues-fight-against-isil/2987643.html"
SEED_004 = SITE / (
    "english.alarabiya.test/en/News/middle-east/2014/09/14/"
    "Kerry-U-S-will-not-coordinate-air-strikes-with-Syria.html"
)
A = "/world/2014/12/03/kerry-says-air-strikes-hurt-isis.html"
B = "/world/2015/10/01/us-led-coalition-fights-on.html"
DENIED = "/opinion/2014/09/14/kerry-will-not-coordinate.html"


def _rss(links: list[str]) -> str:
    items = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in links)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'
    )


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureServer]:
    root = tmp_path_factory.mktemp("web")
    for host in ("www.news.test", "127.0.0.1"):
        for path, seed in ((A, SEED_000), (B, SEED_003), (DENIED, SEED_004)):
            target = root / host / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(seed, target)
    (root / "www.other.test/world").mkdir(parents=True)
    shutil.copy(SEED_004, root / "www.other.test/world/other.html")
    feeds = root / "feeds.news.test"
    feeds.mkdir()
    (feeds / "world.rss").write_text(
        _rss([f"http://www.news.test{A}", f"http://www.news.test{B}",
              f"http://www.news.test{DENIED}", "http://www.other.test/world/other.html"])
    )  # fmt: skip
    links = "".join(f'<p><a href="{p}">story</a></p>' for p in (A, B))
    (root / "127.0.0.1/index.html").write_text(f"<html><body>{links}</body></html>")
    server = start_fixture_server(root)
    yield server
    server.shutdown()
    server.server_close()


def _stored(url: str) -> list[str]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            return sorted(connection.execute(select(models.Article.url)).scalars())
    finally:
        engine.dispose()


def _crawl(web: FixtureServer, tmp_path: Path, sources: str) -> tuple[list[str], list[str]]:
    path = tmp_path / "sources.toml"
    path.write_text(sources)
    url = f"sqlite:///{tmp_path}/crawl.db"
    start = len(web.requested)
    result = crawl_fixture_site(web, url, tmp_path / "spool", sources=path)
    assert result.returncode == 0, result.stderr[-3000:]
    return _stored(url), web.requested[start:]


def test_feed_on_another_host_is_fetched_and_its_links_obey_domains(web, tmp_path):
    stored, requested = _crawl(
        web,
        tmp_path,
        '[[sources]]\nname = "news"\ndomains = ["www.news.test"]\n'
        'feeds = ["http://feeds.news.test/world.rss"]\ndeny = ["/opinion/"]\n',
    )
    assert stored == [f"http://www.news.test{A}", f"http://www.news.test{B}"]
    assert not [u for u in requested if "other.test" in u or "/opinion/" in u]


def test_links_are_followed_on_a_host_with_an_explicit_port(web, tmp_path):
    host = f"127.0.0.1:{web.server_address[1]}"
    stored, _ = _crawl(
        web,
        tmp_path,
        f'[[sources]]\nname = "local"\ndomains = ["{host}"]\nstart_pages = ["http://{host}/"]\n',
    )
    assert stored == [f"http://{host}{A}", f"http://{host}{B}"]


@pytest.mark.parametrize("domain", ["https://www.theguardian.com/", "www.theguardian.com/world"])
def test_a_url_in_domains_is_refused_with_exit_2(tmp_path, domain):
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[[sources]]\nname = "g"\ndomains = ["{domain}"]\n'
        'feeds = ["https://www.theguardian.com/world/rss"]\n'
    )
    result = run_cli("crawl", "--sources", str(path), "--db", f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 2
    assert "not a bare host name" in result.stderr and 'source "g"' in result.stderr
