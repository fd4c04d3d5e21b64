"""The database side of claims and near-duplicate articles.

The same semantics as ``claims.ClaimIndex`` and ``neardup``, with the LSH
buckets in ``claim_signatures`` / ``article_signatures`` so candidate lookup is an
indexed query whose cost does not grow with the number of stored rows. Portable
SQL only (SQLite and PostgreSQL); callers own the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, delete, or_, select, update
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.claims import (
    best_match,
    claim_band_keys,
    claim_sentences,
    match_form,
    wording_diff,
)
from newsclaims.similarity.neardup import (
    NEAR_DUPLICATE_THRESHOLD,
    article_signature,
    band_keys,
    estimated_similarity,
)

CLAIM_KINDS = frozenset({"direct", "partial"})
"""Optional (scare-quoted) words are not statements."""


def record_claims(
    session: Session, quote_rows: Sequence[models.Quote], outlet_article: models.Article
) -> None:
    """Attach every sentence of the article's attributed quotes to a claim (new or matched).

    Idempotent: sentences already recorded for a quote (by start offset) are skipped.
    """
    for quote in quote_rows:
        if quote.article_id != outlet_article.id:
            raise ValueError(f"quote {quote.id} is not from article {outlet_article.id}")
        if quote.speaker_id is not None and quote.kind in CLAIM_KINDS:
            _record_quote(session, quote)


def _record_quote(session: Session, quote: models.Quote) -> None:
    if quote.id is None:
        session.flush()
    recorded = set(
        session.scalars(
            select(models.ClaimMention.sentence_start).where(
                models.ClaimMention.quote_id == quote.id
            )
        )
    )
    for span in claim_sentences(quote.text):
        if span.start in recorded:
            continue
        form = match_form(span.text)
        keys = claim_band_keys(form)
        found = find_claim(session, quote.speaker_id, form, keys)
        if found is None:
            claim = _create_claim(session, quote.speaker_id, span.text, form, keys)
            similarity = 1.0
        else:
            claim, similarity = found
        mention = models.ClaimMention(
            claim_id=claim.id,
            quote_id=quote.id,
            sentence_start=span.start,
            sentence_end=span.end,
            wording=span.text,
            similarity=similarity,
        )
        session.add(mention)
        session.flush()
        _record_edits(session, mention, claim.canonical_text)


def find_claim(
    session: Session, speaker_id: int, form: str, keys: Sequence[tuple[int, int]]
) -> tuple[models.Claim, float] | None:
    """The speaker's stored claim best matching a matching form, with its similarity."""
    if not keys:
        return None
    params: dict[str, int] = {"speaker_id": speaker_id}
    for i, (band, bucket) in enumerate(keys):
        params[f"band_{i}"], params[f"bucket_{i}"] = band, bucket
    claims = {c.id: c for c in session.scalars(_claim_candidates(len(keys)), params)}
    match = best_match(form, ((c.id, c.match_text) for c in claims.values()))
    if match is None:
        return None
    return claims[match[0]], match[1]


@lru_cache(maxsize=8)
def _claim_candidates(key_count: int) -> Select[tuple[models.Claim]]:
    """Claims sharing any of ``key_count`` band keys with the query, for one speaker.

    Built once with bound parameters: constructing the 20-term expression per
    lookup cost more than running it. Each OR term carries the full (speaker_id,
    band, bucket) key, so SQLite and PostgreSQL answer every term from
    ``ix_claim_signatures_lookup``.
    """
    signature = models.ClaimSignature
    terms = (
        and_(
            signature.speaker_id == bindparam("speaker_id"),
            signature.band == bindparam(f"band_{i}"),
            signature.bucket == bindparam(f"bucket_{i}"),
        )
        for i in range(key_count)
    )
    candidate_ids = select(signature.claim_id).where(or_(*terms)).distinct()
    return select(models.Claim).where(models.Claim.id.in_(candidate_ids))


def _create_claim(
    session: Session, speaker_id: int, wording: str, form: str, keys: Sequence[tuple[int, int]]
) -> models.Claim:
    """A new claim whose canonical wording is this first mention's, with its band keys."""
    claim = models.Claim(
        speaker_id=speaker_id,
        canonical_text=wording,
        match_text=form,
        created_at=datetime.now(UTC),
    )
    session.add(claim)
    session.flush()
    session.add_all(
        models.ClaimSignature(claim_id=claim.id, band=band, speaker_id=speaker_id, bucket=bucket)
        for band, bucket in keys
    )
    session.flush()
    return claim


