"""No analysis worker outlives a SIGKILLed crawl or ingest.

Only the crawl's own process is killed (not its process group), as a supervisor's
``kill -9 PID`` or the OOM killer does; its forkserver, pebble workers and resource
tracker must all be gone soon after, or they hold ~150 MB each for as long as a page takes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from newsclaims.fixtureweb.generated import GeneratedSite
from newsclaims.fixtureweb.server import DEFAULT_ROOT, start_fixture_server
from newsclaims.storage import database as db

from .conftest import FAST_CRAWL, FIXTURE_SOURCES, ROOT
from .test_resume import article_urls

GRACE = 15.0  # seconds the orphans may take to notice


def gone(process: psutil.Process) -> bool:
    """Exited (a zombie nobody reaps counts as gone: it holds no memory)."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


# The crawl's own analysis pool (AnalysePipeline), both workers given a task that takes two
# minutes, as a page that is slow to analyse does; then the process waits to be killed.
BUSY_POOL = """
import sys, time
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler
from newsclaims.pipelines.analyse import AnalysePipeline

if __name__ == "__main__":
    crawler = get_crawler(
        Spider, {"NEWSCLAIMS_SOURCES": sys.argv[1], "NEWSCLAIMS_EXTRACT_WORKERS": 2}
    )
    pipeline = AnalysePipeline.from_crawler(crawler)
    pipeline.open_spider()
    tasks = [pipeline.pool.schedule(time.sleep, (120,)) for _ in range(2)]
    while not all(task.running() for task in tasks):  # both handed to a worker
        time.sleep(0.05)
    print("busy", flush=True)
    time.sleep(600)
"""


# ingest's own pool (Ingest._new_pool), both workers given a two-minute task.
BUSY_INGEST_POOL = """
import time
from newsclaims.ingest.driver import Ingest
from newsclaims.pages.analyse import AnalysisOptions

if __name__ == "__main__":
    pool = Ingest("sqlite://", None, AnalysisOptions(), workers=2)._new_pool()
    tasks = [pool.submit(time.sleep, 120) for _ in range(2)]
    while not all(task.running() for task in tasks):  # both queued to the workers
        time.sleep(0.05)
    print("busy", flush=True)
    time.sleep(600)
"""


def wait_gone(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those still alive after ``GRACE`` seconds (polled, so it returns as soon as all are
    gone)."""
    start = time.monotonic()
    while time.monotonic() - start < GRACE and not all(map(gone, processes)):
        time.sleep(0.1)
    return [p for p in processes if not gone(p)]


@pytest.mark.parametrize("script", [BUSY_POOL, BUSY_INGEST_POOL], ids=["crawl", "ingest"])
def test_workers_busy_on_a_long_page_die_with_a_sigkilled_command(script):
    owner = subprocess.Popen(
        [sys.executable, "-c", script, str(FIXTURE_SOURCES)], cwd=ROOT,
        start_new_session=True, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    descendants: list[psutil.Process] = []
    try:
        assert owner.stdout is not None and owner.stdout.readline().strip() == "busy"
        # The forkserver, the resource tracker and two workers (spawned as tasks arrive).
        deadline = time.monotonic() + 60
        while len(descendants := psutil.Process(owner.pid).children(recursive=True)) < 4:
            assert time.monotonic() < deadline, [p.cmdline() for p in descendants]
            time.sleep(0.05)
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait()
        survivors = wait_gone(descendants)
        assert not survivors, [p.cmdline() for p in survivors]
    finally:
        for process in descendants:
            if not gone(process):
                process.kill()
        if owner.poll() is None:
            owner.kill()


def test_no_analysis_worker_outlives_a_sigkill_of_the_crawl(tmp_path):
    site = GeneratedSite(150, delay=0.05)
    server = start_fixture_server(DEFAULT_ROOT, generated=site)
    sources = tmp_path / "gen.toml"
    sources.write_text(site.sources_toml())
    url = f"sqlite:///{tmp_path / 'kill.db'}"
    db.upgrade(url)  # so the test can count articles from the start
    command = [
        sys.executable, "-m", "newsclaims.cli.main", "crawl", "--sources", str(sources),
        "--db", url, "--proxy", server.proxy_url,
        "-s", f"NEWSCLAIMS_SPOOL_DIR={tmp_path / 'spool'}", *FAST_CRAWL,
    ]  # fmt: skip
    crawl = subprocess.Popen(
        command, cwd=ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    descendants: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 300
        # Mid-run: articles are being stored, so the pool is up and busy.
        while len(article_urls(url)) < 10:
            assert crawl.poll() is None, f"the crawl ended early: {crawl.stderr.read()}"
            assert time.monotonic() < deadline, "the crawl made no progress"
            time.sleep(0.05)
        descendants = psutil.Process(crawl.pid).children(recursive=True)
        workers = [p for p in descendants if "forkserver" in " ".join(p.cmdline())]
        assert len(descendants) >= 3, [p.cmdline() for p in descendants]
        assert workers, [p.cmdline() for p in descendants]  # the forkserver, at least
        os.kill(crawl.pid, signal.SIGKILL)  # the crawl alone, not its group
        crawl.wait()
        killed = time.monotonic()
        survivors = wait_gone(descendants)
        print(
            f"\n{len(descendants)} descendants of the crawl; {len(survivors)} alive "
            f"{time.monotonic() - killed:.1f} s after its SIGKILL"
        )
        assert not survivors, [p.cmdline() for p in survivors]
    finally:
        for process in descendants:  # never leave them to the next test
            if not gone(process):
                process.kill()
        if crawl.poll() is None:
            crawl.kill()
        server.shutdown()
        server.server_close()
