"""How a crawl ends: a signal (Ctrl-C, SIGTERM), nothing fetched, only errors, depth 0.

Real subprocess crawls of the hostile loopback site, real signals.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from newsclaims import models
from newsclaims.fixtureweb.hostile import HostileSite, sources_toml
from newsclaims.storage import database as db

from .conftest import FAST_CRAWL, ROOT, run_cli


@pytest.fixture
def site():
    site = HostileSite().start()
    yield site
    site.shutdown()
    site.server_close()


def _sources(directory: Path, text: str) -> Path:
    path = directory / "sources.toml"
    path.write_text(text)
    return path


def _runs(url: str) -> list[models.CrawlRun]:
    engine = db.make_engine(url)
    try:
        with db.make_sessionmaker(engine)() as session:
            runs = list(session.scalars(select(models.CrawlRun)))
            session.expunge_all()
            return runs
    finally:
        engine.dispose()


def _stored_urls(url: str) -> set[str]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            return set(connection.execute(select(models.Article.url)).scalars())
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("signum", "code", "to_group"),
    [(signal.SIGINT, 130, True), (signal.SIGTERM, 143, False)],
    ids=["SIGINT-to-the-process-group", "SIGTERM"],
)
def test_a_signal_stops_the_crawl_records_it_interrupted_and_exits_128_plus_n(
    site, db_url, tmp_path, signum, code, to_group
):
    """Ctrl-C reaches the whole process group (workers included); SIGTERM only the parent."""
    sources = _sources(tmp_path, sources_toml(site))
    process = subprocess.Popen(
        [
            sys.executable, "-m", "newsclaims.cli.main", "crawl",
            "--sources", str(sources), "--db", db_url,
            "-s", f"NEWSCLAIMS_SPOOL_DIR={tmp_path / 'spool'}",
            "-s", "DOWNLOAD_TIMEOUT=20",
            *FAST_CRAWL,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while "/slow.html" not in site.requested and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "/slow.html" in site.requested, "the crawl never reached the slow page"
        if to_group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert stdout.startswith(f"crawl interrupted by {signal.Signals(signum).name}"), stdout
    assert "fetched pages" in stdout
    (run,) = _runs(db_url)
    assert run.status == "interrupted" and run.finished_at is not None
    # The page in flight when the signal came was finished and stored, not dropped.
    assert f"{site.base_url}/slow.html" in _stored_urls(db_url)


def test_a_crawl_that_fetched_nothing_failed_quietly(db_url, tmp_path):
    """Offline: every request is refused. Exit 1, status failed, the reason, no traceback."""
    closed = HostileSite()  # bound, never served: connections to its port are refused
    port = closed.server_address[1]
    closed.server_close()
    sources = _sources(tmp_path, sources_toml(closed))
    assert str(port) in sources.read_text()
    result = run_cli(
        "crawl", "--sources", str(sources), "--db", db_url,
        "-s", f"NEWSCLAIMS_SPOOL_DIR={tmp_path / 'spool'}",
        "-s", "RETRY_TIMES=1",
        *FAST_CRAWL,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("crawl failed: every request failed (1 fetch error,"), (
        result.stdout
    )
    assert "Traceback" not in result.stderr, result.stderr
    # One line per failure: the fetch error, not also Scrapy's "Gave up retrying".
    assert "Gave up retrying" not in result.stderr
    assert f"fetch error http://127.0.0.1:{port}/: " in result.stderr
    for line in result.stderr.splitlines():
        if "ERROR" in line or "WARNING" in line:
            assert not line.rstrip().endswith(":"), f"a log line with an empty reason: {line}"
    (run,) = _runs(db_url)
    assert run.status == "failed"


def test_depth_zero_means_the_start_pages_only(site, tmp_path):
    url = f"sqlite:///{tmp_path / 'depth0.db'}"
    assert run_cli("db", "upgrade", "--db", url).returncode == 0
    sources = _sources(tmp_path, sources_toml(site).replace("depth = 3", "depth = 0"))
    start = len(site.requested)
    result = run_cli(
        "crawl", "--sources", str(sources), "--db", url,
        "-s", f"NEWSCLAIMS_SPOOL_DIR={tmp_path / 'spool'}",
        *FAST_CRAWL,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    assert sorted(site.requested[start:]) == ["/", "/robots.txt"]
