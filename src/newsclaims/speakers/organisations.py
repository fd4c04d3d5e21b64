"""Organisations that speak: ministries, armies, monitors, agencies, campaigns, outlets.

War and politics coverage quotes `the Russian Defence Ministry`, `the Red Cross` or `the
Observatory` as often as people. A capitalised phrase is an organisation when it
has an organisation head word (`Ministry`, `Observatory`, `Front`), is an acronym,
or is a place speaking for its government (`Turkey condemned`); it is a person when
it starts with a known first name and has no head word (`Anthony Lake`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from newsclaims.speakers.lexicon import (
    CONNECTORS,
    DETERMINERS,
    ORG_WORDS,
    PLACE_WORDS,
    ROLE_HEADS,
    read_words,
)
from newsclaims.speakers.memo import pair_memo, word_memo
from newsclaims.speakers.names import is_known_first_name, is_name_suffix
from newsclaims.speakers.words import bare, is_acronym, is_capitalised, is_possessive

if TYPE_CHECKING:
    from newsclaims.speakers.registry import Person, Position

SpeakerKind = Literal["person", "organisation", "unnamed"]
"""What a speaker is; an unnamed source is named by its description."""

ORG_HEADS = read_words("newsclaims.speakers", "org_heads.txt")
"""Head nouns of organisation names; lower case after `the`, references back to one."""
ORG_GENERIC = read_words("newsclaims.speakers", "org_generic.txt")
"""`the group`, `the statement`: refer to the organisation that spoke last."""
SOURCE_HEADS = read_words("newsclaims.speakers", "source_heads.txt")
"""`sources`, `an official`, `a rebel commander`: unnamed sources."""
_INNER = CONNECTORS | {"the", "and", "&", "on", "in", "at"}


def _content(words: Sequence[str]) -> list[str]:
    return [w for w in words if bare(w) not in _INNER]


_DESCRIPTOR_ENDINGS = ("-based", "-run", "-led", "-backed", "-owned", "-funded")


def strip_descriptors(words: Sequence[str]) -> list[str]:
    """`UK-based Syrian Observatory` → `Syrian Observatory`: a description, not the name."""
    kept = list(words)
    while len(kept) > 1 and kept[0].casefold().endswith(_DESCRIPTOR_ENDINGS):
        kept = kept[1:]
    return kept


def is_org_head(word: str) -> bool:
    """A capitalised organisation head (`Ministry`, `Observatory`, `Inc`)."""
    return bare(word) in ORG_HEADS


def is_org_name(words: Sequence[str]) -> bool:
    """Whether a capitalised phrase (no determiner) names an organisation."""
    return _is_org_name(tuple(words))


@lru_cache(maxsize=1 << 15)
def _is_org_name(words: tuple[str, ...]) -> bool:
    content = _content(words)
    if not content or not all(is_capitalised(w) for w in content):
        return False
    if bare(content[-1]) in ROLE_HEADS and not is_org_head(content[-1]):
        return False
    for k, word in enumerate(content[:-1]):
        if is_known_first_name(word) and not any(is_org_head(w) for w in content[k:]):
            return False
    if any(is_org_head(w) for w in content):
        return True
    if len(content) == 1:
        word = content[0]
        return _org_acronym(word) or bare(word) in PLACE_WORDS or bare(word) in ORG_WORDS
    return any(bare(w) in ORG_WORDS or _org_acronym(w) for w in content)


def _org_acronym(word: str) -> bool:
    return is_acronym(word) and not is_name_suffix(word)


def org_reference_head(words: Sequence[str]) -> str | None:
    """`the defence ministry`, `the monitoring group`: the lower-case head referred by."""
    if not words:
        return None
    last = words[-1]
    if last.islower() and bare(last) in ORG_HEADS | ORG_GENERIC:
        return bare(last)
    return None


def is_source_description(words: Sequence[str]) -> bool:
    """`military sources`, `one activist`, `a senior official`: no name, a source noun."""
    return bool(words) and words[-1].islower() and bare(words[-1]) in SOURCE_HEADS


@word_memo(1 << 14)
def initials(name: str) -> str:
    """`Syrian Observatory for Human Rights` → `SOHR` (connectors skipped)."""
    return "".join(w[0] for w in _content(name.replace("-", " ").split()) if w[:1].isalpha())


@lru_cache(maxsize=1 << 14)
def org_words(name: str) -> tuple[str, ...]:
    """The content words of an organisation name, lower case, for containment tests."""
    return tuple(bare(w) for w in _content(name.split()))


@pair_memo(1 << 16)
def names_same_org(short: str, full: str) -> bool:
    """`the Observatory`, `SOHR`, `Syrian Observatory` all name `Syrian Observatory for …`."""
    if short.casefold() == full.casefold():
        return True
    if is_acronym(short) and " " not in short:
        return short.upper() == initials(full).upper() and len(short) >= 2
    small, big = org_words(short), org_words(full)
    if not small or len(small) >= len(big):
        return False
    if not any(bare(w) in ORG_HEADS for w in small) and len(small) < 2:
        return False
    it = iter(big)
    return all(word in it for word in small)


def _is_place(name: str) -> bool:
    """A country speaking (`Turkey condemned`), or a capitalised header (`FULL TEXT`): not
    what `the group` or `they` refer to."""
    if " " in name:
        return name.isupper()
    return bare(name) in PLACE_WORDS or (name.isupper() and len(name) > 5)


def _modifiers(description: str) -> set[str]:
    """`the Syrian military source` → {syrian, military}: what tells two sources apart."""
    words = [bare(w) for w in description.split()[:-1]]
    return {w for w in words if w not in _INNER and w not in {"a", "an", "the", "this", "that"}}


def _stem(word: str) -> str:
    """Five letters: `Russia`/`Russian`, `defence`/`defense` are one qualifier."""
    return bare(word)[:5]


_NOT_QUALIFIERS = (
    _INNER | DETERMINERS | read_words("newsclaims.speakers", "reference_adjectives.txt")
)
"""Determiners, connectors and describing words (`the ruling party`, `the local police`):
not what tells two organisations apart."""


@lru_cache(maxsize=1 << 12)
def _qualifier_stems(mention: str) -> frozenset[str]:
    """`the Russian defence ministry` → {defen}: the lower-case words before the head that
    say which ministry. A capitalised word (`Russian`, `UK`) is left out: it often names the
    country that `Russia's Defence Ministry` gives as a possessive. Determiners, describing
    words (`ruling`, `state-run`, `now-defunct`) and a lower-case possessive (`the
    country's`, which refers back) are left out too."""
    return frozenset(
        _stem(w)
        for w in mention.split()[:-1]  # the last word is the head
        if w.islower()
        and bare(w) not in _NOT_QUALIFIERS
        and not w.endswith(_DESCRIPTOR_ENDINGS)
        and not w.startswith("now-")
        and not is_possessive(w)
    )


def _fits(qualifiers: frozenset[str], org: Person, head: str) -> bool:
    """Whether a reference with this head and these qualifiers can mean the organisation:
    `the defence ministry` cannot mean the `Interior Ministry` (a qualifier its name lacks
    while it says something else); `the ministry` fits any ministry, `the foreign ministry`
    the `Ministry of Foreign Affairs`, `the defence ministry` `Russia's Defence Ministry`."""
    words = org_words(org.name)
    if head not in words:
        return False
    named = {_stem(w) for w in words} - {_stem(head)}
    return not (qualifiers - named and named - qualifiers)


class OrganisationBook:
    """The organisations and unnamed sources of one article, by fullest name and recency.

    Kept apart from the people so that a person and an organisation of the same
    name never merge. Entries are `registry.Person` records with another `kind`.
    """

    _RECENT = 30

    def __init__(self, make: Callable[[str, SpeakerKind, Position], Person]) -> None:
        self._make = make
        self.orgs: list[Person] = []
        self._recent: list[Person] = []
        self._speakers: list[Person] = []
        self._sources: list[Person] = []
        self._looked_up: dict[str, Person | None] = {}
        """`lookup` answers until an organisation is added or renamed: news names its
        organisations over and over, and each look-up compares with every one."""

    def register(self, name: str, position: Position) -> Person:
        """An organisation named in the article; a fuller name of a known one renames it."""
        found = self.lookup(name)
        if found is not None:
            return found
        self._looked_up.clear()
        for org in self.orgs:
            if names_same_org(org.name, name):
                org.name = name
                return org
        org = self._make(name, "organisation", position)
        self.orgs.append(org)
        return org

    def lookup(self, name: str) -> Person | None:
        """By equal name, else the fullest known name it abbreviates (`the Observatory`)."""
        if name in self._looked_up:
            return self._looked_up[name]
        found = self._lookup(name)
        self._looked_up[name] = found
        return found

    def _lookup(self, name: str) -> Person | None:
        key = name.casefold()
        for org in self.orgs:
            if org.name.casefold() == key:
                return org
        fuller = [o for o in self.orgs if names_same_org(name, o.name)]
        return max(fuller, key=lambda o: len(o.name)) if fuller else None

    def alias(self, org: Person, acronym: str) -> None:
        """`… Weapons (OPCW)`: the acronym in brackets names the same organisation."""
        if acronym not in org.aliases:
            org.aliases.append(acronym)

    def spell_out(self, long_forms: dict[str, str]) -> None:
        """`OPCW` named in full only inside a quote (`The Organization for … (OPCW)`):
        the canonical name is still the fullest one the article gives."""
        self._looked_up.clear()
        for org in self.orgs:
            full = long_forms.get(org.name)
            if full is not None and names_same_org(org.name, full):
                org.aliases.append(org.name)
                org.name = full

    def by_alias(self, name: str) -> Person | None:
        return next((o for o in self.orgs if name in o.aliases), None)

    def see(self, org: Person, spoke: bool) -> None:
        if org.kind != "organisation":
            return
        for recent in (self._recent, self._speakers) if spoke else (self._recent,):
            if org in recent:
                recent.remove(org)
            recent.append(org)
            del recent[: -self._RECENT]

    def by_head(self, head: str, position: Position, mention: str) -> Person | None:
        """`the ministry`: the last organisation seen with that word; `the group`, `it`:
        the last one that spoke (or was seen); else the next one the article names.

        `mention` is the whole phrase, which ends with the head: `the defence ministry`
        never refers to the `Interior Ministry` (see ``_fits``).
        """
        if head == "they":
            # `The YPG reported no deaths … They added`: only an organisation that spoke.
            bodies = [o for o in self._speakers if not _is_place(o.name)]
            return bodies[-1] if bodies else None
        if head in ORG_GENERIC or head == "it":
            pools = [self._speakers, self._recent] if head == "it" else [self._speakers]
            for pool in pools:
                # `the group`, `the body`: an organisation, not a country speaking.
                fitting = pool if head == "it" else [o for o in pool if not _is_place(o.name)]
                if fitting:
                    return fitting[-1]
            if head == "it":
                return None
            later = [o for o in self.orgs if o.first_seen > position]
            return min(later, key=lambda o: o.first_seen) if later else None
        qualifiers = _qualifier_stems(mention)
        for org in reversed(self._recent):
            if _fits(qualifiers, org, head):
                return org
        having = [o for o in self.orgs if _fits(qualifiers, o, head)]
        return min(having, key=lambda o: o.first_seen) if having else None

    def source(self, description: str, definite: bool, position: Position) -> Person:
        """An unnamed source; `the source` after `a military source` is that one again."""
        head = bare(description.split()[-1]).rstrip("s")
        if definite:
            modifiers = _modifiers(description)
            for known in reversed(self._sources):
                if bare(known.name.split()[-1]).rstrip("s") != head:
                    continue
                if not modifiers or modifiers & _modifiers(known.name):
                    return known
        source = self._make(description, "unnamed", position)
        self._sources.append(source)
        return source
