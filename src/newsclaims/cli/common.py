"""What every command shares: exit codes, the one error type, common flags and helpers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsclaims.config.environment import sources_path
from newsclaims.config.sources import SourcesError, SourcesFile, load_sources

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DATABASE, EXIT_LOCKED = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130
EXIT_CODES = (
    "Exit codes: 0 ok, 1 failed, 2 bad usage/configuration, 3 database unreachable, "
    "4 another run holds the crawl lock."
)


class CliError(Exception):
    """An expected failure: printed as one line, the process exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $NEWSCLAIMS_DATABASE_URL, else sqlite:///newsclaims.db)",
    )


def add_sources(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        metavar="FILE",
        help="sources file, TOML (default: $NEWSCLAIMS_SOURCES, else ./sources.toml)",
    )


def load_sources_file(flag: str | None) -> tuple[Path, SourcesFile]:
    path = sources_path(flag)
    try:
        return path, load_sources(path)
    except SourcesError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


def existing_files(paths: list[Path]) -> tuple[list[Path], bool]:
    """The paths that are files; each missing one is reported. Returns (files, any_missing)."""
    missing = [path for path in paths if not path.is_file()]
    for path in missing:
        print(f"newsclaims: error: {path}: no such file", file=sys.stderr)
    return [path for path in paths if path.is_file()], bool(missing)
