"""``newsclaims export DATASET``: CSV of the analyst views, streamed."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from newsclaims.cli.common import EXIT_OK, EXIT_USAGE, CliError, add_command, add_db, nonempty, warn
from newsclaims.config.environment import database_url
from newsclaims.export.names import DATASETS

EXAMPLES = """
  newsclaims export quotes --speaker "John Kerry" --since 2014-12-01 -o kerry.csv
  newsclaims export claims --source voa --excel -o claims.csv
  newsclaims export articles --topic coalition-air-strikes | head
"""
FILTERS = ("since", "until", "source", "speaker", "topic")


def register(commands: Any) -> None:
    export = add_command(
        commands,
        "export",
        help="CSV export (RFC 4180, UTF-8, times in UTC)",
        description="Stream one dataset as CSV: RFC 4180, UTF-8, ISO 8601 UTC times. Reads "
        "only; a file is written whole or not at all. A filter matching nothing still "
        "writes the header, and says so on stderr.",
        examples=EXAMPLES,
    )
    export.add_argument(
        "dataset", choices=DATASETS, metavar="DATASET", help=f"one of {', '.join(DATASETS)}"
    )
    export.add_argument(
        "--since", metavar="TIME", type=nonempty, help="published at or after (ISO 8601)"
    )
    export.add_argument(
        "--until", metavar="TIME", type=nonempty, help="published before (ISO 8601)"
    )
    export.add_argument(
        "--source", metavar="NAME", type=nonempty, help="only this outlet (any case)"
    )
    export.add_argument(
        "--speaker", metavar="NAME", type=nonempty, help="only this speaker (any case)"
    )
    export.add_argument(
        "--topic",
        metavar="NAME",
        type=nonempty,
        help="only articles kept under this topic profile",
    )
    export.add_argument(
        "-o", "--output", default="-", metavar="FILE", type=nonempty, help="file, or - for stdout"
    )
    export.add_argument("--excel", action="store_true", help="start with a UTF-8 BOM for Excel")
    add_db(export)
    export.set_defaults(handler=cmd_export)


def output_file(name: str) -> Path | None:
    """The target file, checked before any query runs; None for stdout."""
    if name == "-":
        return None
    target = Path(name)
    if target.is_dir():
        raise CliError(f"-o {name}: is a directory; give a file name", EXIT_USAGE)
    parent = target.parent
    if not parent.is_dir():
        raise CliError(
            f"-o {name}: directory {parent} does not exist; create it or choose another",
            EXIT_USAGE,
        )
    if not os.access(parent, os.W_OK):
        raise CliError(f"-o {name}: directory {parent} is not writable", EXIT_USAGE)
    return target


def cmd_export(args: argparse.Namespace) -> int:
    # SQLAlchemy loads here, not when the CLI starts.
    from newsclaims.export.csv import TerminalProgress, replace_atomically, write_csv
    from newsclaims.export.datasets import ExportError, Filters, parse_time, start_rows
    from newsclaims.storage import database as db

    try:
        filters = Filters(
            since=parse_time(args.since, "--since") if args.since else None,
            until=parse_time(args.until, "--until") if args.until else None,
            source=args.source,
            speaker=args.speaker,
            topic=args.topic,
        )
    except ExportError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    target = output_file(args.output)
    url = database_url(args.db)
    engine = db.make_engine(url, read_only=True)
    progress = TerminalProgress(f"export {args.dataset}")
    try:
        db.require_current_schema(engine)
        with db.database_errors(url):
            # The query runs here: a failure leaves the target untouched (no header yet).
            header, rows = start_rows(engine, args.dataset, filters)
            if target is None:
                sys.stdout.reconfigure(newline="")  # type: ignore[union-attr]
                count = write_csv(header, rows, sys.stdout, excel=args.excel, progress=progress)
            else:
                with replace_atomically(target) as out:
                    count = write_csv(header, rows, out, excel=args.excel, progress=progress)
    finally:
        engine.dispose()
    progress.done(count)
    if target is not None:
        print(f"wrote {count} {args.dataset} rows to {target}", file=sys.stderr)
    if count == 0:
        given = [f"--{name} {getattr(args, name)!r}" for name in FILTERS if getattr(args, name)]
        warn(
            f"no {args.dataset} match {' '.join(given)}; wrote the header only"
            if given
            else f"the database holds no {args.dataset} yet; wrote the header only"
        )
    return EXIT_OK
