"""Pages per second of distributed crawling: one worker, then two, on a generated site.

Each configuration crawls a fresh PostgreSQL database from a fresh Redis frontier
(``newsclaims crawl --redis``) through the loopback fixture server; the site answers
each article after ``--delay`` seconds (network latency). Prints fetches per URL and
the Redis duplicate filter's size. Usage:
    python bench/bench_distributed.py [--pages 150] [--delay 0.05]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import redis
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from newsclaims import models
from newsclaims.fixtureweb.generated import GeneratedSite
from newsclaims.fixtureweb.server import DEFAULT_ROOT, start_fixture_server
from newsclaims.storage import database as db

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[1]


def fresh_database() -> str:
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    name = f"nc_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    db.upgrade(url)
    return url


def run(workers: int, pages: int, delay: float, directory: Path) -> None:
    site = GeneratedSite(pages, delay=delay)
    server = start_fixture_server(DEFAULT_ROOT, generated=site)
    times: list[float] = []
    log = server.log_request_url

    def timed(url: str) -> None:
        times.append(time.monotonic())
        log(url)

    server.log_request_url = timed  # type: ignore[method-assign]
    sources = directory / "gen.toml"
    sources.write_text(site.sources_toml())
    url = fresh_database()
    prefix = f"ncbench-{uuid.uuid4().hex[:6]}"
    command = [
        sys.executable, "-m", "newsclaims.cli.main", "crawl", "--sources", str(sources),
        "--db", url, "--proxy", server.proxy_url, "--redis", REDIS,
        "-s", f"NEWSCLAIMS_REDIS_PREFIX={prefix}", "-s", "NEWSCLAIMS_REDIS_IDLE_CLOSE=3",
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false",
        "-s", "NEWSCLAIMS_EXTRACT_WORKERS=1", "-s", f"NEWSCLAIMS_SPOOL_DIR={directory}/spool",
    ]  # fmt: skip
    started = time.monotonic()
    processes = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(workers)
    ]
    codes = [p.wait() for p in processes]
    elapsed = time.monotonic() - started
    fetched = Counter(u for u in server.requested if "/news/" in u)
    engine = db.make_engine(url)
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(models.Article))
    engine.dispose()
    client = redis.Redis.from_url(REDIS)
    seen_key = f"{prefix}:news:seen"
    seen, memory = client.zcard(seen_key), client.memory_usage(seen_key)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    server.shutdown()
    window = times[-1] - times[0]  # first request to last: start-up and idle close excluded
    print(
        f"{workers} worker(s): exit {codes}, {elapsed:.1f} s wall, {window:.1f} s fetching, "
        f"{len(times) / window:.1f} pages/s, {len(fetched)} article URLs fetched "
        f"{sum(fetched.values())} times (max {max(fetched.values())} per URL), "
        f"{stored} stored; duplicate filter {seen} fingerprints, {memory} bytes"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        for workers in (1, 2):
            run(workers, args.pages, args.delay, Path(directory))


if __name__ == "__main__":
    main()
