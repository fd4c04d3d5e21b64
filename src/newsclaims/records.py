"""The plain data that passes between stages (and through Scrapy as items).

Scrapy's itemadapter understands pydantic models, so spiders and pipelines hand
these around directly; validation happens where the data is created.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, NamedTuple

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, HttpUrl, field_validator

from newsclaims.dates import to_utc


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def _to_utc(value: datetime | None) -> datetime | None:
    return to_utc(value) if value is not None else None


class _Fetch(_Model):
    """Where and how a page was fetched: what every stage after the fetch keeps of it."""

    url: HttpUrl
    requested_url: HttpUrl
    source: str
    status: int
    fetched_at: AwareDatetime = Field(default_factory=utcnow)
    discovered_via: str = "link"
    feed_title: str | None = None
    feed_published: AwareDatetime | None = None

    _utc = field_validator("fetched_at", "feed_published")(_to_utc)


class FetchedPage(_Fetch):
    """An HTML page as text; ``pages.analyse.analyse_page`` turns it into an Article."""

    html: str = Field(repr=False)
    encoding: str | None = None


class CrawledPage(_Fetch):
    """An HTML response as the spider saw it, still bytes: the analysis worker decodes it.

    The crawl's process holds each page until its analysis is done, and a decoded page
    takes about twice its bytes there (a str with one character past Latin-1 stores every
    character in two bytes or four), so it keeps the bytes and the encoding Scrapy settled
    on, and the worker makes the ``FetchedPage`` (``pipelines.workers``).
    """

    body: bytes = Field(repr=False)
    encoding: str
    text: str | None = Field(default=None, repr=False)
    """Scrapy's own decoding, only where the encoding's name would not give it back: a page
    that declares no encoding, which Scrapy decoded whole to guess one (as ASCII, say,
    where the name alone reads as windows-1252)."""


class Paragraph(_Model):
    position: int = Field(ge=0)
    text: str = Field(min_length=1)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("paragraph text is blank")
        return value


QuoteKind = Literal["direct", "partial", "optional"]
SpeakerType = Literal["person", "organisation", "unnamed"]
Resolution = Literal[
    "named", "pronoun", "role", "organisation_reference", "description", "continuation"
]
"""How a speaker was found, most certain first: by name; from he/she; from a role noun
(`the minister`); from `the ministry`, `it`, `the statement`; as the description of an
unnamed source (`a rebel commander`); or by continuing the last speaker's remarks."""


class Quote(_Model):
    """One quoted statement with its attribution, located in a stored paragraph."""

    quote: str = Field(min_length=1)
    kind: QuoteKind
    speaker: str | None = Field(
        default=None, description="canonical name, or a short description of an unnamed source"
    )
    speaker_type: SpeakerType | None = None
    resolution: Resolution | None = Field(
        default=None, description="how the speaker was found: filter on it for confidence"
    )
    speaker_mention: str | None = Field(default=None, description="the words that named them")
    role: str | None = None
    cue: str | None = None
    paragraph: int = Field(ge=-1, description="paragraph position; -1 is the headline")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    inferred: bool = False


class ClaimSentenceKeys(NamedTuple):
    """One sentence of a quote as claim matching needs it (``claims.claim_sentences``)."""

    start: int
    end: int
    form: str
    """Its matching form (``claims.match_form``)."""
    buckets: tuple[int, ...]
    """Its LSH bucket per band (``claims.claim_band_keys``), band = position."""


class MatchKeys(BaseModel):
    """What storage matches an article on, computed where the article is analysed.

    Pure functions of the article (``claims.article_keys``), so the analysis workers
    compute them and the writing process only looks them up; ``basis`` says which text
    and quotes they were computed from, and storage recomputes them when it no longer
    matches (an article edited after analysis) or when they are missing.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    basis: str
    content_hash: str
    minhash: bytes
    """The text's MinHash values as stored in ``articles.minhash`` (empty: no words)."""
    buckets: tuple[int, ...]
    """The text's near-duplicate LSH bucket per band; empty for an article without words."""
    claim_sentences: tuple[tuple[ClaimSentenceKeys, ...], ...]
    """Per quote, in order: its claim sentences (none for a quote that makes no claim)."""


class Article(_Model):
    """An extracted article: metadata plus its ordered paragraphs (and, later, quotes)."""

    url: HttpUrl
    canonical_url: HttpUrl
    source: str
    title: str | None = None
    byline: str | None = None
    published: AwareDatetime | None = None
    fetched_at: AwareDatetime = Field(default_factory=utcnow)
    language: str | None = None
    site_name: str | None = None
    http_status: int = 200
    paragraphs: list[Paragraph] = Field(default_factory=list)
    topic_score: float | None = None
    topic: str | None = None
    quotes: list[Quote] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    """What analysis flagged about the page (e.g. quotes capped); the crawl records each
    note in ``fetch_errors`` beside the stored article."""
    match_keys: MatchKeys | None = Field(default=None, exclude=True, repr=False)
    """Precomputed matching keys (internal: never printed or exported)."""

    _utc = field_validator("published", "fetched_at")(_to_utc)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


class FetchFailure(_Model):
    """A URL that failed (HTTP error, network, truncated body, unextractable page)."""

    url: str
    reason: str
    status: int | None = None
    source: str | None = None
    fetched_at: AwareDatetime = Field(default_factory=utcnow)
    skipped: bool = False
    """Not a failure but a page left out on purpose (not an article, off topic, not HTML,
    refused): recorded in ``fetch_errors`` with its reason, counted by its own counter."""
