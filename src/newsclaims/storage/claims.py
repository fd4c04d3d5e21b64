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
from typing import cast

from sqlalchemy import Select, Table, and_, bindparam, delete, exists, insert, or_, select
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
_CHUNK = 500  # ids per IN (...) list, well under every driver's parameter limit


def _table(model: type[models.Base]) -> Table:
    """The model's table, for Core inserts (no per-object ORM bookkeeping)."""
    return cast(Table, model.__table__)


def record_claims(
    session: Session, quote_rows: Sequence[models.Quote], outlet_article: models.Article
) -> None:
    """Attach every sentence of the article's attributed quotes to a claim (new or matched).

    Idempotent: sentences already recorded for a quote (by start offset) are skipped.
    Linear in the sentences: one indexed candidate query per sentence, two inserts per
    new claim, and the mentions with their wording edits written in two bulk inserts at
    the end (per-object ORM flushes took 14 s for 1,350 quotes).
    """
    claimable = []
    for quote in quote_rows:
        if quote.article_id != outlet_article.id:
            raise ValueError(f"quote {quote.id} is not from article {outlet_article.id}")
        if quote.speaker_id is not None and quote.kind in CLAIM_KINDS:
            claimable.append(quote)
    if not claimable:
        return
    if any(quote.id is None for quote in claimable):
        session.flush()
    recorded = _recorded_sentences(session, [quote.id for quote in claimable])
    mentions: list[dict[str, object]] = []
    canonicals: list[str] = []
    with session.no_autoflush:
        for quote in claimable:
            assert quote.speaker_id is not None
            for span in claim_sentences(quote.text):
                if (quote.id, span.start) in recorded:
                    continue
                recorded.add((quote.id, span.start))
                form = match_form(span.text)
                keys = claim_band_keys(form)
                found = find_claim(session, quote.speaker_id, form, keys)
                if found is None:
                    claim_id = _create_claim(session, quote.speaker_id, span.text, form, keys)
                    canonical, similarity = span.text, 1.0
                else:
                    claim_id, canonical, similarity = found[0].id, found[0].canonical_text, found[1]
                mentions.append(
                    {
                        "claim_id": claim_id,
                        "quote_id": quote.id,
                        "sentence_start": span.start,
                        "sentence_end": span.end,
                        "wording": span.text,
                        "similarity": similarity,
                    }
                )
                canonicals.append(canonical)
    _insert_mentions(session, mentions, canonicals)


def _recorded_sentences(session: Session, quote_ids: list[int]) -> set[tuple[int, int]]:
    """(quote id, sentence start) of the mentions already stored for these quotes."""
    recorded: set[tuple[int, int]] = set()
    mention = models.ClaimMention
    for offset in range(0, len(quote_ids), _CHUNK):
        chunk = quote_ids[offset : offset + _CHUNK]
        query = select(mention.quote_id, mention.sentence_start).where(mention.quote_id.in_(chunk))
        recorded.update((row[0], row[1]) for row in session.execute(query))
    return recorded


def _insert_mentions(
    session: Session, mentions: list[dict[str, object]], canonicals: list[str]
) -> None:
    """The mentions, then how each one's words differ from its claim's canonical wording."""
    if not mentions:
        return
    table = _table(models.ClaimMention)
    ids = session.scalars(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), mentions
    ).all()
    edits = [
        {
            "mention_id": mention_id,
            "position": edit.position,
            "operation": edit.operation,
            "canonical_words": edit.canonical_words,
            "outlet_words": edit.outlet_words,
        }
        for mention_id, mention, canonical in zip(ids, mentions, canonicals, strict=True)
        for edit in wording_diff(canonical, str(mention["wording"]))
    ]
    if edits:
        session.execute(insert(_table(models.WordingEdit)), edits)


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
) -> int:
    """A new claim whose canonical wording is this first mention's, with its band keys."""
    table = _table(models.Claim)
    claim_id: int = session.execute(
        insert(table).returning(table.c.id),
        {
            "speaker_id": speaker_id,
            "canonical_text": wording,
            "match_text": form,
            "created_at": datetime.now(UTC),
        },
    ).scalar_one()
    if keys:
        session.execute(
            insert(_table(models.ClaimSignature)),
            [
                {"claim_id": claim_id, "band": band, "speaker_id": speaker_id, "bucket": bucket}
                for band, bucket in keys
            ],
        )
    return claim_id


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
