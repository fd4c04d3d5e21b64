"""The database side of near-duplicate articles: a syndicated copy points at its original.

The same semantics as ``similarity.neardup``, with the LSH band keys in
``article_signatures`` (candidates by index lookup) and each article's MinHash values
in ``articles.minhash`` (candidates compared without re-reading and re-hashing their
text). A batch of articles costs a handful of statements: its keys in one executemany,
every candidate of every article in one lookup, the links in one update. Portable SQL
only (SQLite and PostgreSQL); callers own the transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.dates import to_utc
from newsclaims.similarity.minhash import estimated_jaccard, estimated_jaccards
from newsclaims.similarity.neardup import (
    CANDIDATES_PER_BUCKET,
    NEAR_DUPLICATE_THRESHOLD,
    article_signature,
    minhash_bytes,
    minhash_matrix,
    minhash_values,
)
from newsclaims.storage.lookups import delete_rows, insert_plain, rows_matching
from newsclaims.storage.upsert import table_of

__all__ = ["NearDuplicateInput", "link_batch", "minhash_bytes"]
_CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class NearDuplicateInput:
    """A just-written article as near-duplicate linking needs it."""

    article_id: int
    first_seen: datetime
    """Published, else fetched (to the second, as stored)."""
    minhash: bytes
    buckets: tuple[int, ...]
    """LSH bucket per band; empty for an article without words."""


@dataclass
class _Linked:
    """An article's link as the batch changes it; written once at the end."""

    first_seen: tuple[datetime, int]
    values: np.ndarray | None
    original_id: int | None
    similarity: float | None
    minhash: bytes | None = None
    """Set when this row's MinHash was (re)computed and must be written."""
    changed: bool = False


def link_batch(session: Session, batch: Sequence[NearDuplicateInput]) -> None:
    """Link each syndicated copy to the first published copy of the same story.

    The original is the earliest published (then earliest stored) article of the group,
    so crawl order does not decide which outlet ran the story first: when a newly stored
    article was published before the copies already stored, they are re-pointed to it.
    The batch is linked in order, each article seeing the stored ones and those before
    it in the batch, as if written one by one. Idempotent: band rows are rewritten only
    when the text changed.
    """
    if not batch:
        return
    position = {entry.article_id: i for i, entry in enumerate(batch)}
    sharing: dict[tuple[int, int], list[int]] = defaultdict(list)
    keys = {(band, bucket) for entry in batch for band, bucket in enumerate(entry.buckets)}
    for band, bucket, article_id in rows_matching(
        session,
        "article_signatures",
        ("band", "bucket"),
        keys,
        ("article_id",),
        newest=("article_id", CANDIDATES_PER_BUCKET),
        excluding=position,  # the batch's own rows are about to be rewritten
    ):
        sharing[(band, bucket)].append(article_id)
    full = [key for key, ids in sharing.items() if len(ids) == CANDIDATES_PER_BUCKET]
    signatures = _Signatures()
    computed = signatures.add_stored(session, {a for ids in sharing.values() for a in ids})
    linked: dict[int, _Linked] = {}
    for entry in batch:
        values = minhash_values(entry.minhash) if entry.minhash else None
        linked[entry.article_id] = _Linked(
            (to_utc(entry.first_seen).replace(microsecond=0), entry.article_id),
            values,
            None,
            None,
            entry.minhash,
            True,
        )
        signatures.add(entry.article_id, values)
    signatures.seal()
    for entry in batch:
        candidates = {a for key in enumerate(entry.buckets) for a in sharing.get(key, ())}
        _link(session, entry.article_id, linked, sorted(candidates), signatures, computed)
        for key in enumerate(entry.buckets):  # seen by the batch's later articles
            sharing[key].append(entry.article_id)
    _store_keys(session, batch)
    _prune(session, full)
    _write_links(session, linked, computed)


