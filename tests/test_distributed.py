"""Distributed crawling: two workers on one Redis frontier and one PostgreSQL database.

Real Redis (127.0.0.1:6379, or NEWSCLAIMS_TEST_REDIS_URL) and PostgreSQL; each test uses
its own Redis key prefix.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from scrapy import Request
from sqlalchemy import select, update

from newsclaims import models
from newsclaims.crawl.distributed import ExpiringDupeFilter
from newsclaims.fixtureweb.generated import GeneratedSite
from newsclaims.fixtureweb.server import DEFAULT_ROOT, FixtureServer, start_fixture_server
from newsclaims.storage import database as db
from newsclaims.storage import locks

from .conftest import IN_CI, ROOT, _fresh_database
from .test_resume import article_urls

REDIS_URL = os.environ.get("NEWSCLAIMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PAGES = 150


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        if IN_CI:
            pytest.fail(f"Redis not reachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    yield client
    client.close()


@pytest.fixture
def prefix(redis_client: redis.Redis) -> Iterator[str]:
    name = f"nctest-{uuid.uuid4().hex[:8]}"
    yield name
    for key in redis_client.scan_iter(f"{name}:*"):
        redis_client.delete(key)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from _fresh_database(request, "postgres", tmp_path)


@pytest.fixture
def site() -> Iterator[tuple[GeneratedSite, FixtureServer]]:
    generated = GeneratedSite(PAGES, delay=0.05)
    server = start_fixture_server(DEFAULT_ROOT, generated=generated)
    yield generated, server
    server.shutdown()
    server.server_close()


def worker(
    server: FixtureServer, sources: Path, url: str, prefix: str, spool: Path, *extra: str
) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "newsclaims.cli.main", "crawl", "--sources", str(sources),
        "--db", url, "--proxy", server.proxy_url, "--redis", REDIS_URL,
        "-s", f"NEWSCLAIMS_REDIS_PREFIX={prefix}", "-s", "NEWSCLAIMS_REDIS_IDLE_CLOSE=3",
        "-s", "NEWSCLAIMS_LOCK_TTL=6", "-s", f"NEWSCLAIMS_SPOOL_DIR={spool}",
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false",
        "-s", "NEWSCLAIMS_EXTRACT_WORKERS=1", *extra,
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_two_workers_fetch_every_url_once_and_store_every_article_once(
    site, postgres_url, prefix, tmp_path
):
    generated, server = site
    sources = tmp_path / "gen.toml"
    sources.write_text(generated.sources_toml())
    workers = [worker(server, sources, postgres_url, prefix, tmp_path / "spool") for _ in range(2)]
    outputs = [w.communicate(timeout=600) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err[-2000:] for _, err in outputs]
    fetched = Counter(u for u in server.requested if not u.endswith("/robots.txt"))
    assert max(fetched.values()) == 1, [u for u, n in fetched.items() if n > 1]
    assert article_urls(postgres_url) == {generated.article_url(n) for n in range(PAGES)}
    # Both workers took part (each printed a summary with fetched pages).
    assert all("fetched pages" in out for out, _ in outputs)
    assert crawl_lock_owner(postgres_url) is None  # held together, released by the last


def crawl_lock_owner(url: str) -> str | None:
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(
                select(models.Lock.owner).where(models.Lock.name == locks.CRAWL_LOCK)
            )
    finally:
        engine.dispose()


def test_a_worker_does_not_start_beside_a_run_on_its_own(site, postgres_url, prefix, tmp_path):
    generated, server = site
    sources = tmp_path / "gen.toml"
    sources.write_text(generated.sources_toml())
    engine = db.make_engine(postgres_url)
    alone = f"{socket.gethostname()[:120]}:{os.getpid()}:test"  # a live run of this host
    locks.acquire(db.make_sessionmaker(engine), locks.CRAWL_LOCK, alone, ttl=600)
    engine.dispose()
    late = worker(server, sources, postgres_url, prefix, tmp_path / "spool")
    _out, err = late.communicate(timeout=300)
    assert late.returncode == 4, err[-2000:]
    assert "another run holds the crawl lock" in err and alone in err
    assert not server.requested  # it did nothing
    assert crawl_lock_owner(postgres_url) == alone


def test_a_worker_that_loses_the_lease_stops_crawling(postgres_url, prefix, tmp_path):
    """The lease expired while the worker could not renew it and a run on its own took it
    (done here by hand): the worker's next beat finds it held, and the worker stops (exit
    1, run ``lost_lock``) instead of crawling beside that run."""
    generated = GeneratedSite(PAGES, delay=0.3)
    server = start_fixture_server(DEFAULT_ROOT, generated=generated)
    sources = tmp_path / "gen.toml"
    sources.write_text(generated.sources_toml())
    one_at_a_time = ("-s", "CONCURRENT_REQUESTS=1")  # 150 pages: 45 s or more in all
    late = worker(server, sources, postgres_url, prefix, tmp_path / "spool", *one_at_a_time)
    try:
        deadline = time.monotonic() + 120
        while not article_urls(postgres_url):
            assert late.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        engine = db.make_engine(postgres_url)
        with engine.begin() as connection:
            connection.execute(
                update(models.Lock).values(
                    owner="other-host:1:solo",
                    expires_at=datetime.now(UTC) + timedelta(hours=1),
                )
            )
        _out, err = late.communicate(timeout=120)
    finally:
        if late.poll() is None:
            os.killpg(late.pid, signal.SIGKILL)
        late.wait()
        server.shutdown()
        server.server_close()
    assert late.returncode == 1, err[-2000:]
    assert "lost the crawl lock to other-host:1:solo" in err
    with engine.connect() as connection:
        status = connection.scalar(select(models.CrawlRun.status))
        stored = len(article_urls(postgres_url))
    engine.dispose()
    assert status == "lost_lock" and stored < PAGES
    assert crawl_lock_owner(postgres_url) == "other-host:1:solo"  # left to its holder


def test_killing_one_worker_leaves_the_other_to_finish_with_nothing_lost(
    site, postgres_url, prefix, tmp_path
):
    generated, server = site
    sources = tmp_path / "gen.toml"
    sources.write_text(generated.sources_toml())
    victim, survivor = (
        worker(server, sources, postgres_url, prefix, tmp_path / "spool") for _ in range(2)
    )
    deadline = time.monotonic() + 300
    while len(article_urls(postgres_url)) < 50:
        assert victim.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    _out, err = survivor.communicate(timeout=600)
    assert survivor.returncode == 0, err[-2000:]
    stored = article_urls(postgres_url)
    assert stored == {generated.article_url(n) for n in range(PAGES)}
    fetched = Counter(u for u in server.requested if "/news/" in u)
    print(f"\nafter the kill: {sum(fetched.values()) - len(fetched)} article pages fetched twice")


def test_the_duplicate_filter_forgets_and_trims_old_fingerprints(redis_client, prefix):
    key = f"{prefix}:seen"
    dupes = ExpiringDupeFilter(redis_client, key, ttl=1.0)
    first = Request("http://gen.test/a")
    assert not dupes.request_seen(first) and dupes.request_seen(first)
    time.sleep(1.2)
    assert not dupes.request_seen(first)  # expired: seen again as new
    for n in range(499):  # the 500th add trims what expired
        dupes.request_seen(Request(f"http://gen.test/{n}"))
    time.sleep(1.2)
    for n in range(500):
        dupes.request_seen(Request(f"http://gen.test/new/{n}"))
    assert redis_client.zcard(key) <= 500
