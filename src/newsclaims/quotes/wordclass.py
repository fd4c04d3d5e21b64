"""What the passes ask of a word, answered once per distinct word as a set of bits.

Cue, name, noun-phrase and pronoun tests used to run on every token, each
lower-casing and looking the word up again; news repeats its words, so the
answers are computed once per word (memoised, bounded) when the tokeniser makes
the token, and each later test is one bit operation on `Token.flags`.
"""

from __future__ import annotations

from newsclaims.quotes.cues import CUES
from newsclaims.speakers.lexicon import (
    CONNECTORS,
    DETERMINERS,
    NON_NAME_WORDS,
    PRONOUN_GENDER,
    SUBJECT_PRONOUNS,
    read_words,
)
from newsclaims.speakers.memo import word_memo
from newsclaims.speakers.organisations import ORG_GENERIC, ORG_HEADS, SOURCE_HEADS
from newsclaims.speakers.words import (
    bare,
    bare_uncached,
    is_capitalised,
    is_np_word,
    is_role_noun,
    is_role_word,
)

FUNCTION_WORDS = (
    NON_NAME_WORDS | frozenset(CUES) | read_words("newsclaims.quotes", "function_words.txt")
)
"""Words that end a noun phrase: no name, role or modifier is one of them."""
REFERENCE_HEADS = ORG_HEADS | ORG_GENERIC | SOURCE_HEADS
"""Lower-case heads of `the ministry`, `the statement`, `military sources`."""

# Bits any token may carry (read off `bare(text)`, quotes and punctuation included).
DETERMINER = 1 << 0
CONNECTOR = 1 << 1
THE = 1 << 2
SUBJECT_PRONOUN = 1 << 3

# Bits only word tokens carry.
WORD = 1 << 4
NP_WORD = 1 << 5
"""`speakers.words.is_np_word`."""
LOWER_INITIAL = 1 << 6
"""The first character is lower case."""
CAPITAL = 1 << 7
"""Not all lower case: names and organisations hold one."""
PRONOUN = 1 << 8
"""A gendered pronoun (`he`, `her`): tells a person's gender."""
CUE_FORM = 1 << 9
"""A cue form in any case, or `according`/`put`: `cues.is_cue` decides."""
ROLE_GOES_ON = 1 << 10
ROLE_ENDS = 1 << 11
ROLE_GOES_ON_LOWERED = 1 << 12
ROLE_ENDS_LOWERED = 1 << 13
"""`phrases._leads_to_role`: may a run of modifiers go on through this word, and does it
end in a role here; `_LOWERED` asks it of the word in lower case (a sentence's first)."""
UPPER_INITIAL = 1 << 14
"""The first character is a capital (`speakers.words.is_capitalised`)."""
LONG_WORD = 1 << 15
"""Longer than three characters: the words a Title Case test counts."""


def _any_token_bits(low: str) -> int:
    bits = 0
    if low in DETERMINERS:
        bits |= DETERMINER
    if low in CONNECTORS:
        bits |= CONNECTOR
    if low == "the":
        bits |= THE
    if low in SUBJECT_PRONOUNS:
        bits |= SUBJECT_PRONOUN
    return bits


def _role_bits(text: str, goes_on: int, ends: int) -> int:
    if not text.islower() or bare(text) in FUNCTION_WORDS:
        return 0
    if is_role_noun(text) or is_role_word(text) or bare(text) in REFERENCE_HEADS:
        return goes_on | ends
    return goes_on


@word_memo(1 << 16)
def word_flags(word: str) -> int:
    """Every bit of a word token."""
    bits = WORD | _any_token_bits(bare(word))
    if is_np_word(word):
        bits |= NP_WORD
    if word[:1].islower():
        bits |= LOWER_INITIAL
    if is_capitalised(word):
        bits |= UPPER_INITIAL
    if len(word) > 3:
        bits |= LONG_WORD
    if not word.islower():
        bits |= CAPITAL
    if bare(word) in PRONOUN_GENDER:
        bits |= PRONOUN
    low = word.casefold()
    if low in CUES or low in ("according", "put"):
        bits |= CUE_FORM
    bits |= _role_bits(word, ROLE_GOES_ON, ROLE_ENDS)
    bits |= _role_bits(word.lower(), ROLE_GOES_ON_LOWERED, ROLE_ENDS_LOWERED)
    return bits


@word_memo(1 << 10)
def mark_flags(mark: str) -> int:
    """The bits of a punctuation token."""
    return _any_token_bits(bare(mark))


def quote_flags(quote: str) -> int:
    """The bits of a quote token (rules read `bare(token.text)` of any token); not
    memoised, as quotes seldom repeat."""
    return _any_token_bits(bare_uncached(quote))
