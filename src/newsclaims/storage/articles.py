"""Writing articles, paragraphs, quotes and speakers: idempotent, one transaction per article.

Crawling the same page twice adds no rows; two crawlers writing at once settle on one
row through unique keys (canonical URL hash, speaker name) rather than locks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims import records as items
from newsclaims.discovery.urls import registered_host, url_hash
from newsclaims.storage import claims as claimstore
from newsclaims.storage.database import make_sessionmaker
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


def insert_ignore(
    session: Session, model: type[models.Base], values: dict[str, Any], keys: list[str]
) -> None:
    """INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))


def get_or_create_id(
    session: Session,
    model: type[models.Base],
    lookup: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> int:
    insert_ignore(session, model, {**lookup, **(extra or {})}, list(lookup))
    query = select(model.id)  # type: ignore[attr-defined]
    for column, value in lookup.items():
        query = query.where(getattr(model, column) == value)
    return session.execute(query).scalar_one()


class ArticleStore:
    """The database side of a crawl: runs, sources, articles with everything under them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = make_sessionmaker(engine)

    # -- runs and sources -------------------------------------------------------------
    def start_run(self, spider: str) -> int:
        with self.sessions.begin() as session:
            run = models.CrawlRun(started_at=datetime.now(UTC), spider=spider, status="running")
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, status: str, counts: dict[str, int]) -> None:
        with self.sessions.begin() as session:
            session.execute(
                update(models.CrawlRun)
                .where(models.CrawlRun.id == run_id)
                .values(finished_at=datetime.now(UTC), status=status[:20], **counts)
            )

    def ensure_sources(self, sources: Iterable[tuple[str, str | None, str | None]]) -> None:
        with self.sessions.begin() as session:
            for name, display_name, domain in sources:
                source_id = get_or_create_id(session, models.Source, {"name": name})
                session.execute(
                    update(models.Source)
                    .where(models.Source.id == source_id)
                    .values(display_name=display_name, domain=domain)
                )

    # -- errors -----------------------------------------------------------------------
    def record_error(self, failure: items.FetchFailure, run_id: int | None) -> None:
        """One row per URL: the latest reason, how often, first and last run."""
        with self.sessions.begin() as session:
            insert_ignore(
                session,
                models.FetchError,
                {
                    "url": failure.url,
                    "reason": failure.reason,
                    "status": failure.status,
                    "first_run_id": run_id,
                    "last_run_id": run_id,
                    "first_seen_at": failure.fetched_at,
                    "last_seen_at": failure.fetched_at,
                    "attempts": 0,
                },
                ["url"],
            )
            session.execute(
                update(models.FetchError)
                .where(models.FetchError.url == failure.url)
                .values(
                    reason=failure.reason,
                    status=failure.status,
                    last_run_id=run_id,
                    last_seen_at=failure.fetched_at,
                    attempts=models.FetchError.attempts + 1,
                )
            )

    # -- articles ---------------------------------------------------------------------
    def save_article(self, article: items.Article, run_id: int | None = None) -> Outcome:
        try:
            with self.sessions.begin() as session:
                return self._save(session, article, run_id)
        except IntegrityError:
            # Another writer stored the same article between our read and our insert.
            with self.sessions.begin() as session:
                return self._save(session, article, run_id)

    def _save(self, session: Session, article: items.Article, run_id: int | None) -> Outcome:
        key = url_hash(str(article.canonical_url))
        digest = content_hash(article)
        existing = session.execute(
            select(models.Article).where(models.Article.url_hash == key)
        ).scalar_one_or_none()
        if existing is not None and existing.content_hash == digest:
            seen_this_run = run_id is not None and existing.last_run_id == run_id
            if not seen_this_run:
                existing.last_run_id = run_id
            return Outcome.DUPLICATE if seen_this_run else Outcome.UNCHANGED

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
        }
        if existing is None:
            row = models.Article(first_run_id=run_id, **fields)
            session.add(row)
            outcome = Outcome.STORED
        else:
            row = existing
            for name, value in fields.items():
                setattr(row, name, value)
            session.execute(delete(models.Quote).where(models.Quote.article_id == row.id))
            session.execute(delete(models.Paragraph).where(models.Paragraph.article_id == row.id))
            outcome = Outcome.UPDATED
        session.flush()
        paragraph_ids = self._save_paragraphs(session, row.id, article.paragraphs)
        quote_rows = self._save_quotes(session, row.id, paragraph_ids, article.quotes)
        self._after_article(session, row, quote_rows)
        return outcome

    def _save_paragraphs(
        self, session: Session, article_id: int, paragraphs: list[items.Paragraph]
    ) -> dict[int, int]:
        rows = [
            models.Paragraph(article_id=article_id, position=p.position, text=p.text)
            for p in paragraphs
        ]
        session.add_all(rows)
        session.flush()
        return {row.position: row.id for row in rows}

    def _save_quotes(
        self,
        session: Session,
        article_id: int,
        paragraph_ids: dict[int, int],
        quotes: list[items.Quote],
    ) -> list[models.Quote]:
        rows = []
        for quote in quotes:
            speaker_id = (
                self._speaker_id(session, quote.speaker, quote.role) if quote.speaker else None
            )
            rows.append(
                models.Quote(
                    article_id=article_id,
                    paragraph_id=paragraph_ids.get(quote.paragraph),
                    paragraph_position=quote.paragraph,
                    start=quote.start,
                    end=quote.end,
                    text=quote.quote,
                    kind=quote.kind,
                    speaker_id=speaker_id,
                    speaker_mention=quote.speaker_mention,
                    role=quote.role,
                    cue=quote.cue,
                    inferred=quote.inferred,
                )
            )
        session.add_all(rows)
        session.flush()
        return rows

    def _speaker_id(self, session: Session, name: str, role: str | None) -> int:
        speaker_id = get_or_create_id(session, models.Speaker, {"name": name[:200]})
        if role:
            insert_ignore(
                session,
                models.SpeakerRole,
                {"speaker_id": speaker_id, "role": role[:300]},
                ["speaker_id", "role"],
            )
        return speaker_id

    def _after_article(
        self, session: Session, article: models.Article, quotes: list[models.Quote]
    ) -> None:
        """Claims and syndicated copies, linked in the same transaction as the article."""
        claimstore.link_near_duplicate(session, article)
        claimstore.record_claims(session, quotes, article)

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
