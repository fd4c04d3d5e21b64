"""``newsclaims runs``: every crawl run with its times, status and counts, newest first."""

from __future__ import annotations

import argparse
from typing import Any

from newsclaims.cli.common import EXIT_OK, add_command, add_db, int_at_least
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


RUNS_EXAMPLES = """
  newsclaims runs                                    # the 20 latest runs of ./newsclaims.db
  newsclaims runs --limit 5 --db postgresql://user@host/newsclaims
"""


def register(commands: Any) -> None:
    runs = add_command(
        commands,
        "runs",
        help="list crawl runs: start, end, status and counts",
        description="Crawl runs, newest first. A run whose process died shows `interrupted` "
        "(the next run closes it); `running` is a live one.",
        examples=RUNS_EXAMPLES,
    )
    add_db(runs)
    runs.add_argument(
        "--limit", type=int_at_least(1), default=20, metavar="N", help="how many runs (default 20)"
    )
    runs.set_defaults(handler=cmd_runs)


def _time(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}" if value is not None else "-"


def cmd_runs(args: argparse.Namespace) -> int:
    from newsclaims.storage import database as db
    from newsclaims.storage.articles import ArticleStore

    url = database_url(args.db)
    engine = db.make_engine(url, read_only=True)
    try:
        db.require_current_schema(engine)
        with db.database_errors(url):
            rows = ArticleStore(engine).recent_runs(args.limit)
    finally:
        engine.dispose()
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
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return EXIT_OK
