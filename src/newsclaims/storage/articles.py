"""Writing articles with their paragraphs, quotes and speakers: idempotent, no side steps.

Crawling the same page twice adds no rows; two crawlers writing at once settle on one
row through unique keys (canonical URL hash, speaker name) rather than locks. Claims and
syndicated copies are later steps (``storage.writer`` runs them in the same transaction).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims import records as items
from newsclaims.discovery.urls import registered_host, url_hash
from newsclaims.storage import versions
from newsclaims.storage.claims import delete_unmentioned
from newsclaims.storage.database import make_sessionmaker
from newsclaims.storage.upsert import get_or_create_id, in_transaction, insert_ignore
from newsclaims.text import normalize


class Outcome(StrEnum):
    STORED = "stored"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"


def content_hash(article: items.Article) -> str:
    """Changes when the stored text or title would change, not when furniture does."""
    basis = (
        normalize(article.title or "")
        + "\n"
        + "\n".join(normalize(p.text) for p in article.paragraphs)
    )
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()


@dataclass
class SavedArticle:
    """What saving wrote, for the steps that follow in the same transaction."""

    outcome: Outcome
    row: models.Article
    quotes: list[models.Quote] = field(default_factory=list)
    replaced_claim_ids: set[int] = field(default_factory=set)
    """Claims the article's previous quotes were mentions of (updates only)."""

    @property
    def written(self) -> bool:
        """True when the article's rows were (re)written, so later steps have work."""
        return self.outcome in (Outcome.STORED, Outcome.UPDATED)


def save(session: Session, article: items.Article, run_id: int | None) -> SavedArticle:
    """Write the article, its paragraphs, quotes and speakers; the caller owns the transaction.

    An unchanged article only records the run that saw it. A changed one replaces its
    paragraphs and quotes (their claim mentions go with them, by cascade).
    """
    key = url_hash(str(article.canonical_url))
    digest = content_hash(article)
    existing = session.execute(
        select(models.Article).where(models.Article.url_hash == key)
    ).scalar_one_or_none()
    if existing is not None and existing.content_hash == digest:
        seen_this_run = run_id is not None and existing.last_run_id == run_id
        if not seen_this_run:
            existing.last_run_id = run_id
        return SavedArticle(Outcome.DUPLICATE if seen_this_run else Outcome.UNCHANGED, existing)

    source_id = get_or_create_id(
        session,
        models.Source,
        {"name": article.source},
        {"domain": registered_host(str(article.url))},
    )
    fields = {
        "source_id": source_id,
        "url": str(article.url),
        "canonical_url": str(article.canonical_url),
        "url_hash": key,
        "title": article.title,
        "byline": article.byline,
        "published_at": article.published,
        "fetched_at": article.fetched_at,
        "language": article.language,
        "site_name": article.site_name,
        "text": article.text,
        "content_hash": digest,
        "http_status": article.http_status,
        "topic_score": article.topic_score,
        "topic": article.topic,
        "last_run_id": run_id,
        "minhash": None,  # belongs to the old text; syndication recomputes it
    }
    fields = _fitted(models.Article, fields)
    replaced: set[int] = set()
    if existing is None:
        row = models.Article(first_run_id=run_id, **fields)
        session.add(row)
        outcome = Outcome.STORED
    else:
        row = existing
        versions.keep_previous(session, row, run_id)
        for name, value in fields.items():
            setattr(row, name, value)
        replaced = _claims_of_article(session, row.id)
        session.execute(delete(models.Quote).where(models.Quote.article_id == row.id))
        session.execute(delete(models.Paragraph).where(models.Paragraph.article_id == row.id))
        outcome = Outcome.UPDATED
    session.flush()
    paragraph_ids = _save_paragraphs(session, row.id, article.paragraphs)
    quote_rows = _save_quotes(session, row.id, paragraph_ids, article.quotes)
    return SavedArticle(outcome, row, quote_rows, replaced)


def _fitted(model: type[models.Base], fields: dict[str, Any]) -> dict[str, Any]:
    """Cut strings to their column's length (an ``og:site_name`` of 300 characters into
    ``varchar(200)``): PostgreSQL refuses the whole article otherwise, SQLite keeps all."""
    columns = model.__table__.c
    fitted = dict(fields)
    for name, value in fields.items():
        length = getattr(columns[name].type, "length", None)
        if isinstance(value, str) and length and len(value) > length:
            fitted[name] = value[: length - 1] + "…"
    return fitted


def _claims_of_article(session: Session, article_id: int) -> set[int]:
    query = (
        select(models.ClaimMention.claim_id)
        .join(models.Quote, models.Quote.id == models.ClaimMention.quote_id)
        .where(models.Quote.article_id == article_id)
    )
    return set(session.scalars(query))


