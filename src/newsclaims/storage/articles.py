"""Writing articles with their paragraphs, quotes and speakers: idempotent, no side steps.

Crawling the same page twice adds no rows; two crawlers writing at once settle on one
row through unique keys (canonical URL hash, speaker name) rather than locks. Claims and
syndicated copies are later steps (``storage.writer`` runs them in the same transaction).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims import records as items
from newsclaims.claims.article_keys import content_hash, precomputed_keys
from newsclaims.discovery.urls import registered_host, url_hash
from newsclaims.records import MatchKeys
from newsclaims.storage import versions
from newsclaims.storage.claims import delete_unmentioned
from newsclaims.storage.database import make_sessionmaker
from newsclaims.storage.lookups import insert_plain
from newsclaims.storage.upsert import (
    get_or_create_id,
    in_transaction,
    insert_ignore_many,
    insert_returning_ids,
    table_of,
)

_CHUNK = 500  # values per IN (...) list, well under every driver's parameter limit


class Outcome(StrEnum):
    STORED = "stored"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"


@dataclass
class SavedArticle:
    """What saving one article wrote, for the steps that follow in the same transaction."""

    outcome: Outcome
    article_id: int
    article: items.Article
    keys: MatchKeys | None = None
    """Its precomputed matching keys, if they fit it (``claims.article_keys``)."""
    quote_ids: list[int] = field(default_factory=list)
    """The stored ids of ``article.quotes``, in order (written articles only)."""
    speaker_ids: list[int | None] = field(default_factory=list)
    """The speaker id of each of ``article.quotes`` (None: unattributed)."""

    @property
    def written(self) -> bool:
        """True when the article's rows were (re)written, so later steps have work."""
        return self.outcome in (Outcome.STORED, Outcome.UPDATED)


@dataclass
class SavedBatch:
    """What saving a batch wrote: each article's outcome and rows, in the batch's order."""

    articles: list[SavedArticle]
    replaced_claim_ids: set[int]
    """Claims the updated articles' previous quotes were mentions of."""


def save_batch(
    session: Session,
    batch: Sequence[items.Article],
    run_id: int | None,
    url_hashes: Sequence[str] | None = None,
) -> SavedBatch:
    """Write the articles, their paragraphs, quotes and speakers: a few statements per batch.

    No canonical URL may occur twice in ``batch`` (``storage.writer`` splits such batches).
    An unchanged article only records the run that saw it. A changed one keeps its old
    text as a version and replaces its paragraphs and quotes (their claim mentions go
    with them, by cascade). The caller owns the transaction; ``url_hashes``, the
    canonical URLs' hashes if the caller has them already.
    """
    table = table_of(models.Article)
    hashes = url_hashes or [url_hash(str(article.canonical_url)) for article in batch]
    if len(set(hashes)) != len(hashes):
        raise ValueError("a batch to save holds the same canonical URL twice")
    precomputed = [precomputed_keys(article) for article in batch]
    digests = [
        keys.content_hash if keys is not None else content_hash(article)
        for article, keys in zip(batch, precomputed, strict=True)
    ]
    existing = {
        row.url_hash: row
        for row in session.execute(
            select(table.c.id, table.c.url_hash, table.c.content_hash, table.c.last_run_id).where(
                table.c.url_hash.in_(hashes)
            )
        )
    }
    saved: list[SavedArticle | None] = [None] * len(batch)
    seen_again: list[int] = []
    new: list[int] = []
    changed: list[int] = []
    for i, key in enumerate(hashes):
        row = existing.get(key)
        if row is None:
            new.append(i)
        elif row.content_hash != digests[i]:
            changed.append(i)
        else:
            seen_this_run = run_id is not None and row.last_run_id == run_id
            if not seen_this_run:
                seen_again.append(row.id)
            outcome = Outcome.DUPLICATE if seen_this_run else Outcome.UNCHANGED
            saved[i] = SavedArticle(outcome, row.id, batch[i])
    if seen_again:
        session.execute(update(table).where(table.c.id.in_(seen_again)).values(last_run_id=run_id))
    if not new and not changed:
        return SavedBatch([s for s in saved if s is not None], set())

    source_ids = _source_ids(session, [batch[i] for i in new + changed])
    fields = {
        i: _article_fields(batch[i], source_ids[batch[i].source], hashes[i], digests[i], run_id)
        for i in new + changed
    }
    replaced: set[int] = set()
    if changed:
        changed_ids = [existing[hashes[i]].id for i in changed]
        replaced = _replace_previous(session, changed_ids, run_id)
        session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(version=func.coalesce(table.c.version, 1) + 1),
            [{"b_id": existing[hashes[i]].id, **fields[i]} for i in changed],
        )
        for i, article_id in zip(changed, changed_ids, strict=True):
            saved[i] = SavedArticle(Outcome.UPDATED, article_id, batch[i])
    if new:
        ids = insert_returning_ids(
            session, table, [{**fields[i], "first_run_id": run_id} for i in new], ["url_hash"]
        )
        for i, article_id in zip(new, ids, strict=True):
            saved[i] = SavedArticle(Outcome.STORED, article_id, batch[i])
    done = [entry for entry in saved if entry is not None]
    for entry, keys in zip(done, precomputed, strict=True):
        entry.keys = keys
    _save_paragraphs_and_quotes(session, [entry for entry in done if entry.written])
    return SavedBatch(done, replaced)


