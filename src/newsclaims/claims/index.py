"""The in-memory claim index: the reference semantics of claim matching.

``storage.claims`` does the same through the database; the benchmark measures
this one. A lookup touches only the buckets of the sentence's own band keys, so
its cost depends on how many near claims the speaker has, not on how many are
stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsclaims.claims.forms import match_form
from newsclaims.claims.matching import (
    CLAIM_HASHER,
    MATCH_THRESHOLD,
    best_match,
    claim_band_buckets,
    claim_band_keys,
)


class ClaimIndex:
    """In-memory claims of many speakers with an LSH index per speaker."""

    def __init__(self, threshold: float = MATCH_THRESHOLD) -> None:
        self.threshold = threshold
        self._speakers: list[str] = []
        self._canonical: list[str] = []
        self._match_texts: list[str] = []
        self._buckets: dict[str, list[dict[int, int | list[int]]]] = {}

    def __len__(self) -> int:
        return len(self._canonical)

    def add_or_match(self, speaker: str, sentence: str) -> tuple[int, float, bool]:
        """Attach ``sentence`` to the speaker's matching claim or make it a new one.

        Returns ``(claim_id, similarity, is_new)``; a new claim has similarity 1.
        The first wording seen becomes the canonical one.
        """
        form = match_form(sentence)
        if not form:
            raise ValueError(f"no words to match in {sentence!r}")
        keys = claim_band_keys(form)
        candidates = self.candidates(speaker, keys)
        match = best_match(form, ((c, self._match_texts[c]) for c in candidates), self.threshold)
        if match is not None:
            return match[0], match[1], False
        claim_id = self._store(speaker, sentence, form)
        self._index(speaker, claim_id, [bucket for _, bucket in keys])
        return claim_id, 1.0, True

    def extend(self, speaker: str, sentences: Sequence[str]) -> list[int]:
        """Add sentences known to be distinct claims without matching (bulk loads).

        Signatures are computed in one vector pass, which is what makes loading a
        million claims affordable.
        """
        forms = [match_form(s) for s in sentences]
        if not all(forms):
            raise ValueError("every sentence needs words to match")
        buckets = claim_band_buckets(forms).tolist()
        ids = []
        for sentence, form, row in zip(sentences, forms, buckets, strict=True):
            claim_id = self._store(speaker, sentence, form)
            self._index(speaker, claim_id, row)
            ids.append(claim_id)
        return ids

    def candidates(self, speaker: str, keys: Sequence[tuple[int, int]]) -> set[int]:
        """Claim ids of the speaker sharing at least one band key."""
        tables = self._buckets.get(speaker)
        found: set[int] = set()
        if tables is None:
            return found
        for band, bucket in keys:
            hit = tables[band].get(bucket)
            if hit is None:
                continue
            if isinstance(hit, int):
                found.add(hit)
            else:
                found.update(hit)
        return found

    def canonical(self, claim_id: int) -> str:
        """The claim's canonical wording (its first mention's)."""
        return self._canonical[claim_id]

    def speaker(self, claim_id: int) -> str:
        return self._speakers[claim_id]

    def _store(self, speaker: str, sentence: str, form: str) -> int:
        self._speakers.append(speaker)
        self._canonical.append(sentence)
        self._match_texts.append(form)
        return len(self._canonical) - 1

    def _index(self, speaker: str, claim_id: int, buckets: Sequence[int]) -> None:
        """Bucket entries hold a bare id until a second claim collides (saves memory)."""
        tables = self._buckets.get(speaker)
        if tables is None:
            tables = self._buckets[speaker] = [{} for _ in range(CLAIM_HASHER.bands)]
        for table, bucket in zip(tables, buckets, strict=True):
            hit = table.get(bucket)
            if hit is None:
                table[bucket] = claim_id
            elif isinstance(hit, int):
                table[bucket] = [hit, claim_id]
            else:
                hit.append(claim_id)
