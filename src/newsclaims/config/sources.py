"""The sources file (TOML): which outlets to crawl and what the topic is.

Validated by pydantic at start so a typo fails loudly with the file, the source
and the key named, instead of silently crawling the wrong thing.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    model_validator,
)

from newsclaims import settings


def _valid_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_valid_regex)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TopicProfile(_Strict):
    """Weighted terms and phrases; an article is on topic when its score reaches the threshold."""

    name: str = "coalition-air-strikes"
    threshold: float = Field(default=6.0, gt=0)
    title_weight: float = Field(default=2.0, ge=1, description="multiplier for hits in the title")
    terms: dict[str, float] = Field(min_length=1)


DEFAULT_TOPIC = TopicProfile(
    terms={
        "air strike": 2.0,
        "air strikes": 2.0,
        "airstrike": 2.0,
        "airstrikes": 2.0,
        "air campaign": 1.5,
        "air missions": 1.5,
        "bombing raids": 1.5,
        "coalition": 1.5,
        "u.s.-led": 1.5,
        "us-led": 1.5,
        "isis": 2.0,
        "isil": 2.0,
        "daesh": 2.0,
        "islamic state": 2.0,
        "jihadists": 1.0,
        "militants": 0.5,
        "pentagon": 0.5,
        "syria": 0.5,
        "iraq": 0.5,
        "kobani": 1.0,
        "mosul": 1.0,
    }
)


class Source(_Strict):
    """One outlet: where to start and which links are worth following."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    display_name: str | None = None
    domains: list[str] = Field(min_length=1)
    feeds: list[HttpUrl] = Field(default_factory=list)
    sitemaps: list[HttpUrl] = Field(default_factory=list)
    start_pages: list[HttpUrl] = Field(default_factory=list)
    allow: list[Regex] = Field(default_factory=list)
    deny: list[Regex] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_entry_point(self) -> Source:
        if not (self.feeds or self.sitemaps or self.start_pages):
            raise ValueError("a source needs at least one of feeds, sitemaps or start_pages")
        return self


class CrawlOptions(_Strict):
    depth: int = Field(default=settings.NEWSCLAIMS_CRAWL_DEPTH, ge=0)
    min_words: int = Field(
        default=settings.NEWSCLAIMS_MIN_WORDS, ge=0, description="shorter pages are not articles"
    )


class SourcesFile(_Strict):
    crawl: CrawlOptions = CrawlOptions()
    topic: TopicProfile = DEFAULT_TOPIC
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> SourcesFile:
        names = [s.name for s in self.sources]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate source names: {', '.join(dupes)}")
        return self

    def source(self, name: str) -> Source:
        return next(s for s in self.sources if s.name == name)


class SourcesError(ValueError):
    """The sources file is missing, not TOML, or does not validate; the message says where."""


def _location(path: Path, data: dict, loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as 'file: source "x": key'."""
    parts: list[str] = []
    if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int):
        try:
            name = data["sources"][loc[1]].get("name", f"#{loc[1] + 1}")
        except (IndexError, AttributeError, KeyError):
            name = f"#{loc[1] + 1}"
        parts.append(f'source "{name}"')
        loc = loc[2:]
    key = ".".join(str(p) for p in loc)
    if key:
        parts.append(f"key '{key}'")
    return f"{path}: " + ", ".join(parts) if parts else str(path)


def load_sources(path: str | Path) -> SourcesFile:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: sources file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    try:
        return SourcesFile.model_validate(data)
    except ValidationError as exc:
        lines = [
            f"{_location(path, data, tuple(err['loc']))}: {err['msg']}" for err in exc.errors()
        ]
        raise SourcesError("\n".join(lines)) from None
