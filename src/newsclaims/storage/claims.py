"""The database side of claims: one statement by one speaker, across outlets.

The same semantics as ``claims.ClaimIndex``, with the LSH buckets in
``claim_signatures`` so candidate lookup is an indexed query whose cost does not grow
with the number of stored claims. Portable SQL only (SQLite and PostgreSQL); callers
own the transaction. Near-duplicate articles are in ``storage.syndication``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.claims import best_match, wording_diff
from newsclaims.records import ClaimSentenceKeys
from newsclaims.storage.lookups import insert_plain, rows_matching
from newsclaims.storage.upsert import insert_returning_ids, table_of

_CHUNK = 500  # ids per IN (...) list, well under every driver's parameter limit


@dataclass(frozen=True)
class ClaimableQuote:
    """A stored, attributed quote with its claim sentences (``claims.article_keys``)."""

    quote_id: int
    speaker_id: int
    sentences: Sequence[ClaimSentenceKeys]
    text: str


def record_batch(session: Session, quotes: Sequence[ClaimableQuote]) -> None:
    """Attach each quote sentence to its speaker's matching claim, or create the claim.

    Idempotent: a sentence already recorded as a mention is skipped. The batch is
    matched in order, each sentence seeing the stored claims and those the batch
    created before it, as if recorded one by one; the statements are per batch: one
    lookup of every sentence's band keys, then the new claims, their band keys, the
    mentions and their wording edits in one multi-row insert each.
    """
    recorded = _recorded_sentences(session, [quote.quote_id for quote in quotes])
    pending: list[tuple[ClaimableQuote, ClaimSentenceKeys]] = []
    for quote in quotes:
        for sentence in quote.sentences:
            if (quote.quote_id, sentence.start) not in recorded:
                recorded.add((quote.quote_id, sentence.start))
                pending.append((quote, sentence))
    if not pending:
        return
    index, forms, canonicals = _stored_candidates(session, pending)
    new_claims: list[dict[str, object]] = []
    new_keys: list[tuple[int, tuple[int, ...]]] = []
    mentions: list[dict[str, object]] = []
    now = datetime.now(UTC)
    for quote, sentence in pending:
        keys = [(quote.speaker_id, band, bucket) for band, bucket in enumerate(sentence.buckets)]
        candidates = {claim for key in keys for claim in index.get(key, ())}
        match = best_match(sentence.form, ((c, forms[c]) for c in candidates))
        wording = quote.text[sentence.start : sentence.end]
        if match is None:
            claim_id = _NEW_CLAIM + len(new_claims)  # ordered after every stored claim
            new_claims.append(
                {
                    "speaker_id": quote.speaker_id,
                    "canonical_text": wording,
                    "match_text": sentence.form,
                    "created_at": now,
                }
            )
            new_keys.append((quote.speaker_id, sentence.buckets))
            forms[claim_id], canonicals[claim_id] = sentence.form, wording
            for key in keys:
                index.setdefault(key, []).append(claim_id)
            match = (claim_id, 1.0)
        mentions.append(
            {
                "claim_id": match[0],
                "quote_id": quote.quote_id,
                "sentence_start": sentence.start,
                "sentence_end": sentence.end,
                "wording": wording,
                "similarity": match[1],
            }
        )
    canonical_wordings = [canonicals[cast(int, mention["claim_id"])] for mention in mentions]
    _insert_claims(session, new_claims, new_keys, mentions)
    _insert_mentions(session, mentions, canonical_wordings)


_NEW_CLAIM = 1 << 62
"""Claims the batch creates are numbered from here until inserted (above any stored id)."""


def _stored_candidates(
    session: Session, pending: Sequence[tuple[ClaimableQuote, ClaimSentenceKeys]]
) -> tuple[dict[tuple[int, int, int], list[int]], dict[int, str], dict[int, str]]:
    """Stored claims sharing a band key with a pending sentence: by key, forms, canonicals."""
    keys = {
        (quote.speaker_id, band, bucket)
        for quote, sentence in pending
        for band, bucket in enumerate(sentence.buckets)
    }
    index: dict[tuple[int, int, int], list[int]] = {}
    for speaker_id, band, bucket, claim_id in rows_matching(
        session, "claim_signatures", ("speaker_id", "band", "bucket"), keys, ("claim_id",)
    ):
        index.setdefault((speaker_id, band, bucket), []).append(claim_id)
    forms: dict[int, str] = {}
    canonicals: dict[int, str] = {}
    claim_ids = sorted({claim for ids in index.values() for claim in ids})
    claims = table_of(models.Claim)
    for offset in range(0, len(claim_ids), _CHUNK):
        query = select(claims.c.id, claims.c.match_text, claims.c.canonical_text).where(
            claims.c.id.in_(claim_ids[offset : offset + _CHUNK])
        )
        for claim_id, form, canonical in session.execute(query):
            forms[claim_id], canonicals[claim_id] = form, canonical
    return index, forms, canonicals


def _insert_claims(
    session: Session,
    new_claims: list[dict[str, object]],
    new_keys: list[tuple[int, tuple[int, ...]]],
    mentions: list[dict[str, object]],
) -> None:
    """The batch's new claims and their band keys; mentions get the claims' real ids."""
    if not new_claims:
        return
    # A batch never creates two claims of one speaker with the same matching form: the
    # second would have matched the first.
    ids = insert_returning_ids(
        session, table_of(models.Claim), new_claims, ["speaker_id", "match_text"]
    )
    for mention in mentions:
        number = cast(int, mention["claim_id"]) - _NEW_CLAIM
        if number >= 0:
            mention["claim_id"] = ids[number]
    insert_plain(
        session,
        "claim_signatures",
        ("claim_id", "band", "speaker_id", "bucket"),
        [
            (claim_id, band, speaker_id, bucket)
            for claim_id, (speaker_id, buckets) in zip(ids, new_keys, strict=True)
            for band, bucket in enumerate(buckets)
        ],
    )


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
    ids = insert_returning_ids(
        session, table_of(models.ClaimMention), mentions, ["quote_id", "sentence_start"]
    )
    edits = [
        {
            "mention_id": mention_id,
            "position": edit.position,
            "operation": edit.operation,
            "canonical_words": edit.canonical_words,
            "outlet_words": edit.outlet_words,
        }
        for mention_id, mention, canonical in zip(ids, mentions, canonicals, strict=True)
        if canonical != mention["wording"]
        for edit in wording_diff(canonical, str(mention["wording"]))
    ]
    if edits:
        session.execute(insert(table_of(models.WordingEdit)), edits)


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
