"""A quote split into its sentences: each sentence is one claim.

pysbd knows abbreviations (U.S., Dr.), ellipses and numbers; offsets into the
quote are found here, because its own spans misplace repeated sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pysbd

from newsclaims.claims.forms import match_form


@dataclass(frozen=True)
class Span:
    """A sentence of a quote: its text and its offsets into the quote text."""

    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    """Building a segmenter is slow, and it keeps no state between texts."""
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