def _article_fields(
    article: items.Article, source_id: int, key: str, digest: str, run_id: int | None
) -> dict[str, Any]:
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
        "minhash": None,  # belongs to the old text; syndication stores the new one
    }
    return _fitted(models.Article, fields)


def _replace_previous(session: Session, article_ids: list[int], run_id: int | None) -> set[int]:
    """Keep the changed articles' current texts as versions and drop their paragraphs and
    quotes; the claims those quotes mentioned, for the caller to tidy up."""
    versions.keep_previous(session, article_ids, run_id)
    replaced = _claims_of_articles(session, article_ids)
    session.execute(delete(models.Quote).where(models.Quote.article_id.in_(article_ids)))
    session.execute(delete(models.Paragraph).where(models.Paragraph.article_id.in_(article_ids)))
    return replaced


@cache
def _string_lengths(model: type[models.Base]) -> tuple[tuple[str, int], ...]:
    return tuple(
        (column.name, length)
        for column in table_of(model).c
        if (length := getattr(column.type, "length", None))
    )


def _fitted(model: type[models.Base], fields: dict[str, Any]) -> dict[str, Any]:
    """Cut strings to their column's length (an ``og:site_name`` of 300 characters into
    ``varchar(200)``): PostgreSQL refuses the whole article otherwise, SQLite keeps all."""
    for name, length in _string_lengths(model):
        value = fields.get(name)
        if isinstance(value, str) and len(value) > length:
            fields[name] = value[: length - 1] + "…"
    return fields


def _claims_of_articles(session: Session, article_ids: list[int]) -> set[int]:
    query = (
        select(models.ClaimMention.claim_id)
        .join(models.Quote, models.Quote.id == models.ClaimMention.quote_id)
        .where(models.Quote.article_id.in_(article_ids))
    )
    return set(session.scalars(query))