class _Signatures:
    """The batch's and its candidates' MinHash values as one matrix, a row per article:
    an article is scored against all its candidates in one vector pass.

    Why only the values of every candidate: where a story's quotes run in many outlets
    a batch has thousands of candidates, nearly all below the threshold; their dates and
    links are read for the few that match (``_load_links``)."""

    def __init__(self) -> None:
        self.row_of: dict[int, int] = {}
        self._parts: list[np.ndarray] = []
        self.matrix: np.ndarray | None = None

    def add(self, article_id: int, values: np.ndarray | None) -> None:
        if values is not None:
            self.row_of[article_id] = len(self.row_of)
            self._parts.append(values[None, :])

    def add_stored(self, session: Session, article_ids: set[int]) -> dict[int, bytes]:
        """The stored candidates' values; a row without any gets them from its text (rows
        written before revision 0004, or whose text was replaced): returned, to be written."""
        missing: list[int] = []
        ids, blobs = [], []
        for article_id, stored in _stored_minhashes(session, sorted(article_ids)):
            if stored is None:
                missing.append(article_id)
            elif stored:
                ids.append(article_id)
                blobs.append(stored)
        if blobs:
            first = len(self.row_of)
            self.row_of.update((a, first + i) for i, a in enumerate(ids))
            self._parts.append(minhash_matrix(blobs))
        computed: dict[int, bytes] = {}
        if missing:
            articles = table_of(models.Article)
            texts = select(articles.c.id, articles.c.text).where(articles.c.id.in_(missing))
            for article_id, text in session.execute(texts):
                stored = computed[article_id] = minhash_bytes(article_signature([text]))
                self.add(article_id, minhash_values(stored) if stored else None)
        return computed

    def seal(self) -> None:
        self.matrix = np.vstack(self._parts) if self._parts else None
        self._parts = []

    def values(self, article_id: int) -> np.ndarray | None:
        row = self.row_of.get(article_id)
        return None if row is None or self.matrix is None else self.matrix[row]

    def scores(self, values: np.ndarray, candidates: list[int]) -> list[tuple[int, float]]:
        """(candidate, estimated Jaccard) for each candidate that has MinHash values."""
        comparable = [c for c in candidates if c in self.row_of]
        if not comparable or self.matrix is None:
            return []
        rows = self.matrix[[self.row_of[c] for c in comparable]]
        return list(zip(comparable, estimated_jaccards(values, rows), strict=True))


def _link(
    session: Session,
    article_id: int,
    linked: dict[int, _Linked],
    candidates: list[int],
    signatures: _Signatures,
    computed: dict[int, bytes],
) -> None:
    """One article's link, given the candidates sharing a band key with it."""
    article = linked[article_id]
    if article.values is None:
        return
    matches = [
        (candidate_id, score)
        for candidate_id, score in signatures.scores(article.values, candidates)
        if score >= NEAR_DUPLICATE_THRESHOLD
    ]
    _load_links(session, [c for c, _ in matches if c not in linked], linked, signatures, computed)
    if not matches:
        return
    matches += _originals_of(session, article_id, matches, linked, signatures, computed)
    earliest_id, score = min(matches, key=lambda match: linked[match[0]].first_seen)
    earliest = linked[earliest_id]
    if article.first_seen < earliest.first_seen:
        _adopt_copies(session, article_id, linked, matches)
        return
    article.original_id = earliest.original_id or earliest_id
    article.similarity = score


def _originals_of(
    session: Session,
    article_id: int,
    matches: list[tuple[int, float]],
    linked: dict[int, _Linked],
    signatures: _Signatures,
    computed: dict[int, bytes],
) -> list[tuple[int, float]]:
    """The originals the matched copies point at, that did not match themselves, with their
    similarity to the article: a copy's group is the article's group, and its original may
    be no candidate (past a bucket's newest, ``CANDIDATES_PER_BUCKET``) or just below the
    threshold; compared by date with the matches, it keeps a group from splitting when an
    earlier-published copy arrives."""
    matched = {candidate_id for candidate_id, _ in matches}
    originals = sorted(
        {
            original
            for candidate_id in matched
            if (original := linked[candidate_id].original_id) is not None
            and original not in matched
            and original != article_id
        }
    )
    if not originals:
        return []
    _load_links(session, [o for o in originals if o not in linked], linked, signatures, computed)
    article = linked[article_id]
    assert article.values is not None
    unseen = [o for o in originals if o in linked and signatures.values(o) is None]
    stored = {o: minhash_values(m) for o, m in _stored_minhashes(session, unseen) if m}
    found = []
    for original in originals:
        values = signatures.values(original)
        values = values if values is not None else stored.get(original)
        if original in linked and values is not None:  # not deleted, has a MinHash stored
            found.append((original, float(estimated_jaccard(article.values, values))))
    return found


def _stored_minhashes(
    session: Session, article_ids: list[int]
) -> Iterator[tuple[int, bytes | None]]:
    """(id, stored MinHash) of the articles, ``None`` for a row that has none yet."""
    articles = table_of(models.Article)
    for offset in range(0, len(article_ids), _CHUNK):
        query = select(articles.c.id, articles.c.minhash).where(
            articles.c.id.in_(article_ids[offset : offset + _CHUNK])
        )
        yield from ((row.id, row.minhash) for row in session.execute(query))


