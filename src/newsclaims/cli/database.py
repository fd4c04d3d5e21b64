"""``newsclaims db upgrade|current`` and ``newsclaims stats``."""

from __future__ import annotations

import argparse
from typing import Any

from newsclaims.cli.common import EXIT_OK, add_command, add_db, add_debug
from newsclaims.config.environment import database_url

DB_EXAMPLES = """
  newsclaims db upgrade --db postgresql://user@host/newsclaims   # create or migrate the schema
  newsclaims db current                                          # the revision ./newsclaims.db is at
"""
STATS_EXAMPLES = """
  newsclaims stats
  newsclaims stats --db postgresql://user@host/newsclaims
"""


def register(commands: Any) -> None:
    database = add_command(
        commands,
        "db",
        help="database schema",
        description="Apply or show the Alembic migrations of the newsclaims schema.",
        examples=DB_EXAMPLES,
    )
    actions = database.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = actions.add_parser(
        "upgrade",
        help="apply pending migrations (creates an SQLite file if needed)",
        description="Create the schema or migrate it to this version's head revision.",
        epilog="example:\n  newsclaims db upgrade --db sqlite:///newsclaims.db",
    )
    add_db(upgrade)
    add_debug(upgrade)
    current = actions.add_parser(
        "current",
        help="print the schema revision (changes nothing)",
        description="Print the database's schema revision, or 'empty' before any migration.",
        epilog="example:\n  newsclaims db current --db sqlite:///newsclaims.db",
    )
    add_db(current)
    add_debug(current)
    database.set_defaults(handler=cmd_db)

    stats = add_command(
        commands,
        "stats",
        help="row counts and the latest crawl runs",
        description="Row counts of every table and the five latest crawl runs (read only).",
        examples=STATS_EXAMPLES,
    )
    add_db(stats)
    stats.set_defaults(handler=cmd_stats)


# SQLAlchemy and Alembic load when a command needs them, not at start-up.
def cmd_db(args: argparse.Namespace) -> int:
    from newsclaims.storage import database as db

    url = database_url(args.db)
    with db.database_errors(url):
        if args.db_command == "upgrade":
            db.upgrade(url)
            print(f"database {db.safe_url(url)} is at revision {db.head_revision()}")
        else:
            engine = db.make_engine(url, read_only=True)
            try:
                print(db.current_revision(engine) or "empty")
            finally:
                engine.dispose()
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from newsclaims.storage import database as db
    from newsclaims.storage.articles import ArticleStore

    url = database_url(args.db)
    engine = db.make_engine(url, read_only=True)
    try:
        db.require_current_schema(engine)
        with db.database_errors(url):
            store = ArticleStore(engine)
            for name, value in store.counts().items():
                print(f"{name:<14}{value}")
            for run in store.recent_runs(5):
                print(
                    f"run {run.id}: {run.status} started {run.started_at:%Y-%m-%d %H:%M:%S} "
                    f"fetched {run.fetched} stored {run.stored} off-topic {run.off_topic} "
                    f"errors {run.errors}"
                )
    finally:
        engine.dispose()
    return EXIT_OK
