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

_HOST = re.compile(
    r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$"
)


def _bare_host(domain: str) -> str:
    """'www.example.com' or '127.0.0.1:8080'; a URL here used to crawl nothing, silently."""
    value = domain.strip().lower()
    if not _HOST.match(value):
        raise ValueError(
            f"{domain!r} is not a bare host name: write it like 'www.example.com' "
            "(no scheme, path or slash; a port is allowed: '127.0.0.1:8080')"
        )
    return value


Host = Annotated[str, AfterValidator(_bare_host)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TopicProfile(_Strict):
    """Weighted terms and phrases; an article is on topic when its score reaches the threshold.

    ``require`` names groups of terms of which at least one each must occur: a story that
    names ISIS but no strike, or air strikes but no coalition, ISIS or theatre, is other news
    however often it repeats them.
    """

    name: str = "coalition-air-strikes"
    threshold: float = Field(default=6.0, gt=0)
    title_weight: float = Field(default=2.0, ge=1, description="multiplier for hits in the title")
    terms: dict[str, float] = Field(min_length=1)
    require: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _required_terms_are_terms(self) -> TopicProfile:
        unknown = sorted({t for group in self.require.values() for t in group} - set(self.terms))
        if unknown:
            raise ValueError(f"require lists terms missing from terms: {', '.join(unknown)}")
        return self


# The strike itself, in the many ways coverage words it.
_STRIKE_TERMS = {
    "air strike": 2.0,
    "air strikes": 2.0,
    "airstrike": 2.0,
    "airstrikes": 2.0,
    "air raid": 2.0,
    "air raids": 2.0,
    "bombing raids": 2.0,
    "bombing campaign": 2.0,
    "aerial bombardment": 2.0,
    "warplane": 2.0,
    "warplanes": 2.0,
    "fighter jets": 2.0,
    "combat aircraft": 2.0,
    "drone strike": 2.0,
    "drone strikes": 2.0,
    "sortie": 2.0,
    "sorties": 2.0,
    "bombardment": 1.5,
    "air campaign": 1.5,
    "air missions": 1.5,
    "air power": 1.5,
    "raid": 1.0,
    "raids": 1.5,
    "jets": 1.5,
    "bombing": 1.0,
    "bombed": 1.0,
    "strikes": 1.0,
    "aircraft": 0.5,
}
# Who strikes and where: the coalition and its command, its target, the theatre.
_COALITION_TERMS = {
    "coalition": 1.5,
    "u.s.-led": 1.5,
    "us-led": 1.5,
    "centcom": 2.0,
    "central command": 1.5,
    "operation inherent resolve": 2.0,
    "inherent resolve": 2.0,
    "combined joint task force": 1.5,
    "isis": 2.0,
    "isil": 2.0,
    "daesh": 2.0,
    "islamic state": 2.0,
    "jihadists": 1.0,
    "pentagon": 0.5,
    "syria": 0.5,
    "iraq": 0.5,
    "kobani": 1.0,
    "mosul": 1.0,
    "raqqa": 1.0,
    "ramadi": 1.0,
    "fallujah": 1.0,
    "tikrit": 1.0,
    "sinjar": 1.0,
    "deir ez-zor": 1.0,
}
DEFAULT_TOPIC = TopicProfile(
    terms={**_STRIKE_TERMS, **_COALITION_TERMS, "militants": 0.5, "militant": 0.5},
    require={"strike": sorted(_STRIKE_TERMS), "coalition or theatre": sorted(_COALITION_TERMS)},
)


class Source(_Strict):
    """One outlet: where to start and which links are worth following."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    display_name: str | None = None
    domains: list[Host] = Field(min_length=1)
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


class Checks(_Strict):
    """Spidermon-style bounds on a run; a run crossing one fails (exit 1), each named."""

    min_items: int | None = Field(
        default=None, ge=0, description="at least this many articles stored or updated"
    )
    max_error_rate: float | None = Field(
        default=None, ge=0, le=1, description="errors / (pages fetched + errors)"
    )
    min_date_coverage: float | None = Field(
        default=None, ge=0, le=1, description="share of the run's new articles with a date"
    )


class SourcesFile(_Strict):
    crawl: CrawlOptions = CrawlOptions()
    topic: TopicProfile = DEFAULT_TOPIC
    checks: Checks = Checks()
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
        raise SourcesError(
            f"{path}: sources file not found; pass --sources FILE (scrapy: -a sources=FILE) "
            "or set NEWSCLAIMS_SOURCES (sources.example.toml is a start)"
        ) from None
    except IsADirectoryError:
        raise SourcesError(f"{path}: is a directory; give the sources file (TOML)") from None
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read the sources file: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    try:
        return SourcesFile.model_validate(data)
    except ValidationError as exc:
        lines = [
            f"{_location(path, data, tuple(err['loc']))}: {err['msg']}" for err in exc.errors()
        ]
        raise SourcesError("\n".join(lines)) from None
