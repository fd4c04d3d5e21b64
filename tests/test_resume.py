"""Resumable crawls: SIGKILL mid-crawl, restart, nothing lost, stored twice or fetched
again; the spool survives a kill mid-replay and belongs to its database."""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from newsclaims import models
from newsclaims.fixtureweb.generated import GeneratedSite
from newsclaims.fixtureweb.server import DEFAULT_ROOT, start_fixture_server
from newsclaims.storage import database as db
from newsclaims.storage.spool import Spool
from newsclaims.storage.writer import write_article

from .conftest import FAST_CRAWL, ROOT, crawl_fixture_site, news_article

PAGES = 150


def article_urls(url: str) -> set[str]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            return set(connection.scalars(select(models.Article.url)))
    finally:
        engine.dispose()


def crawl_until_killed(command: list[str], url: str, stored: int) -> None:
    """Start a crawl in its own process group and SIGKILL all of it (the crawl and its
    analysis workers) once ``stored`` articles are in the database."""
    process = subprocess.Popen(
        command, cwd=ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while len(article_urls(url)) < stored:
        assert process.poll() is None, f"the crawl ended before the kill: {process.stderr.read()}"
        assert time.monotonic() < deadline, "the crawl made no progress"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(0.5)  # the kernel reaps the group's workers


def test_sigkill_twice_then_restart_finishes_without_loss_or_refetch(db_url, tmp_path):
    site = GeneratedSite(PAGES, delay=0.05)
    server = start_fixture_server(DEFAULT_ROOT, generated=site)
    sources = tmp_path / "gen.toml"
    sources.write_text(site.sources_toml())
    command = [
        sys.executable, "-m", "newsclaims.cli.main", "crawl", "--sources", str(sources),
        "--db", db_url, "--proxy", server.proxy_url,
        "-s", f"NEWSCLAIMS_SPOOL_DIR={tmp_path / 'spool'}", *FAST_CRAWL,
    ]  # fmt: skip
    try:
        snapshots = []
        for threshold in (40, 100):
            crawl_until_killed(command, db_url, threshold)
            snapshots.append((article_urls(db_url), len(server.requested)))
        final = crawl_fixture_site(server, db_url, tmp_path / "spool", sources=sources)
        assert final.returncode == 0, final.stderr[-3000:]
    finally:
        server.shutdown()
        server.server_close()

    stored = article_urls(db_url)
    assert stored == {site.article_url(n) for n in range(PAGES)}  # nothing lost
    for before, mark in snapshots:  # what was stored before a kill is never fetched again
        assert not before & set(server.requested[mark:])
    all_fetches = [u for u in server.requested if "/news/" in u]
    refetched = len(all_fetches) - len(set(all_fetches))
    print(
        f"\nkilled at {len(snapshots[0][0])} and {len(snapshots[1][0])} stored; "
        f"{len(all_fetches)} article fetches for {PAGES} articles ({refetched} in flight "
        f"at a kill, fetched again)"
    )
    segments = [0, *(mark for _, mark in snapshots), len(server.requested)]
    for start, end in itertools.pairwise(segments):  # one fetch per run
        run_fetches = [u for u in server.requested[start:end] if "/news/" in u]
        assert len(run_fetches) == len(set(run_fetches))
    engine = db.make_engine(db_url)
    with db.make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(models.Article)) == PAGES
        without_paragraphs = session.scalar(
            select(func.count())
            .select_from(models.Article)
            .where(~models.Article.id.in_(select(models.Paragraph.article_id)))
        )
        assert without_paragraphs == 0
        statuses = list(
            session.scalars(select(models.CrawlRun.status).order_by(models.CrawlRun.id))
        )
    engine.dispose()
    assert statuses == ["interrupted", "interrupted", "finished"]


def _articles(count: int) -> list:
    return [
        news_article(f"story-{n}", "spooled", [f'The minister said "we act today, number {n}".'])
        for n in range(count)
    ]


def keep_nothing(item, exc):
    raise AssertionError(f"the database refused {item.url}: {exc}")


def test_a_replay_killed_half_way_is_taken_up_again(db_url, tmp_path):
    spool = Spool.for_database(tmp_path, db_url)
    for article in _articles(6):
        spool.append(article)
    engine = db.make_engine(db_url)
    sessions = db.make_sessionmaker(engine)
    written = []

    class Killed(BaseException):  # not an Exception: the replay must not catch it
        pass

    def dies_after_three(item):
        if len(written) == 3:
            raise Killed
        written.append(write_article(sessions, item))

    with contextlib.suppress(Killed):
        spool.replay(dies_after_three, refused=keep_nothing)
    (stranded,) = spool.directory.glob("pending.replaying-*")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # the replaying process "died": give its file a dead process's id
    stranded.rename(stranded.with_name(f"pending.replaying-{dead.pid}-x"))
    assert len(spool) == 6
    results = spool.replay(lambda item: write_article(sessions, item), refused=keep_nothing)
    assert len(results) == 6 and len(spool) == 0
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(models.Article)) == 6
    engine.dispose()


def test_the_spool_belongs_to_its_database(tmp_path):
    one = Spool.for_database(tmp_path, "sqlite:///one.db")
    other = Spool.for_database(tmp_path, "sqlite:///other.db")
    one.append(_articles(1)[0])
    assert len(one) == 1 and len(other) == 0 and one.directory != other.directory


def test_a_runs_counts_include_what_it_replayed(db_url, tmp_path):
    site = GeneratedSite(3)
    server = start_fixture_server(DEFAULT_ROOT, generated=site)
    sources = tmp_path / "gen.toml"
    sources.write_text(site.sources_toml())
    spool = Spool.for_database(tmp_path / "spool", db_url)
    for article in _articles(4):
        spool.append(article)
    try:
        result = crawl_fixture_site(server, db_url, tmp_path / "spool", sources=sources)
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "replayed from spool" in result.stdout
    engine = db.make_engine(db_url)
    with db.make_sessionmaker(engine)() as session:
        run = session.scalars(select(models.CrawlRun)).one()
    engine.dispose()
    assert run.replayed == 4 and run.stored == 4 + site.count
