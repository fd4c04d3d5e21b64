"""Tests on single words: is this token part of a name, a role, a noun phrase?

Word classification is pure and news repeats its words, so the look-ups that
cost more than a set membership are memoised (bounded).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsclaims.speakers.lexicon import (
    AGENTIVE_ENDINGS,
    CONNECTORS,
    DETERMINERS,
    NAME_PARTICLES,
    NON_NAME_WORDS,
    NOT_AGENTIVE,
    ORG_WORDS,
    PLACE_WORDS,
    RANK_TITLES,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    TITLE_HEADS,
)
from newsclaims.speakers.memo import word_memo
from newsclaims.text import fold_quotes

_WORD_CACHE = 1 << 16


def bare_uncached(word: str) -> str:
    """Lower-case a token and drop a possessive and outer dots, for lexicon look-ups."""
    low = fold_quotes(word).casefold()
    if low.endswith("'s"):
        low = low[:-2]
    return low.rstrip(".'")


bare = word_memo(_WORD_CACHE)(bare_uncached)
"""`bare_uncached`, memoised: words repeat (quotes, which seldom do, call the other)."""


def is_capitalised(word: str) -> bool:
    """Written with a capital: a name, a title, or a sentence's first word."""
    return word[:1].isupper()


def is_title_case(words: Sequence[str], share: float = 1.0) -> bool:
    """Whether at least ``share`` of the words are capitalised (true of no words).

    Headlines, titles and nicknames capitalise every word, which makes the
    capitals of names there worth nothing.
    """
    return sum(map(is_capitalised, words)) >= share * len(words)


def is_possessive(word: str) -> bool:
    return word.endswith(("'s", "’s", "s'", "s’"))


@word_memo(_WORD_CACHE)
def is_acronym(word: str) -> bool:
    """All-capital tokens (BBC, ISIS, NATO) name organisations, not people."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and "." not in word


@word_memo(_WORD_CACHE)
def is_role_noun(word: str) -> bool:
    """A job noun: from the list, or a lower-case agent noun (`frontman`, `songwriter`)."""
    low = bare(word)
    if low in ROLE_HEADS:
        return True
    return (
        word.islower()
        and len(low) >= 5
        and low.endswith(AGENTIVE_ENDINGS)
        and low not in NOT_AGENTIVE
        and low.isalpha()
    )


@word_memo(_WORD_CACHE)
def is_role_word(word: str) -> bool:
    """A role head or a word that qualifies one (`Secretary`, `Foreign`, `deputy`)."""
    low = bare(word)
    return low in ROLE_HEADS or low in ROLE_MODIFIERS


def is_particle_joined(word: str) -> bool:
    """`al-Assad`, `bin-Laden`, `el-Sisi`: a lower-case particle joined to a name."""
    head, dash, rest = word.partition("-")
    return bool(dash) and head.casefold() + "-" in NAME_PARTICLES and is_capitalised(rest)


@word_memo(_WORD_CACHE)
def is_name_word(word: str) -> bool:
    """A token that can belong to a person's name: capitalised, not a known non-name."""
    if not word or not word[0].isalpha():
        return False
    low = bare(word)
    if low in NAME_PARTICLES or is_particle_joined(word):
        return True
    if not is_capitalised(word) or is_acronym(word):
        return False
    if low in TITLE_HEADS or low in ROLE_MODIFIERS or low in RANK_TITLES:
        return False
    return low not in NON_NAME_WORDS


@word_memo(_WORD_CACHE)
def is_np_word(word: str) -> bool:
    """A token that may sit inside a speaker noun phrase (name, role, rank, place)."""
    low = bare(word)
    if low in DETERMINERS or low in CONNECTORS:
        return False
    if is_role_word(word) or low in RANK_TITLES or low in NAME_PARTICLES:
        return True
    if is_particle_joined(word):
        return True
    return is_capitalised(word) and word[0].isalpha() and low not in NON_NAME_WORDS


def is_org_word(word: str) -> bool:
    """A word that makes a capitalised phrase an organisation or a place."""
    low = bare(word)
    return low in ORG_WORDS or low in PLACE_WORDS or is_acronym(word)