def _save_paragraphs(
    session: Session, article_id: int, paragraphs: list[items.Paragraph]
) -> dict[int, int]:
    rows = [
        models.Paragraph(article_id=article_id, position=p.position, text=p.text)
        for p in paragraphs
    ]
    session.add_all(rows)
    session.flush()
    return {row.position: row.id for row in rows}


def _save_quotes(
    session: Session,
    article_id: int,
    paragraph_ids: dict[int, int],
    quotes: list[items.Quote],
) -> list[models.Quote]:
    rows = []
    for quote in quotes:
        speaker_id = (
            _speaker_id(session, quote.speaker, quote.speaker_type, quote.role)
            if quote.speaker
            else None
        )
        fields = {
            "article_id": article_id,
            "paragraph_id": paragraph_ids.get(quote.paragraph),
            "paragraph_position": quote.paragraph,
            "start": quote.start,
            "end": quote.end,
            "text": quote.quote,
            "kind": quote.kind,
            "speaker_id": speaker_id,
            "speaker_mention": quote.speaker_mention,
            "role": quote.role,
            "cue": quote.cue,
            "inferred": quote.inferred,
            "resolution": quote.resolution,
        }
        rows.append(models.Quote(**_fitted(models.Quote, fields)))
    session.add_all(rows)
    session.flush()
    return rows


def _speakers_seen(session: Session) -> dict[tuple[str, str | None, str | None], int]:
    """This transaction's speaker ids; a rollback starts a new transaction and so an empty one."""
    transaction = session.get_transaction()
    cached = session.info.get("newsclaims_speakers")
    if cached is None or cached[0] is not transaction:
        cached = (transaction, {})
        session.info["newsclaims_speakers"] = cached
    return cached[1]


def _speaker_id(session: Session, name: str, speaker_type: str | None, role: str | None) -> int:
    """The speaker of this name, created if new; one row per name, whatever its type.

    The first non-null type wins: a type is filled in when the row has none and never
    replaced, so a person and an organisation of the same name share the first one's.
    The fill-in is one guarded UPDATE, so concurrent writers cannot flip it either.
    Within one transaction each (name, type, role) is written once: a batch of articles
    quoting the same people repeats no statement (the cache dies with the session).
    """
    seen = _speakers_seen(session)
    known = seen.get((name, speaker_type, role))
    if known is not None:
        return known
    speaker_id = get_or_create_id(
        session, models.Speaker, {"name": name[:200]}, {"speaker_type": speaker_type}
    )
    if speaker_type is not None:
        session.execute(
            update(models.Speaker)
            .where(models.Speaker.id == speaker_id, models.Speaker.speaker_type.is_(None))
            .values(speaker_type=speaker_type)
        )
    if role:
        insert_ignore(
            session,
            models.SpeakerRole,
            {"speaker_id": speaker_id, "role": role[:300]},
            ["speaker_id", "role"],
        )
    seen[(name, speaker_type, role)] = speaker_id
    return speaker_id


class ArticleStore:
    """An engine and its sessions, with the writes and reads that need no other step."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = make_sessionmaker(engine)

    def ensure_sources(self, sources: Iterable[tuple[str, str | None, str | None]]) -> None:
        with self.sessions.begin() as session:
            for name, display_name, domain in sources:
                source_id = get_or_create_id(session, models.Source, {"name": name})
                session.execute(
                    update(models.Source)
                    .where(models.Source.id == source_id)
                    .values(display_name=display_name, domain=domain)
                )

    def save_article(self, article: items.Article, run_id: int | None = None) -> Outcome:
        """Only the article's own rows, in one transaction: no claims, no syndication link.

        Claims that only the replaced quotes mentioned are removed, so an update never
        leaves claims behind with no mention. ``writer.write_article`` runs every step.
        """

        def work(session: Session) -> Outcome:
            saved = save(session, article, run_id)
            delete_unmentioned(session, saved.replaced_claim_ids)
            return saved.outcome

        return in_transaction(self.sessions, work)

    # -- reading ----------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        tables = {
            "sources": models.Source,
            "articles": models.Article,
            "paragraphs": models.Paragraph,
            "quotes": models.Quote,
            "speakers": models.Speaker,
            "claims": models.Claim,
            "crawl_runs": models.CrawlRun,
            "fetch_errors": models.FetchError,
        }
        with self.sessions() as session:
            return {
                name: session.execute(select(func.count()).select_from(model)).scalar_one()
                for name, model in tables.items()
            }

    def recent_runs(self, limit: int) -> list[models.CrawlRun]:
        """The latest crawl runs, newest first (``newsclaims stats``)."""
        with self.sessions() as session:
            query = select(models.CrawlRun).order_by(models.CrawlRun.id.desc()).limit(limit)
            return list(session.scalars(query))
