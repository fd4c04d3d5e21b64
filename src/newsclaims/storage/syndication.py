"""The database side of near-duplicate articles: a syndicated copy points at its original.

The same semantics as ``similarity.neardup``, with the LSH band keys in
``article_signatures`` (candidates by index lookup) and each article's MinHash values
in ``articles.minhash`` (candidates compared without re-reading and re-hashing their
text). Portable SQL only (SQLite and PostgreSQL); callers own the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

import numpy as np
from sqlalchemy import Select, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session, defer

from newsclaims import models
from newsclaims.similarity.minhash import estimated_jaccard
from newsclaims.similarity.neardup import (
    NEAR_DUPLICATE_THRESHOLD,
    Signature,
    article_signature,
    band_keys,
)

_STORED_DTYPE = np.dtype("<u8")
"""``articles.minhash`` byte layout: the uint64 values, little-endian on every platform."""


def minhash_bytes(signature: Signature) -> bytes:
    """The signature as stored; empty for an article without words (nothing to compare)."""
    if signature.shingle_count == 0:
        return b""
    return signature.values.astype(_STORED_DTYPE).tobytes()


def stored_minhash(article: models.Article) -> bytes:
    """The article's stored MinHash, computed from its text and kept if the row lacks it.

    Rows written before revision 0004, or whose text was replaced, have none yet.
    """
    if article.minhash is None:
        article.minhash = minhash_bytes(article_signature([article.text]))
    return article.minhash


def similarity(signature: Signature, stored: bytes) -> float:
    """Estimated Jaccard similarity of an article's signature and a stored one (0 if empty)."""
    if signature.shingle_count == 0 or not stored:
        return 0.0
    values = np.frombuffer(stored, dtype=_STORED_DTYPE).astype(np.uint64)
    return estimated_jaccard(signature.values, values)


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
    article.minhash = minhash_bytes(signature)
    keys = band_keys(signature)
    _store_article_keys(session, article.id, keys)
    matches: list[tuple[models.Article, float]] = []
    for candidate in _candidate_articles(session, article.id, keys):
        score = similarity(signature, stored_minhash(candidate))
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
    return (article.published_at or article.fetched_at, article.id)


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
    if keys:  # one executemany, not an ORM object per band key
        session.execute(
            insert(models.ArticleSignature),
            [{"article_id": article_id, "band": band, "bucket": bucket} for band, bucket in keys],
        )


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
def _article_candidates(key_count: int) -> Select[models.Article]:
    """Articles other than ``article_id`` sharing any of ``key_count`` band keys.

    The text is not loaded: the stored MinHash is what gets compared.
    """
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
        .options(defer(models.Article.text))
        .where(models.Article.id.in_(candidate_ids))
        .order_by(models.Article.id)
    )
