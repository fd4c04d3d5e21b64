"""Claims: one statement (sentence) by one speaker, however many outlets quoted it.

Pure logic, no database: quotes are split into sentences, each sentence gets a
matching form that erases what outlets change without changing the statement
(case, quote marks, contractions, bracketed insertions, ellipses, punctuation),
candidates come from MinHash LSH over the matching form's words blocked by
speaker, and a word-level edit similarity decides. ``ClaimIndex`` is the
in-memory reference of those semantics; ``claimstore`` does the same through
the database. See docs/claims.md for the thresholds and why.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import pysbd
from rapidfuzz.distance import Indel

from newsclaims.similarity.minhash import MinHasher, shingle_hashes, token_hashes
from newsclaims.text import normalize

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

_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_ELLIPSIS = re.compile(r"\.(?:\s*\.){2,}")
_INITIALISM = re.compile(r"\b(?:\w\.){2,}")
_DIGIT_GROUP = re.compile(r"(?<=\d),(?=\d{3}\b)")
_PUNCTUATION = re.compile(r"(?!(?<=\d)\.(?=\d))[^\w\s]|_")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_WHOLE_CONTRACTIONS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "ain't": "is not",
    "let's": "let us",
}
_IS_CONTRACTIONS = frozenset(
    {"it", "that", "there", "here", "what", "who", "where", "how", "he", "she", "this"}
)
_SUFFIX_CONTRACTIONS = (
    ("n't", " not"),
    ("'re", " are"),
    ("'ve", " have"),
    ("'ll", " will"),
    ("'m", " am"),
    ("'d", " would"),
)
_CONTRACTION = re.compile(r"\b\w+'\w+\b|\bcannot\b")
_WORD = re.compile(r"[^\s\u2026]+")
_WORD_ELLIPSIS = re.compile(r"\.{3,}")


@dataclass(frozen=True)
class Span:
    """A sentence of a quote: its text and its offsets into the quote text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Edit:
    """One word-level difference between a claim's canonical wording and an outlet's."""

    position: int
    operation: Literal["replace", "insert", "delete"]
    canonical_words: str
    outlet_words: str


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    """pysbd knows abbreviations (U.S., Dr.), ellipses and numbers; building it is slow."""
    return pysbd.Segmenter(language="en", clean=False)


def claim_sentences(quote_text: str) -> list[Span]:
    """Split a quote into its sentences, each with offsets into ``quote_text``.

    Offsets are found by searching forward for each segment, since pysbd's own
    spans misplace repeated sentences. Fragments with no words are dropped; short
    ones are kept, because a short sentence is still a statement.
    """
    spans: list[Span] = []
    cursor = 0
    for segment in _segmenter().segment(quote_text):
        piece = segment.strip()
        if not piece:
            continue
        start = quote_text.find(piece, cursor)
        if start < 0:
            spans.extend(_trimmed_span(quote_text, cursor, len(quote_text)))
            break
        cursor = start + len(piece)
        spans.extend(_trimmed_span(quote_text, start, cursor))
    return spans


def _trimmed_span(text: str, start: int, end: int) -> list[Span]:
    """The span without surrounding whitespace, or nothing if it holds no words.

    Used as-is for the rest of a quote pysbd altered, rather than misplacing it.
    """
    piece = text[start:end]
    stripped = piece.strip()
    if not match_form(stripped):
        return []
    start += len(piece) - len(piece.lstrip())
    return [Span(stripped, start, start + len(stripped))]


def _expand_contraction(word: str) -> str:
    """``we're`` → ``we are``; possessive ``'s`` is left for the apostrophe rule."""
    if word in _WHOLE_CONTRACTIONS:
        return _WHOLE_CONTRACTIONS[word]
    stem, _, suffix = word.rpartition("'")
    if suffix == "s" and stem in _IS_CONTRACTIONS:
        return f"{stem} is"
    for ending, expansion in _SUFFIX_CONTRACTIONS:
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)] + expansion
    return word


def match_form(sentence: str) -> str:
    """The form sentences are matched on: what outlets vary without changing the statement.

    Bracketed and parenthetical insertions are editorial (``[Arab term for Islamic
    State]``, ``(Syria)``), so they go before ``normalize`` strips edge brackets.
    """
    text = normalize(_BRACKETED.sub(" ", sentence))
    text = _ELLIPSIS.sub(" ", text)
    text = _INITIALISM.sub(lambda m: m.group().replace(".", ""), text)
    text = _CONTRACTION.sub(lambda m: _expand_contraction(m.group()), text)
    text = _DIGIT_GROUP.sub("", text)
    text = _APOSTROPHE.sub("", text)
    text = _PUNCTUATION.sub(" ", text)
    return " ".join(text.split())


def claim_band_keys(match_text: str) -> list[tuple[int, int]]:
    """LSH ``(band, bucket)`` keys of a matching form, over its set of words."""
    words = match_text.split()
    signature = CLAIM_HASHER.signature(shingle_hashes(token_hashes(words), 1))
    return CLAIM_HASHER.band_keys(signature)


def claim_band_buckets(match_texts: Sequence[str]) -> np.ndarray:
    """Bucket matrix (n, bands) for many non-empty matching forms at once (bulk loads)."""
    shingle_sets = [shingle_hashes(token_hashes(text.split()), 1) for text in match_texts]
    return CLAIM_HASHER.band_buckets(CLAIM_HASHER.signatures(shingle_sets))


def _polarity(words: Sequence[str]) -> Counter[str]:
    return Counter(w for w in words if w in NEGATIONS)


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


def _words(text: str) -> list[tuple[str, str]]:
    """``(original, comparison key)`` per word; pure punctuation is not a word."""
    words = []
    for match in _WORD.finditer(text):
        for piece in _WORD_ELLIPSIS.split(match.group()):
            key = normalize(piece)
            if key:
                words.append((piece, key))
    return words


def wording_diff(canonical: str, variant: str) -> list[Edit]:
    """Word-level edits turning the canonical wording into an outlet's wording.

    Words are compared after quote and case folding (so ``Daesh’s`` equals
    ``Daesh's`` and a trailing comma is no edit); the outlet's own words are kept.
    """
    canonical_words = _words(canonical)
    outlet_words = _words(variant)
    matcher = difflib.SequenceMatcher(
        None, [k for _, k in canonical_words], [k for _, k in outlet_words], autojunk=False
    )
    edits = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            continue
        edits.append(
            Edit(
                position=i1,
                operation=operation,
                canonical_words=" ".join(w for w, _ in canonical_words[i1:i2]),
                outlet_words=" ".join(w for w, _ in outlet_words[j1:j2]),
            )
        )
    return edits


class ClaimIndex:
    """In-memory claims of many speakers with an LSH index per speaker.

    The reference semantics for ``claimstore`` and the subject of the benchmark:
    a lookup touches only the buckets of the sentence's own band keys, so its cost
    depends on how many near claims the speaker has, not on how many are stored.
    """

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
