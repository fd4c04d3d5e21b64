"""Repeated paragraphs within one article: keep the first, drop exact and near-exact repeats.

Some CMSs print a paragraph or a caption twice; analysts should see it once.

Linear in the number of paragraphs: an exact repeat is a set lookup, and a near-exact
one is only compared with the few kept paragraphs that share the most words with it and
have a compatible length (comparing each paragraph with every earlier one took 108 s on
a page of 11,017 paragraphs). A word seen in more than ``_POSTING_CAP`` kept paragraphs
stops collecting them: it is too common to tell paragraphs apart.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz

from newsclaims.records import Paragraph
from newsclaims.text import normalize

# Ratio (0-100) above which two paragraphs of one article are the same paragraph.
NEAR_REPEAT_RATIO = 95.0
_POSTING_CAP = 32  # kept paragraphs remembered per word
_CANDIDATES = 8  # kept paragraphs compared with each new one, most shared words first
# ratio = 100 * (1 - indel / (a + b)) with indel >= b - a: a ratio of r needs
# a / b >= r / (200 - r), the shorter at least ~90.5% of the longer.
_MIN_LENGTH_RATIO = NEAR_REPEAT_RATIO / (200 - NEAR_REPEAT_RATIO)


def drop_repeated_paragraphs(paragraphs: Sequence[Paragraph]) -> tuple[list[Paragraph], int]:
    """Return the kept paragraphs (renumbered in order) and how many were dropped."""
    kept: list[Paragraph] = []
    seen_exact: set[str] = set()
    forms: list[str] = []
    lengths: list[int] = []  # of the kept forms, sorted
    postings: dict[str, list[int]] = {}
    for paragraph in paragraphs:
        form = normalize(paragraph.text)
        if form in seen_exact:
            continue
        words = set(form.split())
        if _has_compatible_length(len(form), lengths) and _near_repeat(
            form, words, forms, postings
        ):
            continue
        seen_exact.add(form)
        index = len(forms)
        for word in words:
            posting = postings.get(word)
            if posting is None:
                postings[word] = [index]
            elif len(posting) < _POSTING_CAP:
                posting.append(index)
        forms.append(form)
        insort(lengths, len(form))
        position = len(kept)
        kept.append(
            paragraph
            if paragraph.position == position
            else paragraph.model_copy(update={"position": position})
        )
    return kept, len(paragraphs) - len(kept)


def _has_compatible_length(length: int, lengths: list[int]) -> bool:
    """Whether any kept form is long enough and short enough to be a near repeat.

    Many have none (a third on the bench corpus), and then the candidate count is not needed: the
    answer is the same (no near repeat), found by bisection.
    """
    low = bisect_left(lengths, int(length * _MIN_LENGTH_RATIO))
    high = bisect_right(lengths, int(length / _MIN_LENGTH_RATIO) + 1)
    return any(
        min(length, other) >= max(length, other) * _MIN_LENGTH_RATIO for other in lengths[low:high]
    )


def _near_repeat(
    form: str, words: set[str], forms: list[str], postings: dict[str, list[int]]
) -> bool:
    # One Counter over all the postings, not one update per word: the same counts and
    # order (first occurrence breaks ties), a fifth of the cost.
    shared = Counter([index for word in words for index in postings.get(word, ())])
    for index, _count in shared.most_common(_CANDIDATES):
        other = forms[index]
        short, long = sorted((len(form), len(other)))
        if short < long * _MIN_LENGTH_RATIO:
            continue
        if fuzz.ratio(form, other, score_cutoff=NEAR_REPEAT_RATIO):
            return True
    return False
