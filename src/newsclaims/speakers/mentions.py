"""Reading a noun phrase that may denote a speaker into name, role, title and gender.

News names a speaker once in full (`U.S. Secretary of State John Kerry`) and then
refers back with a surname, a role noun or a pronoun; `parse_mention` splits any
of these into its parts so that the registry can tell who is meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from newsclaims.speakers.lexicon import (
    CONNECTORS,
    DEMONYM_ENDINGS,
    DETERMINERS,
    FEMALE_NAMES,
    HONORIFIC_GENDER,
    HONORIFICS,
    MALE_NAMES,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    ORG_WORDS,
    OTHER_PRONOUNS,
    PLACE_WORDS,
    PRONOUN_GENDER,
    RANK_TITLES,
    ROLE_GENDER,
    ROLE_HEADS,
    SUBJECT_PRONOUNS,
    Gender,
)
from newsclaims.speakers.words import (
    bare,
    is_capitalised,
    is_name_word,
    is_org_word,
    is_possessive,
    is_role_noun,
)

MentionKind = Literal["name", "role", "pronoun", "other"]


@dataclass(frozen=True)
class Mention:
    """A noun phrase that may denote a speaker, split into its parts."""

    kind: MentionKind
    text: str
    name: str | None = None
    role: str | None = None
    title: str | None = None
    gender: Gender | None = None
    definite: bool = True
    origin: str | None = None


def is_personal(mention: Mention | None) -> bool:
    """A mention that can denote a person (a name, a role noun or he/she)."""
    return mention is not None and mention.kind in ("name", "role", "pronoun")


def _split_name(words: Sequence[str]) -> int:
    """Index where the trailing person-name run of an NP starts (len(words) if none)."""
    start = len(words)
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        low = bare(word)
        if low in NAME_SUFFIXES and i == len(words) - 1:
            continue
        if low in NAME_PARTICLES and start < len(words):
            start = i
            continue
        if is_name_word(word) and low not in PLACE_WORDS and not is_possessive(word):
            start = i
            continue
        break
    while start < len(words) and bare(words[start]) in NAME_PARTICLES:
        start += 1
    return start


def _gender_of(first: str, titles: Sequence[str], roles: Sequence[str]) -> Gender | None:
    for word in titles:
        if bare(word) in HONORIFIC_GENDER:
            return HONORIFIC_GENDER[bare(word)]
    for word in roles:
        if bare(word) in ROLE_GENDER:
            return ROLE_GENDER[bare(word)]
    low = bare(first)
    if low in MALE_NAMES:
        return "m"
    if low in FEMALE_NAMES:
        return "f"
    return None


def _origin(words: Sequence[str]) -> str | None:
    """`Ethiopia's`, `Kenyan`, `the Italian`: where a person is from, as written."""
    for word in words:
        low = bare(word)
        place = low in PLACE_WORDS or low.endswith(DEMONYM_ENDINGS)
        if is_capitalised(word) and place and low not in ORG_WORDS and low not in ROLE_HEADS:
            return low
    return None


def parse_mention(words: Sequence[str], lowered_first: bool = False) -> Mention | None:
    """Read a speaker noun phrase such as `Pentagon spokesman Rear Admiral John Kirby`.

    `lowered_first` says the first word is only capitalised because it opens the
    sentence (`Songwriter Denise Carver`), so it cannot be part of a name.
    """
    words = [w for w in words if w]
    if not words:
        return None
    text = " ".join(words)
    shown = list(words)
    if lowered_first:
        words = [words[0].lower(), *words[1:]]
    first = bare(words[0])
    if len(words) == 1 and first in SUBJECT_PRONOUNS:
        return Mention("pronoun", text, gender=PRONOUN_GENDER[first])
    if len(words) == 1 and first in OTHER_PRONOUNS:
        return Mention("other", text)
    body = list(words)
    determiner = None
    if bare(body[0]) in DETERMINERS:
        determiner = bare(body[0])
        body = body[1:]
        shown = shown[1:]
    if not body:
        return Mention("other", text)
    name_start = _split_name(body)
    if 0 < name_start < len(body) and bare(body[name_start - 1]) in CONNECTORS:
        name_start = len(body)
    name_words = body[name_start:]
    head = body[:name_start]
    title_start = len(head)
    while title_start > 0 and bare(head[title_start - 1]) in RANK_TITLES:
        title_start -= 1
    titles = head[title_start:]
    role_words = head[:title_start]
    has_role = any(is_role_noun(w) for w in role_words)
    role = " ".join(shown[:title_start]) if has_role else None
    if role is None and titles and not all(bare(t) in HONORIFICS for t in titles):
        role = " ".join(shown[len(role_words) : name_start])
    title = " ".join(titles) or None
    origin = _origin(role_words)
    if name_words and not any(is_org_word(w) for w in name_words):
        gender = _gender_of(name_words[0], titles, role_words)
        definite = determiner not in {"a", "an"}
        name = " ".join(name_words)
        return Mention("name", text, name, role, title, gender, definite, origin)
    if has_role and not name_words:
        gender = _gender_of("", titles, role_words)
        definite = determiner not in {"a", "an", "one"}
        definite = definite and (determiner is not None or is_capitalised(body[0]))
        return Mention("role", text, None, role, title, gender, definite, origin)
    if determiner == "the" and len(body) == 1 and origin is not None:
        return Mention("role", text, None, None, None, None, True, origin)
    return Mention("other", text)
