"""The word lists the speaker rules read, loaded from plain-text files in ``data/``.

The vocabularies are long and grow with every article that trips the rules, so
they live as one word a line (``#`` starts a comment) where they can be edited
and reviewed without touching code. Small closed grammatical sets stay here.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

Gender = Literal["m", "f"]


def read_lines(package: str, name: str) -> list[str]:
    """The entries of ``package``'s ``data/name`` in file order, comments and blanks dropped."""
    text = resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
    entries = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [entry for entry in entries if entry]


@cache
def read_words(package: str, name: str) -> frozenset[str]:
    """A word list of ``package``'s ``data/`` folder as a set (read once)."""
    return frozenset(read_lines(package, name))


def _words(name: str) -> frozenset[str]:
    return read_words("newsclaims.speakers", name)


ROLE_HEADS = _words("role_heads.txt")
TITLE_HEADS = _words("title_heads.txt")
ROLE_MODIFIERS = _words("role_modifiers.txt")
RANK_TITLES = _words("rank_titles.txt")
HONORIFICS = _words("honorifics.txt")
NAME_PARTICLES = _words("name_particles.txt")
NON_NAME_WORDS = _words("non_name_words.txt")
ORG_WORDS = _words("org_words.txt")
PLACE_WORDS = _words("place_words.txt")
NOT_AGENTIVE = _words("not_agentive.txt")

# Endings of agent nouns (`songwriter`, `campaigner`, `economist`): a job when lower case.
AGENTIVE_ENDINGS = ("er", "or", "ist", "man", "woman", "ian", "ant", "ent", "eer", "ee", "ive")
DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "kan", "yan", "ali", "aqi", "ani")

NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
DETERMINERS = frozenset(
    {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "one"}
)
CONNECTORS = frozenset({"of", "to", "for"})
OTHER_PRONOUNS = frozenset(
    {"i", "we", "you", "they", "it", "who", "which", "that", "this", "these", "those", "one"}
)

# Every gendered pronoun form and the gender it tells (`her semi-final` says she).
PRONOUN_GENDER: dict[str, Gender] = {
    "he": "m",
    "his": "m",
    "him": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
}
# The forms that can stand alone as a speaker (`he said`); `her` is also a determiner.
SUBJECT_PRONOUNS = frozenset({"he", "she"})

HONORIFIC_GENDER: dict[str, Gender] = {
    "mr": "m",
    "sir": "m",
    "lord": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "dame": "f",
    "lady": "f",
}
ROLE_GENDER: dict[str, Gender] = {
    "spokesman": "m",
    "chairman": "m",
    "congressman": "m",
    "king": "m",
    "prince": "m",
    "spokeswoman": "f",
    "chairwoman": "f",
    "congresswoman": "f",
    "queen": "f",
    "princess": "f",
}
