"""``newsclaims crawl``, ``newsclaims demo`` and ``newsclaims serve-fixtures``."""

from __future__ import annotations

import argparse
import errno
import json
import signal
import sys
from typing import TYPE_CHECKING, Any

from newsclaims import runstats
from newsclaims.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    LOG_LEVELS,
    CliError,
    add_command,
    add_db,
    add_sources,
    int_at_least,
    load_sources_file,
    log_level,
    nonempty,
)
from newsclaims.config.environment import database_url
from newsclaims.storage.errors import DatabaseMisconfigured

if TYPE_CHECKING:
    from newsclaims.crawl.runner import CrawlSummary

CRAWL_EXAMPLES = """
  newsclaims crawl                                   # ./sources.toml into sqlite:///newsclaims.db
  newsclaims crawl --sources my.toml --db postgresql://user@host/newsclaims
  newsclaims crawl --depth 0                         # start pages, feeds and sitemaps only
  newsclaims crawl -s DOWNLOAD_DELAY=2 --log-level INFO
  newsclaims crawl --redis redis://host:6379/0 --db postgresql://…  # a distributed worker
  newsclaims crawl --log-json                        # for cron/systemd (docs/deploy.md)
"""
DEMO_EXAMPLES = """
  newsclaims demo                                    # into ./newsclaims.db, then: newsclaims stats
  newsclaims demo --db sqlite:///demo.db
"""
SERVE_EXAMPLES = """
  newsclaims serve-fixtures --port 8765 &
  newsclaims crawl --sources fixtures/sources.toml --proxy http://127.0.0.1:8765
"""
DEMO_SPEED = {
    "AUTOTHROTTLE_START_DELAY": 0.1,
    "DOWNLOAD_DELAY": 0.1,
    "NEWSCLAIMS_PROGRESS_INTERVAL": 2,
}


def register(commands: Any) -> None:
    crawl = add_command(
        commands,
        "crawl",
        help="crawl the configured sources into the database",
        description="Crawl feeds, sitemaps and links of every source in the sources file, "
        "then print a summary. The schema is migrated first.",
        examples=CRAWL_EXAMPLES,
    )
    add_sources(crawl)
    add_db(crawl)
    crawl.add_argument(
        "--proxy", metavar="URL", type=nonempty, help="send every request through this HTTP proxy"
    )
    crawl.add_argument(
        "--redis",
        metavar="URL",
        type=nonempty,
        help="run as a worker on the shared Redis frontier at URL (docs/deploy.md)",
    )
    crawl.add_argument(
        "--depth",
        type=int_at_least(0),
        metavar="N",
        help="how many links deep to follow from start pages, feeds and sitemaps; 0 = those "
        "pages only (default: the sources file's crawl.depth)",
    )
    crawl.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Scrapy or NEWSCLAIMS_* setting, repeatable (default: none)",
    )
    crawl.add_argument(
        "--log-level",
        default="WARNING",
        type=log_level,
        metavar="LEVEL",
        help=f"Scrapy log level, one of {', '.join(LOG_LEVELS)}",
    )
    crawl.add_argument(
        "--warc-out",
        metavar="DIR",
        type=nonempty,
        help="also write every response as WARC.gz files here (replay with newsclaims ingest)",
    )
    crawl.add_argument(
        "--log-json",
        action="store_true",
        help="log one JSON object per line on stderr, and print the summary as JSON",
    )
    crawl.set_defaults(handler=cmd_crawl)

    demo = add_command(
        commands,
        "demo",
        help="serve the bundled fixture site on loopback and crawl it",
        description="Serve the bundled fixture web on 127.0.0.1 and crawl it, offline.",
        examples=DEMO_EXAMPLES,
    )
    add_db(demo)
    demo.set_defaults(handler=cmd_demo)

    serve = add_command(
        commands,
        "serve-fixtures",
        help="serve the fixture site as a loopback proxy",
        description="Serve the fixture web as an HTTP proxy on 127.0.0.1 until interrupted.",
        examples=SERVE_EXAMPLES,
    )
    serve.add_argument(
        "--port",
        type=int_at_least(0, 65535),
        default=8765,
        metavar="PORT",
        help="TCP port on 127.0.0.1 to listen on; 0 picks a free one",
    )
    serve.set_defaults(handler=cmd_serve_fixtures)


def parse_setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep:
        raise CliError(f"--set expects NAME=VALUE, got {text!r}", EXIT_USAGE)
    return name, value


