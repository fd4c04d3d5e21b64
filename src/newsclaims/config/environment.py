"""Where run-time settings come from: flag, then environment, then a default that just works.

This is the one module that reads the environment (besides Scrapy's own settings).
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///newsclaims.db"
DATABASE_URL_ENV = "NEWSCLAIMS_DATABASE_URL"
SOURCES_ENV = "NEWSCLAIMS_SOURCES"
DEFAULT_SOURCES_FILES = ("sources.toml",)


def database_url(flag: str | None = None) -> str:
    """``--db``, then ``NEWSCLAIMS_DATABASE_URL``, then ``sqlite:///newsclaims.db``."""
    url = flag or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # psycopg 3 is the driver we ship; SQLAlchemy's bare scheme means psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sources_path(flag: str | None = None) -> Path:
    """``--sources``, then ``NEWSCLAIMS_SOURCES``, then ``./sources.toml``."""
    value = flag or os.environ.get(SOURCES_ENV)
    if value:
        return Path(value)
    for name in DEFAULT_SOURCES_FILES:
        if Path(name).exists():
            return Path(name)
    return Path(DEFAULT_SOURCES_FILES[0])
