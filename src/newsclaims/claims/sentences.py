"""A quote split into its sentences: each sentence is one claim.

pysbd knows abbreviations (U.S., Dr.), ellipses and numbers; offsets into the
quote are found here, because its own spans misplace repeated sentences.
"""

from __future__ import annotations

import re
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


# Quotes that are one sentence whatever pysbd's rules: letters (Latin scripts), digits,
# spaces and punctuation that never ends a sentence, and at most one final . ! or ? after
# a letter or digit. pysbd splits only at . ! ? (and their CJK forms), at line breaks, at
# list markers (which need "." or ")") and at -' followed by a space and a capital (ruled
# out below), and its placeholder characters are outside this alphabet; so on these it
# returns the quote itself (tests/test_claims.py compares the two on generated quotes).
# Four quotes in five of the bench's and eval's are of this shape, and pysbd was most of
# the matching keys' CPU (0.3 ms a quote).
_LETTER = "A-Za-z0-9\u00c0-\u017f"
_PLAIN = rf"[{_LETTER} ,;:'\u2019%$&/#+=@\-\u2013\u2014]"
_ONE_SENTENCE = re.compile(rf"{_PLAIN}+|[{_LETTER}](?:{_PLAIN}*[{_LETTER}])?[.!?]")


def claim_sentences(quote_text: str) -> list[Span]:
    """Split a quote into its sentences, each with offsets into ``quote_text``.

    Offsets are found by searching forward for each segment, since pysbd's own
    spans misplace repeated sentences. Fragments with no words are dropped; short
    ones are kept, because a short sentence is still a statement.
    """
    if _ONE_SENTENCE.fullmatch(quote_text) and "-'" not in quote_text:
        return _trimmed_span(quote_text, 0, len(quote_text))  # what pysbd would give
    return _segmented(quote_text)


def _segmented(quote_text: str) -> list[Span]:
    """claim_sentences by pysbd."""
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
