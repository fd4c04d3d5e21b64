"""``newsclaims export DATASET``: CSV of the analyst views, streamed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsclaims.cli.common import EXIT_OK, EXIT_USAGE, CliError, add_db
from newsclaims.config.environment import database_url
from newsclaims.export.names import DATASETS

EXAMPLES = """examples:
  newsclaims export quotes --speaker "John Kerry" --since 2014-12-01 -o kerry.csv
  newsclaims export claims --source voa --excel -o claims.csv
  newsclaims export articles --topic coalition-air-strikes
"""


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help="CSV export (RFC 4180, UTF-8, times in UTC)",
        description="Stream one dataset as CSV: RFC 4180, UTF-8, ISO 8601 UTC times.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("dataset", choices=DATASETS)
    export.add_argument("--since", metavar="TIME", help="published at or after (ISO 8601)")
    export.add_argument("--until", metavar="TIME", help="published before (ISO 8601)")
    export.add_argument("--source", metavar="NAME", help="only this outlet (source name)")
    export.add_argument("--speaker", metavar="NAME", help="only this speaker (canonical name)")
    export.add_argument(
        "--topic", metavar="NAME", help="only articles kept under this topic profile"
    )
    export.add_argument("-o", "--output", default="-", metavar="FILE", help="file, or - for stdout")
    export.add_argument("--excel", action="store_true", help="start with a UTF-8 BOM for Excel")
    add_db(export)
    export.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    # SQLAlchemy loads here, not when the CLI starts.
    from newsclaims.export.csv import TerminalProgress, write_csv
    from newsclaims.export.datasets import ExportError, Filters, parse_time
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
        raise CliError(str(exc), EXIT_USAGE) from None
    url = database_url(args.db)
    engine = db.make_engine(url)
    progress = TerminalProgress(f"export {args.dataset}")
    target = Path(args.output)
    try:
        with db.reporting_unavailable(url, "read", " (run `newsclaims db upgrade`?)"):
            if args.output == "-":
                sys.stdout.reconfigure(newline="")  # type: ignore[union-attr]
                count = write_csv(
                    engine, args.dataset, filters, sys.stdout, excel=args.excel, progress=progress
                )
            else:
                partial = target.with_name(target.name + ".partial")
                with partial.open("w", encoding="utf-8", newline="") as out:
                    count = write_csv(
                        engine, args.dataset, filters, out, excel=args.excel, progress=progress
                    )
                partial.replace(target)
    finally:
        engine.dispose()
    progress.done(count)
    if args.output != "-":
        print(f"wrote {count} {args.dataset} rows to {target}", file=sys.stderr)
    return EXIT_OK