def _record_edits(session: Session, mention: models.ClaimMention, canonical: str) -> None:
    """Store how the mention's words differ from the canonical wording (nothing if equal)."""
    session.add_all(
        models.WordingEdit(
            mention_id=mention.id,
            position=edit.position,
            operation=edit.operation,
            canonical_words=edit.canonical_words,
            outlet_words=edit.outlet_words,
        )
        for edit in wording_diff(canonical, mention.wording)
    )


def link_near_duplicate(session: Session, article: models.Article) -> None:
    """Link a syndicated copy to the first published copy of the same story.

    The original is the earliest published (then earliest stored) article of the group,
    so crawl order does not decide which outlet ran the story first: when a newly stored
    article was published before the copies already stored, they are re-pointed to it.
    Idempotent: the band rows are rewritten only when the text changed.
    """
    if article.id is None:
        session.flush()
    signature = article_signature([article.text])
    keys = band_keys(signature)
    _store_article_keys(session, article.id, keys)
    matches: list[tuple[models.Article, float]] = []
    for candidate in _candidate_articles(session, article.id, keys):
        score = estimated_similarity(signature, article_signature([candidate.text]))
        if score >= NEAR_DUPLICATE_THRESHOLD:
            matches.append((candidate, score))
    if not matches:
        article.near_duplicate_of_id = article.near_duplicate_similarity = None
        return
    earliest, score = min(matches, key=lambda match: _first_seen(match[0]))
    if _first_seen(article) < _first_seen(earliest):
        _adopt_copies(session, article, matches)
        article.near_duplicate_of_id = article.near_duplicate_similarity = None
        return
    original_id = earliest.near_duplicate_of_id or earliest.id
    article.near_duplicate_of_id = original_id
    article.near_duplicate_similarity = score


def _first_seen(article: models.Article) -> tuple[datetime, int]:
    when = article.published_at or article.fetched_at
    return (when if when.tzinfo else when.replace(tzinfo=UTC), article.id)


def _adopt_copies(
    session: Session, original: models.Article, matches: Sequence[tuple[models.Article, float]]
) -> None:
    """Point the matched articles, and the copies that pointed at them, to the new original."""
    former = {candidate.id for candidate, _ in matches}
    for candidate, score in matches:
        candidate.near_duplicate_of_id = original.id
        candidate.near_duplicate_similarity = score
    session.execute(
        update(models.Article)
        .where(models.Article.near_duplicate_of_id.in_(former))
        .values(near_duplicate_of_id=original.id)
        .execution_options(synchronize_session=False)
    )


def _store_article_keys(session: Session, article_id: int, keys: Sequence[tuple[int, int]]) -> None:
    stored = session.execute(
        select(models.ArticleSignature.band, models.ArticleSignature.bucket).where(
            models.ArticleSignature.article_id == article_id
        )
    ).all()
    if {tuple(row) for row in stored} == set(keys):
        return
    session.execute(
        delete(models.ArticleSignature).where(models.ArticleSignature.article_id == article_id)
    )
    session.add_all(
        models.ArticleSignature(article_id=article_id, band=band, bucket=bucket)
        for band, bucket in keys
    )
    session.flush()


def _candidate_articles(
    session: Session, article_id: int, keys: Sequence[tuple[int, int]]
) -> Sequence[models.Article]:
    """Other articles sharing a band key, oldest first."""
    if not keys:
        return []
    params: dict[str, int] = {"article_id": article_id}
    for i, (band, bucket) in enumerate(keys):
        params[f"band_{i}"], params[f"bucket_{i}"] = band, bucket
    return session.scalars(_article_candidates(len(keys)), params).all()


@lru_cache(maxsize=8)
def _article_candidates(key_count: int) -> Select[tuple[models.Article]]:
    """Articles other than ``article_id`` sharing any of ``key_count`` band keys."""
    signature = models.ArticleSignature
    terms = (
        and_(signature.band == bindparam(f"band_{i}"), signature.bucket == bindparam(f"bucket_{i}"))
        for i in range(key_count)
    )
    candidate_ids = (
        select(signature.article_id)
        .where(signature.article_id != bindparam("article_id"), or_(*terms))
        .distinct()
    )
    return (
        select(models.Article)
        .where(models.Article.id.in_(candidate_ids))
        .order_by(models.Article.id)
    )
