"""What a crawl is configured with, read from Scrapy settings at the time it starts.

Spider and pipelines ask here, so ``scrapy crawl news`` and ``newsclaims crawl`` resolve
the database URL and the sources file the same way: a value given on the command line
(``-s``, ``-a``, the CLI's flags) wins, then the environment, then the default in
``newsclaims.settings``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from newsclaims import settings as defaults
from newsclaims.config import environment
from newsclaims.config.sources import SourcesFile, load_sources
from newsclaims.pages.options import AnalysisOptions

_PROJECT = SETTINGS_PRIORITIES["project"]


def _explicit(settings: BaseSettings, name: str) -> Any:
    """The setting's value when someone set it (command line, or a project's own value
    different from ours), else None so the environment can speak."""
    value, priority = settings.get(name), settings.getpriority(name) or 0
    return value if priority > _PROJECT or value != getattr(defaults, name) else None


def database_url(settings: BaseSettings) -> str:
    return environment.database_url(_explicit(settings, "NEWSCLAIMS_DATABASE_URL"))


def sources_path(settings: BaseSettings) -> Path:
    return environment.sources_path(_explicit(settings, "NEWSCLAIMS_SOURCES"))


def load_config(settings: BaseSettings) -> SourcesFile:
    """The sources file this crawl runs on (raises SourcesError with file and key named)."""
    return load_sources(sources_path(settings))


def min_words(settings: BaseSettings, config: SourcesFile) -> int:
    """``-s NEWSCLAIMS_MIN_WORDS`` when given, else the sources file's ``crawl.min_words``."""
    explicit = _explicit(settings, "NEWSCLAIMS_MIN_WORDS")
    return int(explicit) if explicit is not None else config.crawl.min_words


def crawl_depth(settings: BaseSettings, config: SourcesFile) -> int:
    """``-s NEWSCLAIMS_CRAWL_DEPTH`` when given, else the sources file's ``crawl.depth``."""
    explicit = _explicit(settings, "NEWSCLAIMS_CRAWL_DEPTH")
    return int(explicit) if explicit is not None else config.crawl.depth


def analysis_options(settings: BaseSettings, config: SourcesFile) -> AnalysisOptions:
    return AnalysisOptions(topic=config.topic, min_words=min_words(settings, config))
