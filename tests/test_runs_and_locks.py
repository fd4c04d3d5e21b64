"""Runs and locks: one crawl at a time (exit 4 for the second), dead runs closed as
``interrupted``, a crashed holder's lock expiring, concurrent ``db upgrade`` serialised."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.engine import make_url

from newsclaims import models
from newsclaims.storage import database as db
from newsclaims.storage import locks, runs
from newsclaims.storage.errors import LockHeld

from .conftest import BACKENDS, FIXTURE_SOURCES, POSTGRES_URL, ROOT, run_cli


def dead_pid() -> int:
    """A process id that existed and is gone."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def owner_with_pid(pid: int) -> str:
    return f"{socket.gethostname()[:120]}:{pid}:test"


@pytest.fixture
def sessions(engine):
    return db.make_sessionmaker(engine)


def test_a_held_lock_refuses_a_second_owner_until_released(sessions):
    locks.acquire(sessions, "crawl", "a", ttl=60)
    with pytest.raises(LockHeld, match="another run holds the crawl lock"):
        locks.acquire(sessions, "crawl", "b", ttl=60)
    locks.acquire(sessions, "crawl", "a", ttl=60)  # the owner may take it again
    locks.release(sessions, "crawl", "a")
    locks.acquire(sessions, "crawl", "b", ttl=60)


