"""How an outlet's wording of a claim differs from the canonical one, word by word.

Words are compared after quote and case folding, so `Daesh’s` equals `Daesh's`
and a trailing comma is no edit, while each side's own words are reported.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from newsclaims.text import normalize

_WORD = re.compile(r"[^\s\u2026]+")
_WORD_ELLIPSIS = re.compile(r"\.{3,}")


@dataclass(frozen=True)
class Edit:
    """One word-level difference between a claim's canonical wording and an outlet's."""

    position: int
    operation: Literal["replace", "insert", "delete"]
    canonical_words: str
    outlet_words: str


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
