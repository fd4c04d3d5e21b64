"""What every command shares: exit codes, the one error type, the parser, common flags."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from newsclaims.config.environment import sources_path
from newsclaims.config.sources import SourcesError, SourcesFile, load_sources

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DATABASE, EXIT_LOCKED = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130
EXIT_CODES = (
    "Exit codes: 0 ok, 1 failed, 2 bad usage/configuration, 3 database unreachable,\n"
    "4 another run holds the crawl lock, 130 interrupted.\n"
    "--debug shows the traceback behind an error."
)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class CliError(Exception):
    """An expected failure: printed as one line, the process exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def error_line(message: object) -> str:
    """Every error the CLI prints: one line, whatever the message held."""
    return "newsclaims: error: " + " ".join(str(message).split())


def warn(message: str) -> None:
    print(f"newsclaims: {message}", file=sys.stderr, flush=True)


class HelpFormatter(argparse.HelpFormatter):
    """Descriptions wrapped, examples (any text with line breaks) kept as written; every
    option's default shown unless it has none (or its help already says it)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        shown = "default" in text or "%(default)" in text
        if (
            not shown
            and action.option_strings
            and default not in (None, False, argparse.SUPPRESS)
            and default != []
        ):
            text += " (default: %(default)s)"
        return text


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors naming the command and where help is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        print(
            error_line(f"{self.prog}: {message} (see `{self.prog} --help`)"),
            file=sys.stderr,
        )
        sys.exit(EXIT_USAGE)


def add_command(
    commands: Any, name: str, *, help: str, description: str, examples: str, **kwargs: Any
) -> Parser:
    """A subcommand with its description and examples on its help page, and --debug."""
    parser: Parser = commands.add_parser(
        name,
        help=help,
        description=description,
        epilog="examples:\n" + examples.strip("\n"),
        **kwargs,
    )
    add_debug(parser)
    return parser


def add_debug(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    parser.add_argument(
        "--debug",
        action="store_true",
        # The subcommand's copy leaves the value alone unless given, so either place works.
        default=False if top else argparse.SUPPRESS,
        help="on an error, print the traceback too (for bug reports)",
    )


def nonempty(text: str) -> str:
    """An option value that must say something: `--since ""` is a mistake, not "no filter"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty value")
    return text


def int_at_least(low: int, high: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"{value} is out of range: expected {bounds}")
        return value

    parse.__name__ = "number"
    return parse


def log_level(text: str) -> str:
    level = text.strip().upper()
    if level not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(
            f"unknown log level {text!r}: choose one of {', '.join(LOG_LEVELS)}"
        )
    return level


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        type=nonempty,
        help="database URL, sqlite:///FILE or postgresql://USER@HOST/DB "
        "(default: $NEWSCLAIMS_DATABASE_URL, else sqlite:///newsclaims.db)",
    )


def add_sources(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        metavar="FILE",
        type=nonempty,
        help="sources file, TOML (default: $NEWSCLAIMS_SOURCES, else ./sources.toml)",
    )


def load_sources_file(flag: str | None) -> tuple[Path, SourcesFile]:
    path = sources_path(flag)
    try:
        return path, load_sources(path)
    except SourcesError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc


def existing_files(paths: list[Path]) -> tuple[list[Path], bool]:
    """The paths that are files (``-`` is stdin); each other one is reported.

    Returns (files, any_missing).
    """
    found: list[Path] = []
    for path in paths:
        if str(path) == "-" or path.is_file():
            found.append(path)
        elif path.is_dir():
            print(error_line(f"{path}: is a directory, not a file"), file=sys.stderr)
        else:
            print(error_line(f"{path}: no such file"), file=sys.stderr)
    return found, len(found) < len(paths)
