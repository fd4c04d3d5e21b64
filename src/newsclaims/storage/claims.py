"""The database side of claims: one statement by one speaker, across outlets.

The same semantics as ``claims.ClaimIndex``, with the LSH buckets in
``claim_signatures`` so candidate lookup is an indexed query whose cost does not grow
with the number of stored claims. Portable SQL only (SQLite and PostgreSQL); callers
own the transaction. Near-duplicate articles are in ``storage.syndication``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, delete, exists, insert, or_, select
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.claims import (
    best_match,
    claim_band_keys,
    claim_sentences,
    match_form,
    wording_diff,
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
            _record_quote(session, quote, quote.speaker_id)


def _record_quote(session: Session, quote: models.Quote, speaker_id: int) -> None:
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
        found = find_claim(session, speaker_id, form, keys)
        if found is None:
            claim = _create_claim(session, speaker_id, span.text, form, keys)
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
def _claim_candidates(key_count: int) -> Select[models.Claim]:
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
    if keys:  # one executemany, not an ORM object per band key (the bulk of a write's time)
        session.execute(
            insert(models.ClaimSignature),
            [
                {"claim_id": claim.id, "band": band, "speaker_id": speaker_id, "bucket": bucket}
                for band, bucket in keys
            ],
        )
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


def delete_unmentioned(session: Session, claim_ids: Collection[int]) -> None:
    """Delete those of the given claims no mention refers to any more, with their band keys.

    Replacing an article's quotes removes their mentions (by cascade); a claim that only
    they mentioned would otherwise stay behind, still matchable and counted, with no
    outlet saying it. Claims other articles still mention are kept.
    """
    if not claim_ids:
        return
    mentioned = exists().where(models.ClaimMention.claim_id == models.Claim.id)
    orphans = list(
        session.scalars(select(models.Claim.id).where(models.Claim.id.in_(claim_ids), ~mentioned))
    )
    if not orphans:
        return
    session.execute(
        delete(models.ClaimSignature).where(models.ClaimSignature.claim_id.in_(orphans))
    )
    session.execute(delete(models.Claim).where(models.Claim.id.in_(orphans)))