def _save_paragraphs_and_quotes(session: Session, written: list[SavedArticle]) -> None:
    """Every written article's paragraphs, then its quotes: two multi-row inserts."""
    insert_plain(
        session,
        "paragraphs",
        ("article_id", "position", "text"),
        [
            (saved.article_id, p.position, p.text)
            for saved in written
            for p in saved.article.paragraphs
        ],
    )
    paragraph_ids = _paragraph_ids(session, [saved.article_id for saved in written])
    speakers = _speaker_ids(session, [q for saved in written for q in saved.article.quotes])
    quote_rows = []
    for saved in written:
        positions = paragraph_ids.get(saved.article_id, {})
        for quote in saved.article.quotes:
            speaker_id = speakers[_speaker_key(quote.speaker)] if quote.speaker else None
            saved.speaker_ids.append(speaker_id)
            fields = {
                "article_id": saved.article_id,
                "paragraph_id": positions.get(quote.paragraph),
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
            quote_rows.append(_fitted(models.Quote, fields))
    quote_ids = iter(
        insert_returning_ids(
            session,
            table_of(models.Quote),
            quote_rows,
            ["article_id", "paragraph_position", "start"],
        )
    )
    for saved in written:
        saved.quote_ids = [next(quote_ids) for _ in saved.article.quotes]


def _paragraph_ids(session: Session, article_ids: list[int]) -> dict[int, dict[int, int]]:
    """Paragraph id by article and position (one indexed query per chunk of articles)."""
    paragraphs = table_of(models.Paragraph)
    found: dict[int, dict[int, int]] = {}
    for offset in range(0, len(article_ids), _CHUNK):
        query = select(paragraphs.c.article_id, paragraphs.c.position, paragraphs.c.id).where(
            paragraphs.c.article_id.in_(article_ids[offset : offset + _CHUNK])
        )
        for article_id, position, paragraph_id in session.execute(query):
            found.setdefault(article_id, {})[position] = paragraph_id
    return found


@dataclass
class _TransactionCache:
    """Ids and writes already done in this transaction, so a batch repeats no statement."""

    transaction: object
    sources: dict[str, int] = field(default_factory=dict)
    speakers: dict[str, int] = field(default_factory=dict)
    typed: set[str] = field(default_factory=set)
    """Speakers given a type in this transaction (the first non-null one stays)."""
    roles: set[tuple[int, str]] = field(default_factory=set)


def _cache(session: Session) -> _TransactionCache:
    """This transaction's cache; a rollback starts a new transaction and so an empty one."""
    transaction = session.get_transaction()
    cached = session.info.get("newsclaims_cache")
    if not isinstance(cached, _TransactionCache) or cached.transaction is not transaction:
        cached = _TransactionCache(transaction)
        session.info["newsclaims_cache"] = cached
    return cached


def _source_ids(session: Session, batch: Sequence[items.Article]) -> dict[str, int]:
    cache = _cache(session).sources
    missing = {article.source for article in batch} - cache.keys()
    if missing:
        sources = table_of(models.Source)
        query = select(sources.c.name, sources.c.id).where(sources.c.name.in_(missing))
        cache.update((row.name, row.id) for row in session.execute(query))
    for article in batch:
        if article.source not in cache:
            cache[article.source] = get_or_create_id(
                session,
                models.Source,
                {"name": article.source},
                {"domain": registered_host(str(article.url))},
            )
    return cache


def _speaker_key(name: str) -> str:
    return name[:200]


def _speaker_ids(session: Session, quotes: Sequence[items.Quote]) -> dict[str, int]:
    """The speakers of these quotes, created if new; one row per name, whatever its type.

    The first non-null type wins: a type is filled in when the row has none and never
    replaced, so a person and an organisation of the same name share the first one's.
    The fill-in is a guarded UPDATE, so concurrent writers cannot flip it either. Each
    step is one statement for all the batch's speakers, in the quotes' order.
    """
    cache = _cache(session)
    attributed = [q for q in quotes if q.speaker]
    first_type: dict[str, str | None] = {}
    for quote in attributed:
        first_type.setdefault(_speaker_key(quote.speaker or ""), quote.speaker_type)
    missing = [name for name in first_type if name not in cache.speakers]
    if missing:
        speakers = table_of(models.Speaker)
        insert_ignore_many(
            session,
            speakers,
            [{"name": name, "speaker_type": first_type[name]} for name in missing],
            ["name"],
        )
        for offset in range(0, len(missing), _CHUNK):
            chunk = missing[offset : offset + _CHUNK]
            query = select(speakers.c.name, speakers.c.id).where(speakers.c.name.in_(chunk))
            cache.speakers.update((row.name, row.id) for row in session.execute(query))
    fills: dict[str, str] = {}
    roles: dict[tuple[int, str], None] = {}
    for quote in attributed:
        name = _speaker_key(quote.speaker or "")
        if quote.speaker_type is not None and name not in cache.typed:
            fills.setdefault(name, quote.speaker_type)
        if quote.role:
            role = (cache.speakers[name], quote.role[:300])
            if role not in cache.roles:
                roles[role] = None
    if fills:
        speakers = table_of(models.Speaker)
        session.execute(
            update(speakers)
            .where(speakers.c.id == bindparam("b_id"), speakers.c.speaker_type.is_(None))
            .values(speaker_type=bindparam("b_type")),
            [{"b_id": cache.speakers[name], "b_type": kind} for name, kind in fills.items()],
        )
        cache.typed.update(fills)
    if roles:
        insert_ignore_many(
            session,
            table_of(models.SpeakerRole),
            [{"speaker_id": speaker_id, "role": role} for speaker_id, role in roles],
            ["speaker_id", "role"],
        )
        cache.roles.update(roles)
    return cache.speakers


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
            saved = save_batch(session, [article], run_id)
            delete_unmentioned(session, saved.replaced_claim_ids)
            return saved.articles[0].outcome

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
