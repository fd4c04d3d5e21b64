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


def database_url(flag: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``--db``, then ``NEWSCLAIMS_DATABASE_URL``, then ``sqlite:///newsclaims.db``."""
    env = os.environ if environ is None else environ
    url = flag or env.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # psycopg 3 is the driver we ship; SQLAlchemy's bare scheme means psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sources_path(flag: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """``--sources``, then ``NEWSCLAIMS_SOURCES``, then ``./sources.toml``."""
    env = os.environ if environ is None else environ
    return Path(flag or env.get(SOURCES_ENV) or settings.NEWSCLAIMS_SOURCES)
