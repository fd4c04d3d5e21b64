"""The ``newsclaims`` command line: crawl, database, extraction, quotes, export, stats.

Each command lives in its own module and registers its parser here. Expected failures
are ``CliError`` (or the storage layer's ``DatabaseUnavailable``): one line on stderr and
the documented exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from newsclaims import __version__
from newsclaims.cli import crawl, database, export, pages, runs
from newsclaims.cli.common import (
    EXIT_CODES,
    EXIT_DATABASE,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    CliError,
)
from newsclaims.storage.errors import DatabaseUnavailable, LockHeld

EXAMPLES = """examples:
  newsclaims demo                         # crawl the bundled fixture web into ./newsclaims.db
  newsclaims crawl --sources sources.toml # crawl your sources
  newsclaims export quotes -o quotes.csv  # every quote with speaker, outlet and date
  newsclaims COMMAND --help               # the options of one command
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsclaims",
        description="Turn news coverage into a queryable record of who said what.",
        epilog=f"{EXAMPLES}\n{EXIT_CODES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsclaims {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (crawl, database, pages, export, runs):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
        return code
    except CliError as exc:
        print(f"newsclaims: error: {exc}", file=sys.stderr)
        return exc.code
    except DatabaseUnavailable as exc:
        print(f"newsclaims: error: {exc}", file=sys.stderr)
        return EXIT_DATABASE
    except LockHeld as exc:
        print(f"newsclaims: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