def test_an_expired_lock_is_taken_over(sessions):
    locks.acquire(sessions, "crawl", "other-host:1:x", ttl=60)
    with sessions.begin() as session:
        session.execute(
            update(models.Lock).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    locks.acquire(sessions, "crawl", "b", ttl=60)
    assert not locks.renew(sessions, "crawl", "other-host:1:x", ttl=60)


def test_a_lock_of_a_dead_process_on_this_host_is_taken_at_once(sessions):
    locks.acquire(sessions, "crawl", owner_with_pid(dead_pid()), ttl=3600)
    locks.acquire(sessions, "crawl", "b", ttl=60)
    with pytest.raises(LockHeld):
        locks.acquire(sessions, "crawl", owner_with_pid(os.getpid()), ttl=60)


def test_dead_runs_are_closed_as_interrupted_and_live_ones_kept(sessions):
    dead = runs.start_run(sessions, "news", owner_with_pid(dead_pid()))
    live = runs.start_run(sessions, "news", owner_with_pid(os.getpid()))
    silent = runs.start_run(sessions, "news", "other-host:1:x")
    with sessions.begin() as session:
        session.execute(
            update(models.CrawlRun)
            .where(models.CrawlRun.id == silent)
            .values(heartbeat_at=datetime.now(UTC) - timedelta(minutes=5))
        )
    assert sorted(runs.close_dead_runs(sessions, ttl=60)) == sorted([dead, silent])
    with sessions() as session:
        status = dict(session.execute(select(models.CrawlRun.id, models.CrawlRun.status)).all())
    assert status == {dead: "interrupted", live: "running", silent: "interrupted"}


def test_second_crawl_exits_4_while_a_live_run_holds_the_lock(db_url, sessions):
    locks.acquire(sessions, "crawl", owner_with_pid(os.getpid()), ttl=600)
    result = run_cli("crawl", "--sources", str(FIXTURE_SOURCES), "--db", db_url)
    assert result.returncode == 4
    assert "another run holds the crawl lock" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    with sessions() as session:
        assert session.scalar(select(models.CrawlRun.id)) is None  # it did nothing


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path) -> Iterator[str]:
    """A database with no tables at all, as a first deployment finds it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.db'}"
        return
    admin = request.getfixturevalue("postgres_admin")
    name = f"nc_empty_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_concurrent_upgrades_of_a_new_database_wait_for_each_other(empty_database):
    command = [sys.executable, "-m", "newsclaims.cli.main", "db", "upgrade", "--db", empty_database]
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err
    engine = db.make_engine(empty_database)
    assert db.current_revision(engine) == db.head_revision()
    engine.dispose()


def test_two_crawls_started_at_once_one_works_the_other_exits_4(db_url, tmp_path):
    from newsclaims.fixtureweb.generated import GeneratedSite
    from newsclaims.fixtureweb.server import DEFAULT_ROOT, start_fixture_server

    from .conftest import FAST_CRAWL

    site = GeneratedSite(30, delay=0.1)
    server = start_fixture_server(DEFAULT_ROOT, generated=site)
    sources = tmp_path / "gen.toml"
    sources.write_text(site.sources_toml())
    command = [
        sys.executable, "-m", "newsclaims.cli.main", "crawl", "--sources", str(sources),
        "--db", db_url, "--proxy", server.proxy_url,
        "-s", f"NEWSCLAIMS_SPOOL_DIR={tmp_path / 'spool'}", *FAST_CRAWL,
    ]  # fmt: skip
    try:
        processes = [
            subprocess.Popen(
                command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        results = sorted((p.wait(timeout=300), p.communicate()[1]) for p in processes)
    finally:
        server.shutdown()
        server.server_close()
    assert [code for code, _ in results] == [0, 4], results
    assert "another run holds the crawl lock" in results[1][1]
    fetched = [u for u in server.requested if "/news/" in u]
    assert len(fetched) == len(set(fetched)) == site.count  # the work was done once


def _generated_site(tmp_path, pages: int, delay: float):
    from newsclaims.fixtureweb.generated import GeneratedSite
    from newsclaims.fixtureweb.server import DEFAULT_ROOT, start_fixture_server

    site = GeneratedSite(pages, delay=delay)
    server = start_fixture_server(DEFAULT_ROOT, generated=site)
    sources = tmp_path / "gen.toml"
    sources.write_text(site.sources_toml())
    return server, sources


def _scrapy_crawl(db_url: str, sources, server, tmp_path) -> list[str]:
    return [
        sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}",
        "-s", f"NEWSCLAIMS_DATABASE_URL={db_url}", "-s", f"NEWSCLAIMS_SPOOL_DIR={tmp_path}/spool",
        "-s", "LOG_LEVEL=WARNING", "-s", "NEWSCLAIMS_EXTRACT_WORKERS=1",
    ]  # fmt: skip


def test_scrapy_crawl_news_holds_the_same_lock_as_newsclaims_crawl(db_url, tmp_path, sessions):
    """While one `scrapy crawl news` works (a slow site: it is still running), a second
    one and a `newsclaims crawl` both exit 4 and do nothing."""
    from .test_resume import article_urls

    server, sources = _generated_site(tmp_path, 60, delay=1.0)
    env = {**os.environ, "http_proxy": server.proxy_url}
    first = subprocess.Popen(
        _scrapy_crawl(db_url, sources, server, tmp_path), cwd=ROOT, env=env,
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not article_urls(db_url):  # it holds the lock and is storing
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            assert time.monotonic() < deadline, "the first crawl stored nothing"
            time.sleep(0.1)
        second = subprocess.run(
            _scrapy_crawl(db_url, sources, server, tmp_path), cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        third = run_cli(
            "crawl", "--sources", str(sources), "--db", db_url, "--proxy", server.proxy_url
        )
        assert first.poll() is None  # the runs did overlap
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        server.shutdown()
        server.server_close()
    assert second.returncode == 4, second.stderr[-2000:]
    assert second.stderr.strip().splitlines() == [
        line for line in second.stderr.strip().splitlines() if "another run holds" in line
    ]
    assert second.stderr.startswith("scrapy crawl news: error: another run holds the crawl lock")
    assert third.returncode == 4 and "another run holds the crawl lock" in third.stderr
    with sessions() as session:  # only the first run ever started
        assert len(session.scalars(select(models.CrawlRun.id)).all()) == 1


def _worker_lease(db_url: str, ttl: float = 60) -> locks.Lease:
    """The lease a distributed worker takes (``crawl_lease`` with a Redis frontier)."""
    from scrapy.settings import Settings

    from newsclaims.crawl.lease import crawl_lease

    settings = Settings()
    settings.setmodule("newsclaims.settings")
    settings.set("NEWSCLAIMS_REDIS_URL", "redis://127.0.0.1:6379/0")
    settings.set("NEWSCLAIMS_LOCK_TTL", ttl)
    return crawl_lease(settings, db_url, locks.make_owner())


def test_workers_of_one_frontier_share_the_lease_and_keep_others_out(sessions, db_url):
    """Every worker is a holder from the moment it takes the lease: a worker leaving while
    another still holds it (even one that has not opened its spider, so is not in Redis
    yet) keeps the lease; the last one leaving releases it."""
    from newsclaims.crawl.lease import frontier_owner

    owner = frontier_owner("redis://:secret@redis-host:6380/2", "newsclaims")
    assert "secret" not in owner and "redis-host:6380/2" in owner
    alone = owner_with_pid(os.getpid())
    one, two = _worker_lease(db_url), _worker_lease(db_url)
    with one:
        # a second worker of the same frontier is not stopped
        with two, pytest.raises(LockHeld, match="redis frontier newsclaims"):
            locks.acquire(sessions, "crawl", alone, ttl=60)
        with pytest.raises(LockHeld):  # `two` left, `one` still holds it
            locks.acquire(sessions, "crawl", alone, ttl=60)
        three = _worker_lease(db_url)
        three.__enter__()
    with pytest.raises(LockHeld):  # `one` left first this time, `three` holds it
        locks.acquire(sessions, "crawl", alone, ttl=60)
    three.__exit__(None, None, None)
    locks.acquire(sessions, "crawl", alone, ttl=60)  # the last worker released it
    with sessions() as session:
        assert session.scalars(select(models.LockHolder.holder)).all() == []


def test_a_crashed_workers_share_does_not_keep_the_lease(sessions, db_url):
    """A holder that died (on this host: at once; elsewhere: once its row expired) is no
    reason to keep the lease when the last live worker leaves."""
    from newsclaims.crawl.lease import frontier_owner

    owner = frontier_owner("redis://127.0.0.1:6379/0", "newsclaims")
    locks.acquire(sessions, "crawl", owner, ttl=60, holder=owner_with_pid(dead_pid()))
    locks.acquire(sessions, "crawl", owner, ttl=60, holder="other-host:1:x")
    with sessions.begin() as session:
        session.execute(
            update(models.LockHolder)
            .where(models.LockHolder.holder == "other-host:1:x")
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    with _worker_lease(db_url):
        pass
    locks.acquire(sessions, "crawl", owner_with_pid(os.getpid()), ttl=60)


def test_a_lease_lost_while_held_calls_on_lost(sessions, db_url):
    """Expired while its holder could not renew it, then taken by a run on its own: the
    holder's next beat finds it held and says so (the crawl stops on that), and leaving
    does not release the other run's lease."""
    lost = threading.Event()
    lease = _worker_lease(db_url, ttl=1.5)
    lease.on_lost = lost.set
    with lease:
        with sessions.begin() as session:  # as if expired and taken
            session.execute(
                update(models.Lock).values(
                    owner="other-host:1:solo", expires_at=datetime.now(UTC) + timedelta(hours=1)
                )
            )
        assert lost.wait(10)
        assert lease.lost.is_set()
    assert _holder(sessions) == "other-host:1:solo"


def _lock(sessions) -> models.Lock:
    with sessions() as session:
        return session.scalars(select(models.Lock).where(models.Lock.name == "crawl")).one()


def _holder(sessions) -> str | None:
    return _lock(sessions).owner