def format_summary(summary: CrawlSummary) -> str:
    spooling = bool(summary["spooled"] or summary.pending_in_spool)
    shown = [c for c in runstats.COUNTERS if c.always_shown or spooling or summary[c.name]]
    rows = [(counter.label, summary[counter.name]) for counter in shown]
    if spooling:
        rows.append(("still waiting in spool", summary.pending_in_spool))
    width = max(len(label) for label, _ in rows)
    lines = [f"crawl {summary.status}"]
    if summary.failure:
        lines[0] += f": {summary.failure}"
    elif summary.signal is not None:
        lines[0] += f" by {signal.Signals(summary.signal).name}"
    lines += [f"  {label:<{width}}  {value}" for label, value in rows]
    lines += [f"  check failed: {failure}" for failure in summary.failed_checks]
    return "\n".join(lines)


def summary_json(summary: CrawlSummary) -> str:
    """The run summary as one JSON object (``--log-json``)."""
    return json.dumps(
        {
            "event": "summary",
            "finish_reason": summary.finish_reason,
            "status": summary.status,
            "ok": summary.ok,
            "counts": summary.counts,
            "pending_in_spool": summary.pending_in_spool,
            "failed_checks": list(summary.failed_checks),
        },
        sort_keys=True,
    )


# Scrapy, SQLAlchemy and trafilatura are imported by the commands that use them, not at
# start-up: `newsclaims --help` and `newsclaims stats` should not pay for a crawler.
def cmd_crawl(args: argparse.Namespace) -> int:
    from newsclaims.crawl.runner import run_crawl
    from newsclaims.storage import database as db

    path, _ = load_sources_file(args.sources)  # validates the file before anything starts
    url = database_url(args.db)
    with db.database_errors(url):
        db.upgrade(url)
    overrides: dict[str, Any] = dict(parse_setting(s) for s in args.set)
    if args.depth is not None:
        # The same road as the sources file's crawl.depth, so 0 means the same thing.
        overrides["NEWSCLAIMS_CRAWL_DEPTH"] = args.depth
    if args.log_json:
        overrides["NEWSCLAIMS_LOG_JSON"] = True
    if args.warc_out:
        overrides["NEWSCLAIMS_WARC_OUT"] = args.warc_out
    summary = run_crawl(
        path, url, proxy=args.proxy, redis=args.redis, log_level=args.log_level, overrides=overrides
    )
    print(summary_json(summary) if args.log_json else format_summary(summary))
    if summary.pending_in_spool:
        print(
            f"newsclaims: {summary.pending_in_spool} items wait in the spool for the database; "
            "the next crawl writes them",
            file=sys.stderr,
        )
    if summary.stopped_by:  # the one error line and its exit code (cli/main.py)
        raise DatabaseMisconfigured(summary.stopped_by)
    return summary.exit_code


def cmd_demo(args: argparse.Namespace) -> int:
    from newsclaims.crawl.runner import run_crawl
    from newsclaims.fixtureweb.server import DEFAULT_ROOT, start_fixture_server
    from newsclaims.storage import database as db

    url = database_url(args.db)
    with db.database_errors(url):
        db.upgrade(url)
    server = start_fixture_server(DEFAULT_ROOT)
    print(f"serving the fixture site on {server.proxy_url} (loopback proxy)", file=sys.stderr)
    try:
        summary = run_crawl(
            DEFAULT_ROOT.parent / "sources.toml", url, proxy=server.proxy_url, overrides=DEMO_SPEED
        )
    finally:
        server.shutdown()
    print(format_summary(summary))
    print(f"database: {db.safe_url(url)}  (try: newsclaims stats)")
    return EXIT_OK if summary.finish_reason == "finished" else EXIT_FAILED


def cmd_serve_fixtures(args: argparse.Namespace) -> int:
    from newsclaims.fixtureweb.server import DEFAULT_ROOT, FixtureServer

    try:
        server = FixtureServer(DEFAULT_ROOT, args.port)
    except OSError as exc:
        reason = "in use" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
        raise CliError(
            f"cannot listen on 127.0.0.1:{args.port}: {reason}; pick another with --port "
            "(0 picks a free one)",
            EXIT_USAGE,
        ) from exc
    print(
        f"fixture site on {server.proxy_url}; crawl with --proxy {server.proxy_url}",
        file=sys.stderr,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return EXIT_OK
