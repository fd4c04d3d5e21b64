"""The ``newsclaims`` command line: crawl, database, extraction, quotes, export, stats.

Each command lives in its own module and registers its parser here. Expected failures
(``CliError``, the storage layer's ``DatabaseUnavailable`` and its kinds, an unusable
setting) print one line on stderr and end with the documented exit code, never a
traceback; ``--debug`` adds the traceback. A closed stdout (``| head``) ends quietly.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

from newsclaims import __version__
from newsclaims.cli import crawl, database, export, ingest, pages, runs
from newsclaims.cli.common import (
    EXIT_CODES,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    HelpFormatter,
    Parser,
    add_debug,
    error_line,
)
from newsclaims.config.environment import SettingError
from newsclaims.storage.errors import DatabaseUnavailable, LockHeld

EXAMPLES = """examples:
  newsclaims demo                         # crawl the bundled fixture web into ./newsclaims.db
  newsclaims crawl --sources sources.toml # crawl your sources
  newsclaims export quotes -o quotes.csv  # every quote with speaker, outlet and date
  newsclaims COMMAND --help               # the options of one command
"""


def build_parser() -> Parser:
    parser = Parser(
        prog="newsclaims",
        description="Turn news coverage into a queryable record of who said what.",
        epilog=f"{EXAMPLES}\n{EXIT_CODES}",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsclaims {__version__}")
    add_debug(parser, top=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (crawl, database, pages, export, ingest, runs):
        module.register(commands)
    return parser


def _report(exc: BaseException, code: int, debug: bool) -> int:
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    print(error_line(exc), file=sys.stderr, flush=True)
    return code


def _stdout_closed() -> int:
    """The reader went away (``| head -1``): that is how a pipe ends, not an error. Point
    stdout at /dev/null so the interpreter's last flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        return code
    except BrokenPipeError:
        return _stdout_closed()
    except CliError as exc:
        return _report(exc, exc.code, args.debug)
    except DatabaseUnavailable as exc:
        return _report(exc, exc.exit_code, args.debug)
    except SettingError as exc:
        return _report(exc, EXIT_USAGE, args.debug)
    except LockHeld as exc:
        return _report(exc, EXIT_LOCKED, args.debug)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
