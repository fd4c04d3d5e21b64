"""``newsclaims runs``: every crawl run with its times, status and counts, newest first."""

from __future__ import annotations

import argparse
from typing import Any

from newsclaims.cli.common import EXIT_OK, add_db
from newsclaims.config.environment import database_url

COLUMNS = (
    "fetched",
    "stored",
    "updated",
    "unchanged",
    "not_modified",
    "skipped",
    "errors",
    "replayed",
)


def register(commands: Any) -> None:
    runs = commands.add_parser(
        "runs",
        help="list crawl runs: start, end, status and counts",
        description="Crawl runs, newest first. A run whose process died shows `interrupted` "
        "(the next run closes it); `running` is a live one.",
    )
    add_db(runs)
    runs.add_argument("--limit", type=int, default=20, help="how many runs (default 20)")
    runs.set_defaults(handler=cmd_runs)


def _time(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}" if value is not None else "-"


def cmd_runs(args: argparse.Namespace) -> int:
    from newsclaims.storage import database as db
    from newsclaims.storage.articles import ArticleStore

    url = database_url(args.db)
    with db.reporting_unavailable(url, "read", " (run `newsclaims db upgrade`?)"):
        store = ArticleStore(db.make_engine(url))
        rows = store.recent_runs(args.limit)
        header = ["id", "status", "started", "finished", *COLUMNS]
        table = [
            [
                str(run.id),
                run.status,
                _time(run.started_at),
                _time(run.finished_at),
                *(str(getattr(run, name) or 0) for name in COLUMNS),
            ]
            for run in rows
        ]
        widths = [max(len(row[i]) for row in [header, *table]) for i in range(len(header))]
        for row in [header, *table]:
            print(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
        store.engine.dispose()
    return EXIT_OK
