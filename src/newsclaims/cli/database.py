"""``newsclaims db upgrade|current`` and ``newsclaims stats``."""

from __future__ import annotations

import argparse
from typing import Any

from newsclaims.cli.common import EXIT_OK, add_db
from newsclaims.config.environment import database_url


def register(commands: Any) -> None:
    database = commands.add_parser(
        "db", help="database schema", description="Apply or show Alembic migrations."
    )
    actions = database.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="apply pending migrations")
    add_db(upgrade)
    current = actions.add_parser("current", help="print the schema revision")
    add_db(current)
    database.set_defaults(handler=cmd_db)

    stats = commands.add_parser(
        "stats",
        help="row counts and the latest crawl runs",
        description="Row counts of every table and the five latest crawl runs.",
    )
    add_db(stats)
    stats.set_defaults(handler=cmd_stats)


# SQLAlchemy and Alembic load when a command needs them, not at start-up.
def cmd_db(args: argparse.Namespace) -> int:
    from newsclaims.storage import database as db

    url = database_url(args.db)
    with db.reporting_unavailable(url):
        if args.db_command == "upgrade":
            db.upgrade(url)
            print(f"database {db.safe_url(url)} is at revision {db.head_revision()}")
        else:
            print(db.current_revision(db.make_engine(url)) or "empty")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from newsclaims.storage import database as db
    from newsclaims.storage.articles import ArticleStore

    url = database_url(args.db)
    with db.reporting_unavailable(url, "read", " (run `newsclaims db upgrade`?)"):
        store = ArticleStore(db.make_engine(url))
        for name, value in store.counts().items():
            print(f"{name:<14}{value}")
        for run in store.recent_runs(5):
            print(
                f"run {run.id}: {run.status} started {run.started_at:%Y-%m-%d %H:%M:%S} "
                f"fetched {run.fetched} stored {run.stored} off-topic {run.off_topic} "
                f"errors {run.errors}"
            )
    return EXIT_OK
