"""The parts of a person's name and the gender its first name suggests, from PyPI data.

`nameparser` knows titles (`Rep.`, `Commissioner`, `Rev.`), suffixes (`Jr.`, `II`)
and particles (`Abu`, `van`) far better than a hand list, and `gender-guesser`
carries a first-name dictionary of some 40,000 names; both are pure data, no model.
"""

from __future__ import annotations

from collections.abc import Sequence

import gender_guesser.detector as gender_detector  # type: ignore[import-untyped]
from nameparser.config import CONSTANTS

from newsclaims.speakers.lexicon import Gender, read_words
from newsclaims.speakers.memo import word_memo

PARTY_LABELS = read_words("newsclaims.speakers", "party_labels.txt")
_TITLES = frozenset(t.casefold().strip(".") for t in CONSTANTS.titles) | read_words(
    "newsclaims.speakers", "rank_titles.txt"
)
"""nameparser's titles, with the short and plural forms news uses (`Del.`, `Sens.`)."""
_SUFFIXES = frozenset(
    s.casefold().strip(".") for s in (*CONSTANTS.suffix_acronyms, *CONSTANTS.suffix_not_acronyms)
)
_PREFIXES = frozenset(p.casefold() for p in CONSTANTS.prefixes)
_DETECTOR = gender_detector.Detector(case_sensitive=False)
_GENDERS: dict[str, Gender] = {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}


def _key(word: str) -> str:
    return word.casefold().strip(".,'’")


def is_name_title(word: str) -> bool:
    """`Rep.`, `Del.`, `Commissioner`, `Rev.`: a title written before a name."""
    return _key(word) in _TITLES


def is_party_label(word: str) -> bool:
    """`Democrat`, `Republican`: a party label written before a name."""
    return _key(word) in PARTY_LABELS


def is_name_suffix(word: str) -> bool:
    """`Jr.`, `Sr.`, `II`, `III`: ends a name but is not its surname."""
    return _key(word) in {"jr", "sr", "ii", "iii", "iv", "v", "kc", "qc", "esq", "phd"} or (
        word.isupper() and _key(word) in _SUFFIXES and len(word) <= 4
    )


def is_name_prefix(word: str) -> bool:
    """`Abu`, `Abdel`, `Van`, `al-`: a particle that belongs to the name after it."""
    low = _key(word)
    return low in _PREFIXES or low in {"abdel", "abdul", "abd", "abu", "umm", "bin", "ibn"}


@word_memo(1 << 14)
def first_name_gender(first: str) -> Gender | None:
    """The gender a first name usually has (`Melanie` f, `Sergei` m), None when unsure."""
    if len(first) < 2 or not first[0].isalpha():
        return None
    return _GENDERS.get(_DETECTOR.get_gender(first.strip(".")))


@word_memo(1 << 14)
def is_known_first_name(first: str) -> bool:
    """A word the first-name dictionary knows (`Anthony`, `Jim`): the name is a person's."""
    if len(first) < 2 or not first[0].isupper():
        return False
    return _DETECTOR.get_gender(first.strip(".")) != "unknown"


def strip_name_labels(words: Sequence[str]) -> int:
    """How many leading words are titles or party labels (`Representative`, `Democrat`)."""
    k = 0
    while k < len(words) - 1 and (is_name_title(words[k]) or is_party_label(words[k])):
        k += 1
    return k


def surname_start(words: Sequence[str]) -> int:
    """Where a full name's surname starts: `Omar Abdel Karim` → `Abdel Karim`."""
    end = len(words)
    while end > 1 and is_name_suffix(words[end - 1]):
        end -= 1
    start = end - 1
    while start > 1 and is_name_prefix(words[start - 1]):
        start -= 1
    return max(start, 0)
