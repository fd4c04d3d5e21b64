"""SQLAlchemy 2.0 typed models: the schema analysts query (documented in docs/schema.md).

Alembic owns the schema (``migrations/``); a test proves these models and the
migrations never drift apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from newsclaims.dates import to_utc

# Explicit constraint names so SQLite and Postgres migrations agree (and batch mode works).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_SQLITE_DATETIME = sqlite.DATETIME(
    storage_format="%(year)04d-%(month)02d-%(day)02dT%(hour)02d:%(minute)02d:%(second)02dZ",
    # Also reads SQLAlchemy's default format, written before revision 0004.
    regexp=r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))?Z?$",
)


class UtcDateTime(TypeDecorator[datetime]):
    """A point in time, stored in UTC to the second and always read back timezone-aware.

    On SQLite the text is ``2014-12-03T09:00:00Z``, the same ISO 8601 form analysts
    type, so ``published >= '2014-12-03T00:00:00Z'`` selects the same rows as on
    PostgreSQL. Naive values are taken as UTC. Whole seconds on both databases, so
    neither keeps a precision the other lacks.
    """

    impl = DateTime(timezone=True).with_variant(_SQLITE_DATETIME, "sqlite")
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return to_utc(value).replace(microsecond=0)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return to_utc(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Source(Base):
    """An outlet, as configured in the sources file."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    domain: Mapped[str | None] = mapped_column(String(255))


class CrawlRun(Base):
    """One crawl job: when it ran, how it ended and what it counted."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(20), default="running")
    spider: Mapped[str] = mapped_column(String(50))
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    stored: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    off_topic: Mapped[int] = mapped_column(Integer, default=0)
    not_article: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Articles whose text changed (a new version); ``stored`` counts them too."""
    not_modified: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Conditional re-fetches answered 304."""
    skipped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Pages not fetched: stored or seen recently, and no feed/sitemap entry says changed."""
    replayed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Spooled items (from a database outage) this run wrote."""
    owner: Mapped[str | None] = mapped_column(String(200))
    """``host:pid:token`` of the process running it, to tell a dead run from a live one."""
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    stats: Mapped[str | None] = mapped_column(Text)
    """The crawl's Scrapy stats as JSON, and the failed checks."""


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True)
    url_hash: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime())
    language: Mapped[str | None] = mapped_column(String(16))
    site_name: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(40), index=True)
    http_status: Mapped[int] = mapped_column(Integer)
    topic_score: Mapped[float | None] = mapped_column(Float)
    topic: Mapped[str | None] = mapped_column(String(100), index=True)
    first_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    near_duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    near_duplicate_similarity: Mapped[float | None] = mapped_column(Float)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    """MinHash values of ``text`` (uint64, little-endian); NULL until first compared."""
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """1 for the first text; each change of text keeps the old one in article_versions."""

    source: Mapped[Source] = relationship()
    paragraphs: Mapped[list[Paragraph]] = relationship(
        back_populates="article", order_by="Paragraph.position", cascade="all, delete-orphan"
    )


class ArticleVersion(Base):
    """An earlier text of an article, kept when a re-fetch found it changed."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(40))
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime())
    """When this version was fetched."""
    replaced_at: Mapped[datetime] = mapped_column(UtcDateTime())
    replaced_by_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))


class PageState(Base):
    """What the last fetch of a URL found: a later run skips it or asks conditionally.

    One row per requested URL (canonical form), written once the page's item is done,
    so a killed run never marks a page it had not stored.
    """

    __tablename__ = "page_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url_hash: Mapped[str] = mapped_column(String(40), unique=True)
    url: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(20))
    """stored, updated, unchanged, duplicate, off_topic, not_article, not_html or error."""
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(String(64))
    entry_updated: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """The latest date a feed or sitemap gave for the URL (``updated``, ``lastmod``)."""
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    """When the page was last fetched or confirmed unchanged (304)."""
    links: Mapped[str | None] = mapped_column(Text)
    """The in-scope links the page had, one a line: followed again when it is skipped."""
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))


class Lock(Base):
    """A named lease (the crawl lock): one owner at a time, expiring unless renewed."""

    __tablename__ = "locks"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(200))
    acquired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class LockHolder(Base):
    """One process sharing a lease (a distributed worker), alive until ``expires_at``
    unless renewed: the shared lease is released only when its last live holder leaves."""

    __tablename__ = "lock_holders"

    lock_name: Mapped[str] = mapped_column(
        String(100), ForeignKey("locks.name", ondelete="CASCADE"), primary_key=True
    )
    holder: Mapped[str] = mapped_column(String(200), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Paragraph(Base):
    __tablename__ = "paragraphs"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    article: Mapped[Article] = relationship(back_populates="paragraphs")


class ArticleSignature(Base):
    """LSH band keys of an article's MinHash, so near-duplicates are found by index lookup."""

    __tablename__ = "article_signatures"
    __table_args__ = (Index("ix_article_signatures_band_key", "band", "bucket"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger)


class FetchError(Base):
    """A URL that could not be fetched or extracted; one row per URL, updated each run."""

    __tablename__ = "fetch_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    first_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class Speaker(Base):
    """One speaker across all articles (``John Kerry`` in five outlets is one row).

    Unique by name: a person and an organisation of the same name are one row, whose
    ``speaker_type`` is the first type any quote gave it (later quotes never change it).
    """

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    speaker_type: Mapped[str | None] = mapped_column(String(20))
    """``person``, ``organisation`` or ``unnamed``; NULL when no quote said."""


class SpeakerRole(Base):
    """A role a speaker was given in some article (``U.S. Secretary of State``)."""

    __tablename__ = "speaker_roles"
    __table_args__ = (UniqueConstraint("speaker_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(300))


class Quote(Base):
    __tablename__ = "quotes"
    __table_args__ = (UniqueConstraint("article_id", "paragraph_position", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    paragraph_id: Mapped[int | None] = mapped_column(
        ForeignKey("paragraphs.id", ondelete="CASCADE"), index=True
    )
    paragraph_position: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id"), index=True)
    speaker_mention: Mapped[str | None] = mapped_column(String(300))
    role: Mapped[str | None] = mapped_column(String(300))
    cue: Mapped[str | None] = mapped_column(String(50))
    inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    resolution: Mapped[str | None] = mapped_column(String(30))
    """How the speaker was found (``named``, ``pronoun``, ``role``, …); see records.Resolution."""


class Claim(Base):
    """One statement (sentence) by one speaker, however many outlets quoted it."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), index=True)
    canonical_text: Mapped[str] = mapped_column(Text)
    match_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ClaimSignature(Base):
    """LSH band keys of a claim's MinHash, blocked by speaker: matching is an index lookup."""

    __tablename__ = "claim_signatures"
    __table_args__ = (Index("ix_claim_signatures_lookup", "speaker_id", "band", "bucket"),)

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"))
    bucket: Mapped[int] = mapped_column(BigInteger)


class ClaimMention(Base):
    """One outlet's wording of a claim: a sentence inside a stored quote."""

    __tablename__ = "claim_mentions"
    __table_args__ = (UniqueConstraint("quote_id", "sentence_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"))
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    wording: Mapped[str] = mapped_column(Text)
    similarity: Mapped[float] = mapped_column(Float)


class WordingEdit(Base):
    """One word-level difference between a mention's wording and its claim's canonical one."""

    __tablename__ = "wording_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mention_id: Mapped[int] = mapped_column(
        ForeignKey("claim_mentions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    operation: Mapped[str] = mapped_column(String(10))
    canonical_words: Mapped[str] = mapped_column(Text)
    outlet_words: Mapped[str] = mapped_column(Text)
