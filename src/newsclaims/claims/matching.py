"""When two sentences are one statement: LSH candidates, then word-level similarity.

Candidates come from MinHash LSH over a matching form's set of words (blocked
by speaker by the caller), and a word-level Indel similarity decides, with
negation words required to agree. See docs/claims.md for the thresholds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from rapidfuzz.distance import Indel

from newsclaims.similarity.minhash import MinHasher, shingle_hashes, token_hashes

MATCH_THRESHOLD = 0.85
"""Minimum word-level Indel similarity for two sentences to be one statement.

One changed word in a sentence of 7+ words, one inserted word in 3+ words, or two
changed words in 14+ words pass; a sentence holding under ~74% of another's words
(a clause quoted on its own) does not.
"""

CLAIM_HASHER = MinHasher(bands=20, rows=5, seed=0xC1A1)
"""LSH over word sets: a pair at word-Jaccard 0.74 (about the lowest that can pass
the threshold) becomes a candidate with probability 0.993; one at 0.2 with 0.006."""

NEGATIONS = frozenset(
    {"not", "no", "never", "nothing", "none", "nobody", "nowhere", "neither", "nor", "without"}
)


def _word_set_hashes(match_text: str) -> np.ndarray:
    return shingle_hashes(token_hashes(match_text.split()), 1)


def claim_band_keys(match_text: str) -> list[tuple[int, int]]:
    """LSH ``(band, bucket)`` keys of a matching form, over its set of words."""
    signature = CLAIM_HASHER.signature(_word_set_hashes(match_text))
    return CLAIM_HASHER.band_keys(signature)


def claim_band_buckets(match_texts: Sequence[str]) -> np.ndarray:
    """Bucket matrix (n, bands) for many non-empty matching forms at once (bulk loads)."""
    shingle_sets = [_word_set_hashes(text) for text in match_texts]
    return CLAIM_HASHER.band_buckets(CLAIM_HASHER.signatures(shingle_sets))


def _polarity(words: Sequence[str]) -> list[str]:
    """The negation words, sorted: equal lists mean equal counts of each."""
    return sorted(w for w in words if w in NEGATIONS)


def claim_similarity(a: Sequence[str], b: Sequence[str], cutoff: float = 0.0) -> float:
    """Word-level Indel similarity of two matching forms' words; 0 if polarity differs.

    A sentence and its negation are different statements however close their words,
    so the negation words must agree. Below ``cutoff`` the result is 0.
    """
    if _polarity(a) != _polarity(b):
        return 0.0
    return Indel.normalized_similarity(a, b, score_cutoff=cutoff)


def best_match(
    match_text: str, candidates: Iterable[tuple[int, str]], threshold: float = MATCH_THRESHOLD
) -> tuple[int, float] | None:
    """The candidate ``(claim_id, similarity)`` most similar to ``match_text``, if any passes.

    Same result as ``claim_similarity`` per candidate, cheapest test first, since a
    busy speaker's false candidates are checked on every lookup. Ties go to the
    lower (older) claim id, so results do not depend on candidate order.
    """
    words = match_text.split()
    polarity = _polarity(words)
    best: tuple[int, float] | None = None
    for claim_id, candidate_text in candidates:
        candidate = candidate_text.split()
        score = Indel.normalized_similarity(words, candidate, score_cutoff=threshold)
        if not score or _polarity(candidate) != polarity:
            continue
        if best is None or score > best[1] or (score == best[1] and claim_id < best[0]):
            best = (claim_id, score)
    return best