def _adopt_copies(
    session: Session, original_id: int, linked: dict[int, _Linked], matches: list[tuple[int, float]]
) -> None:
    """Point the matched articles, and the copies that pointed at them, to the new original."""
    former = {candidate_id for candidate_id, _ in matches}
    for candidate_id, score in matches:
        candidate = linked[candidate_id]
        candidate.original_id, candidate.similarity, candidate.changed = original_id, score, True
    for row in linked.values():
        if row.original_id in former:
            row.original_id, row.changed = original_id, True
    articles = table_of(models.Article)
    session.execute(
        update(articles)
        .where(articles.c.near_duplicate_of_id.in_(former))
        .values(near_duplicate_of_id=original_id)
    )


def _load_links(
    session: Session,
    article_ids: list[int],
    linked: dict[int, _Linked],
    signatures: _Signatures,
    computed: dict[int, bytes],
) -> None:
    """Stored articles' dates and links, read when they first match. Read then, not with
    the batch's candidates: in the same transaction, so a re-pointing this batch made
    (``_adopt_copies``) is already in the row."""
    articles = table_of(models.Article)
    for offset in range(0, len(article_ids), _CHUNK):
        query = select(
            articles.c.id,
            articles.c.published_at,
            articles.c.fetched_at,
            articles.c.near_duplicate_of_id,
            articles.c.near_duplicate_similarity,
        ).where(articles.c.id.in_(article_ids[offset : offset + _CHUNK]))
        for row in session.execute(query):
            linked[row.id] = _Linked(
                (row.published_at or row.fetched_at, row.id),
                signatures.values(row.id),
                row.near_duplicate_of_id,
                row.near_duplicate_similarity,
                computed.get(row.id),
                row.id in computed,
            )


def _prune(session: Session, full: list[tuple[int, int]]) -> None:
    """Drop the rows of full buckets past their newest ``CANDIDATES_PER_BUCKET``: no lookup
    returns them, and kept they make every lookup of the bucket scan all it ever held."""
    past = rows_matching(
        session,
        "article_signatures",
        ("band", "bucket"),
        full,
        ("article_id",),
        newest=("article_id", CANDIDATES_PER_BUCKET),
        past_newest=True,
    )
    delete_rows(session, "article_signatures", ("article_id", "band"), [(a, b) for b, _, a in past])


def _write_links(session: Session, linked: dict[int, _Linked], computed: dict[int, bytes]) -> None:
    """The changed links (and MinHash values), one executemany per set of columns; the
    values computed for candidates that matched nothing, alone."""
    articles = table_of(models.Article)
    links, hashed = [], []
    values_only = [
        {"b_id": article_id, "minhash": minhash}
        for article_id, minhash in computed.items()
        if article_id not in linked
    ]
    if values_only:
        session.execute(update(articles).where(articles.c.id == bindparam("b_id")), values_only)
    for article_id, row in linked.items():
        if not row.changed:
            continue
        change = {
            "b_id": article_id,
            "near_duplicate_of_id": row.original_id,
            "near_duplicate_similarity": row.similarity,
        }
        if row.minhash is None:
            links.append(change)
        else:
            hashed.append({**change, "minhash": row.minhash})
    for changes in (links, hashed):
        if changes:
            session.execute(update(articles).where(articles.c.id == bindparam("b_id")), changes)


def _store_keys(session: Session, batch: Sequence[NearDuplicateInput]) -> None:
    """Each article's band rows, rewritten where they differ from the stored ones."""
    signatures = table_of(models.ArticleSignature)
    ids = [entry.article_id for entry in batch]
    stored: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for offset in range(0, len(ids), _CHUNK):
        query = select(signatures.c.article_id, signatures.c.band, signatures.c.bucket).where(
            signatures.c.article_id.in_(ids[offset : offset + _CHUNK])
        )
        for article_id, band, bucket in session.execute(query):
            stored[article_id].add((band, bucket))
    stale = [e for e in batch if stored.get(e.article_id, set()) != set(enumerate(e.buckets))]
    if not stale:
        return
    replaced = [e.article_id for e in stale if e.article_id in stored]
    if replaced:
        session.execute(delete(signatures).where(signatures.c.article_id.in_(replaced)))
    insert_plain(
        session,
        "article_signatures",
        ("article_id", "band", "bucket"),
        [(e.article_id, band, bucket) for e in stale for band, bucket in enumerate(e.buckets)],
    )
