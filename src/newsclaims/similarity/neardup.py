"""Near-duplicate articles: the same wire story republished with other furniture.

Pure logic: an article's words (normalised, punctuation dropped, paragraph
breaks ignored so re-paragraphing changes nothing) are cut into overlapping
5-word shingles; MinHash estimates the Jaccard similarity of two shingle sets
and LSH bands turn "which stored articles might be similar" into index lookups.

Thresholds (docs/claims.md): a copy of a seed with a changed headline and its
last long paragraph trimmed keeps Jaccard 0.83-0.94; two different seed articles
on the same story, quoting the same sentences, share at most 0.06. The threshold
sits at 0.5, between the two, and the banding makes 0.5 a candidate with
probability 0.995 while a 0.06 pair collides with probability 0.009.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsclaims.similarity.minhash import MinHasher, estimated_jaccard, shingle_hashes, token_hashes
from newsclaims.text import normalize

NEAR_DUPLICATE_THRESHOLD = 0.5
CANDIDATES_PER_BUCKET = 50
"""Per LSH bucket, the most recently stored articles an article is compared with.

A bucket fills with articles that are not copies of each other where their texts share
common shingles (a story's recurring quotes, an outlet's sign-off): on 12,000 bench articles
the largest held 3,201, and reading every member made each article's linking cost grow with
all that was stored before it. Copies of one story share most of their 40 bands, so a copy
older than a bucket's newest 50 is still found through its other bands, and in a group larger
than that the newest members lead to the group's original (``storage.syndication``). The
older rows of a full bucket are dropped: no lookup would return them."""
SHINGLE_WORDS = 5
ARTICLE_HASHER = MinHasher(bands=40, rows=3, seed=0xA271)

_NON_WORD = re.compile(r"[^\w\s]|_")


@dataclass(frozen=True, eq=False)
class Signature:
    """An article's MinHash values and how many shingles they summarise (0: no text)."""

    values: np.ndarray
    shingle_count: int


def article_words(paragraphs: Sequence[str]) -> list[str]:
    """The article's words in order, compared the way every stage compares text."""
    words: list[str] = []
    for paragraph in paragraphs:
        words.extend(_NON_WORD.sub(" ", normalize(paragraph).replace("'", "")).split())
    return words


def article_signature(paragraphs: Sequence[str]) -> Signature:
    """MinHash over 5-word shingles of the whole text, across paragraph breaks."""
    shingles = shingle_hashes(token_hashes(article_words(paragraphs)), SHINGLE_WORDS)
    return Signature(ARTICLE_HASHER.signature(shingles), len(shingles))


def band_keys(signature: Signature) -> list[tuple[int, int]]:
    """``(band, bucket)`` pairs, bucket as signed 64-bit; none for an empty article.

    Empty articles would otherwise all share every bucket.
    """
    if signature.shingle_count == 0:
        return []
    return ARTICLE_HASHER.band_keys(signature.values)


def estimated_similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two articles' shingle sets (0 if one is empty)."""
    if a.shingle_count == 0 or b.shingle_count == 0:
        return 0.0
    return estimated_jaccard(a.values, b.values)


def is_near_duplicate(a: Signature, b: Signature) -> bool:
    return estimated_similarity(a, b) >= NEAR_DUPLICATE_THRESHOLD


_STORED_DTYPE = np.dtype("<u8")
"""``articles.minhash`` byte layout: the uint64 values, little-endian on every platform."""


def minhash_bytes(signature: Signature) -> bytes:
    """The signature as stored; empty for an article without words (nothing to compare)."""
    if signature.shingle_count == 0:
        return b""
    return signature.values.astype(_STORED_DTYPE).tobytes()


def minhash_values(stored: bytes) -> np.ndarray:
    """The MinHash values of a stored signature (``minhash_bytes``' inverse)."""
    return np.frombuffer(stored, dtype=_STORED_DTYPE).astype(np.uint64)


def minhash_matrix(stored: Sequence[bytes]) -> np.ndarray:
    """Many stored signatures as one (n, permutations) matrix, in one conversion."""
    if len({len(blob) for blob in stored}) > 1:
        raise ValueError("signatures from different MinHashers cannot be compared")
    values = np.frombuffer(b"".join(stored), dtype=_STORED_DTYPE).astype(np.uint64)
    return values.reshape(len(stored), -1)
