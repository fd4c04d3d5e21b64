"""CSV export throughput and peak memory at 100k and 1M quote rows (SQLite, and PostgreSQL if reachable).

Memory must stay flat whatever the row count: each export runs as its own
``newsclaims export quotes`` process and its peak RSS (ru_maxrss) is read afterwards.

Run: python bench/bench_export.py [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from newsclaims import models
from newsclaims.storage import database as db

SIZES = (100_000, 1_000_000)
BATCH = 50_000


def populate(url: str, quotes: int) -> None:
    """Quotes spread over 10k articles, 1k speakers, 20 outlets."""
    engine = db.make_engine(url)
    now = datetime(2015, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(models.Source), [{"id": i, "name": f"outlet{i}"} for i in range(1, 21)]
        )
        connection.execute(
            insert(models.Speaker), [{"id": i, "name": f"Speaker {i}"} for i in range(1, 1001)]
        )
        connection.execute(
            insert(models.Article),
            [
                {
                    "id": i, "source_id": 1 + i % 20, "url": f"http://o.test/{i}",
                    "canonical_url": f"http://o.test/{i}", "url_hash": f"{i:040d}",
                    "title": f"Article {i}", "published_at": now + timedelta(hours=i),
                    "fetched_at": now, "text": "body", "content_hash": "c", "http_status": 200,
                }
                for i in range(1, 10_001)
            ],
        )  # fmt: skip
    for start in range(0, quotes, BATCH):
        rows = [
            {
                "id": i + 1, "article_id": 1 + i % 10_000, "paragraph_position": i // 10_000,
                "start": 0, "end": 60, "kind": "direct", "speaker_id": 1 + i % 1000,
                "text": f"Statement number {i} about the coalition's air strikes, as quoted.",
                "speaker_mention": "he", "cue": "said", "inferred": False,
            }
            for i in range(start, min(start + BATCH, quotes))
        ]  # fmt: skip
        with engine.begin() as connection:
            connection.execute(insert(models.Quote), rows)
    engine.dispose()


def export(url: str, target: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one `newsclaims export quotes` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "newsclaims.cli.main",
            "export",
            "quotes",
            "--db",
            url,
            "-o",
            str(target),
        ],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def fresh_postgres(admin_url: str, name: str) -> str:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("NEWSCLAIMS_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    print(f"{'backend':<10}{'rows':>10}{'seconds':>10}{'rows/s':>12}{'peak RSS MiB':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("sqlite", lambda n: f"sqlite:///{tmp}/bench-{n}.db")]
        if args.postgres:
            targets.append(("postgres", lambda n: fresh_postgres(args.postgres, f"nc_bench_{n}")))
        for backend, make in targets:
            peaks = []
            for size in SIZES:
                url = make(size)
                db.upgrade(url)
                populate(url, size)
                seconds, peak = export(url, Path(tmp) / f"{backend}-{size}.csv")
                with open(Path(tmp) / f"{backend}-{size}.csv", "rb") as written:
                    lines = sum(1 for _ in written) - 1
                assert lines == size, (lines, size)
                peaks.append(peak)
                print(
                    f"{backend:<10}{size:>10,}{seconds:>10.1f}{size / seconds:>12,.0f}{peak:>14.0f}"
                )
            print(f"{backend}: peak memory 1M / 100k rows = {peaks[1] / peaks[0]:.2f}x")


if __name__ == "__main__":
    main()
