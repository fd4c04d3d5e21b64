"""Repeated paragraphs within one article: keep the first, drop exact and near-exact repeats.

Some CMSs print a paragraph or a caption twice; analysts should see it once.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from newsclaims.records import Paragraph
from newsclaims.text import normalize

# Ratio (0-100) above which two paragraphs of one article are the same paragraph.
NEAR_REPEAT_RATIO = 95.0


def drop_repeated_paragraphs(paragraphs: Sequence[Paragraph]) -> tuple[list[Paragraph], int]:
    """Return the kept paragraphs (renumbered in order) and how many were dropped."""
    kept: list[Paragraph] = []
    seen_exact: set[str] = set()
    seen: list[str] = []
    for paragraph in paragraphs:
        form = normalize(paragraph.text)
        if form in seen_exact or any(
            fuzz.ratio(form, other, score_cutoff=NEAR_REPEAT_RATIO) for other in seen
        ):
            continue
        seen_exact.add(form)
        seen.append(form)
        kept.append(Paragraph(position=len(kept), text=paragraph.text))
    return kept, len(paragraphs) - len(kept)
