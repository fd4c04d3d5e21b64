"""MinHash and LSH banding shared by claim matching and article near-duplicate detection.

Signatures and band keys end up in database columns, so every hash here is stable
across processes, platforms and Python versions: words are hashed with BLAKE2b
(not ``hash()``, which is salted per process) and the permutations are fixed
multiply-add functions over unsigned 64-bit integers, computed with numpy so a
signature costs a handful of vector operations instead of a Python loop.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

MASK64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_ROW_WEIGHT = 0x9FB21C651E98DF25
_SHINGLE_MULTIPLIER = np.uint64(0x100000001B3)


@lru_cache(maxsize=1 << 18)
def stable_hash64(token: str) -> int:
    """A process-independent 64-bit hash of a token (cached: vocabularies repeat)."""
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


def _mix64(values: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: spreads every input bit over the whole word."""
    values = values ^ (values >> np.uint64(30))
    values = values * _MIX1
    values = values ^ (values >> np.uint64(27))
    values = values * _MIX2
    return values ^ (values >> np.uint64(31))


def token_hashes(tokens: Sequence[str]) -> np.ndarray:
    """Stable hashes of the tokens, in order, as a uint64 array."""
    return np.fromiter((stable_hash64(t) for t in tokens), dtype=np.uint64, count=len(tokens))


def shingle_hashes(hashes: np.ndarray, width: int) -> np.ndarray:
    """Hashes of every run of ``width`` consecutive tokens (one run if the text is shorter).

    Built from the token hashes with vector arithmetic, so long articles need no
    per-shingle Python work. Duplicate shingles are harmless for MinHash.
    """
    if len(hashes) == 0:
        return hashes
    width = min(width, len(hashes))
    count = len(hashes) - width + 1
    combined = hashes[:count].copy()
    for offset in range(1, width):
        combined = combined * _SHINGLE_MULTIPLIER + hashes[offset : offset + count]
    return _mix64(combined)


def _splitmix_sequence(seed: int, count: int) -> list[int]:
    """Deterministic pseudo-random 64-bit integers, independent of numpy's generators."""
    out = []
    state = seed & MASK64
    for _ in range(count):
        state = (state + _GOLDEN) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        out.append(z ^ (z >> 31))
    return out


class MinHasher:
    """A fixed family of ``bands * rows`` hash permutations plus their LSH banding.

    Two texts share a band key with probability ``1 - (1 - J**rows)**bands`` for
    Jaccard similarity J of their shingle sets; callers pick bands and rows so that
    probability is near 1 above their threshold and near 0 for unrelated texts.
    Changing bands, rows or seed changes every stored key: treat them as schema.
    """

    def __init__(self, bands: int, rows: int, seed: int = 1) -> None:
        self.bands = bands
        self.rows = rows
        params = _splitmix_sequence(seed, 2 * self.num_perm + bands)
        self._multipliers = np.array([p | 1 for p in params[: self.num_perm]], dtype=np.uint64)
        self._offsets = np.array(params[self.num_perm : 2 * self.num_perm], dtype=np.uint64)
        self._band_salts = np.array(params[2 * self.num_perm :], dtype=np.uint64)
        weights = [pow(_ROW_WEIGHT, row, 1 << 64) for row in range(rows)]
        self._row_weights = np.array(weights, dtype=np.uint64)

    @property
    def num_perm(self) -> int:
        return self.bands * self.rows

    def signature(self, shingles: np.ndarray) -> np.ndarray:
        """The MinHash signature (uint64 per permutation); all-max for no shingles."""
        if len(shingles) == 0:
            return np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        return self._permuted(shingles).min(axis=0)

    def signatures(self, shingle_sets: Sequence[np.ndarray], chunk: int = 4096) -> np.ndarray:
        """Signatures of many non-empty shingle sets, ``chunk`` sets per vector pass.

        For bulk loads: one pass over thousands of sets costs far less than a call
        per set, and chunking bounds the (shingles x permutations) scratch matrix.
        """
        if any(len(s) == 0 for s in shingle_sets):
            raise ValueError("every shingle set must be non-empty")
        parts = [
            self._chunk_signatures(shingle_sets[i : i + chunk])
            for i in range(0, len(shingle_sets), chunk)
        ]
        return np.concatenate(parts) if parts else np.empty((0, self.num_perm), np.uint64)

    def _chunk_signatures(self, shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
        lengths = np.fromiter((len(s) for s in shingle_sets), dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        permuted = self._permuted(np.concatenate(shingle_sets))
        return np.minimum.reduceat(permuted, starts, axis=0)

    def _permuted(self, shingles: np.ndarray) -> np.ndarray:
        """Every shingle under every permutation, shape (len(shingles), num_perm)."""
        permuted = np.multiply.outer(shingles, self._multipliers)
        permuted += self._offsets
        return permuted

    def band_buckets(self, signatures: np.ndarray) -> np.ndarray:
        """Signed 64-bit bucket per band, for one signature or a (n, num_perm) batch.

        A band's rows are folded into one word (polynomial in an odd constant,
        wrapping) and mixed with a per-band salt: few vector operations, so one
        signature's keys cost microseconds.
        """
        grouped = signatures.reshape(*signatures.shape[:-1], self.bands, self.rows)
        folded = (grouped * self._row_weights).sum(axis=-1, dtype=np.uint64)
        return _mix64(folded ^ self._band_salts).view(np.int64)

    def band_keys(self, signature: np.ndarray) -> list[tuple[int, int]]:
        """``(band, bucket)`` pairs of one signature, ready for an index lookup."""
        return list(enumerate(self.band_buckets(signature).tolist()))


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of agreeing permutations: an unbiased estimate of the Jaccard similarity."""
    if a.shape != b.shape:
        raise ValueError("signatures from different MinHashers cannot be compared")
    return float(np.count_nonzero(a == b)) / len(a)


def estimated_jaccards(a: np.ndarray, others: np.ndarray) -> list[float]:
    """``estimated_jaccard(a, row)`` for each row of the 2-D ``others``, in one vector pass.

    Why: the write compares an article with every stored article sharing a band key with
    it, hundreds where a story's quotes run in many outlets; a call per pair cost more than
    the comparisons themselves.
    """
    if others.ndim != 2 or others.shape[1:] != a.shape:
        raise ValueError("signatures from different MinHashers cannot be compared")
    return (np.count_nonzero(others == a, axis=1) / len(a)).tolist()
