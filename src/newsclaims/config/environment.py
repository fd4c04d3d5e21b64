"""Where run-time settings come from: flag, then environment, then the default in settings.

This is the one module that reads the environment (besides Scrapy's own settings), and
it reads it when called, never at import.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from newsclaims import settings

DEFAULT_DATABASE_URL = settings.NEWSCLAIMS_DATABASE_URL
DATABASE_URL_ENV = "NEWSCLAIMS_DATABASE_URL"
SOURCES_ENV = "NEWSCLAIMS_SOURCES"
CONNECT_TIMEOUT_ENV = "NEWSCLAIMS_DB_CONNECT_TIMEOUT"
STATEMENT_TIMEOUT_ENV = "NEWSCLAIMS_DB_STATEMENT_TIMEOUT"


class SettingError(ValueError):
    """An environment variable holds a value newsclaims cannot use (the message names it)."""


def database_url(flag: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``--db``, then ``NEWSCLAIMS_DATABASE_URL``, then ``sqlite:///newsclaims.db``."""
    env = os.environ if environ is None else environ
    url = flag or env.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # psycopg 3 is the driver we ship; SQLAlchemy's bare scheme means psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _seconds(name: str, default: float, env: Mapping[str, str]) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0:
        raise SettingError(f"{name}={text!r}: expected a number of seconds (0 = no limit)")
    return value


def database_timeouts(environ: Mapping[str, str] | None = None) -> tuple[float, float]:
    """(connect, statement) timeouts in seconds for PostgreSQL; 0 means no limit."""
    env = os.environ if environ is None else environ
    return (
        _seconds(CONNECT_TIMEOUT_ENV, settings.NEWSCLAIMS_DB_CONNECT_TIMEOUT, env),
        _seconds(STATEMENT_TIMEOUT_ENV, settings.NEWSCLAIMS_DB_STATEMENT_TIMEOUT, env),
    )


def sources_path(flag: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """``--sources``, then ``NEWSCLAIMS_SOURCES``, then ``./sources.toml``."""
    env = os.environ if environ is None else environ
    return Path(flag or env.get(SOURCES_ENV) or settings.NEWSCLAIMS_SOURCES)
