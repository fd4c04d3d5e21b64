"""``newsclaims ingest``: web archives (WARC, saved pages) through the crawl's analysis."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from newsclaims.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    add_command,
    add_db,
    add_sources,
    int_at_least,
    load_sources_file,
    nonempty,
)
from newsclaims.config.environment import database_url, sources_path

EXAMPLES = """
  newsclaims ingest CC-NEWS-20241201.warc.gz           # into sqlite:///newsclaims.db
  newsclaims ingest crawl-warcs/ --db postgresql://user@host/newsclaims
  newsclaims ingest saved-pages/ --source guardian     # every page under one source

exit codes: 0 done (damaged records are reported and skipped, not fatal), 1 nothing
readable (no WARC record or saved page in the paths), 2 bad usage or configuration,
3 database unreachable, 130 interrupted.
"""


def register(commands: Any) -> None:
    ingest = add_command(
        commands,
        "ingest",
        help="store articles from WARC files and saved pages",
        description=(
            "Read WARC / WARC.gz files, saved .html pages and folders of them, and store their "
            "articles exactly as a crawl would. Running it again on the same files adds nothing."
        ),
        examples=EXAMPLES,
    )
    ingest.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="WARC or WARC.gz files, saved .html pages, or folders of either",
    )
    add_sources(ingest)
    add_db(ingest)
    ingest.add_argument(
        "--source",
        metavar="NAME",
        type=nonempty,
        help="store every page under this source (default: the source whose domain the URL is "
        "on, else the URL's registered domain)",
    )
    ingest.add_argument(
        "--workers",
        type=int_at_least(1),
        metavar="N",
        default=os.cpu_count() or 2,
        help="analysis processes (default: one per core)",
    )
    ingest.add_argument(
        "--progress-interval",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="seconds between progress lines on stderr; 0 turns them off (default 10)",
    )
    ingest.set_defaults(handler=cmd_ingest)


def _stderr(line: str) -> None:
    print(f"newsclaims: {line}", file=sys.stderr, flush=True)


def cmd_ingest(args: argparse.Namespace) -> int:
    from newsclaims.ingest.driver import Ingest
    from newsclaims.pages.options import AnalysisOptions
    from newsclaims.storage import database as db

    missing = [path for path in args.paths if not path.exists()]
    if missing:
        raise CliError(f"{missing[0]}: no such file or folder", EXIT_USAGE)
    config = None
    options = AnalysisOptions()
    if args.sources or sources_path().exists():
        _, config = load_sources_file(args.sources)
        options = AnalysisOptions(topic=config.topic, min_words=config.crawl.min_words)
    url = database_url(args.db)
    with db.database_errors(url):
        db.upgrade(url)
    ingest = Ingest(
        url,
        config,
        options,
        source=args.source,
        workers=args.workers,
        progress=(lambda line: print(f"… {line}", file=sys.stderr, flush=True))
        if args.progress_interval > 0
        else None,
        progress_interval=args.progress_interval,
        warn=_stderr,
    )
    summary = ingest.run(args.paths)
    print(format_summary(summary))
    stats = summary.stats
    unread = stats["ingest/damaged"] + stats["ingest/skipped/not_an_archive"]
    if stats["ingest/records"] - unread == 0:
        _stderr(
            "error: nothing readable: no WARC record or saved page in "
            + ", ".join(str(path) for path in args.paths)
            + (f" ({unread} damaged or not an archive)" if unread else "")
        )
        return EXIT_FAILED
    return EXIT_OK


def format_summary(summary: Any) -> str:
    counts = summary.counts
    stats = summary.stats
    rows = [
        ("records read", stats["ingest/records"]),
        ("pages analysed", counts["fetched"]),
        ("stored articles", counts["stored"]),
        ("updated articles", counts["updated"]),
        ("unchanged articles", counts["unchanged"]),
        ("skipped off-topic", counts["off_topic"]),
        ("skipped not articles", counts["not_article"]),
        ("duplicates", counts["duplicates"]),
        ("damaged records", stats["ingest/damaged"]),
        ("errors", counts["errors"]),
        ("quotes stored", counts["quotes"]),
    ]
    rows += [(f"skipped {kind}", n) for kind, n in summary.skipped.items()]
    width = max(len(label) for label, _ in rows)
    rate = stats["ingest/records"] / summary.seconds if summary.seconds else 0.0
    lines = [f"ingest finished in {summary.seconds:.1f} s ({rate:.1f} records/s)"]
    lines += [f"  {label:<{width}}  {value}" for label, value in rows]
    return "\n".join(lines)
