"""One canonical person per article: full names, surnames, role nouns and pronouns.

A later `Kerry`, `the top U.S. diplomat` or `he` is mapped to the person named in
full before it, by exact name, surname, matching role or recency; no model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, NamedTuple

from rapidfuzz import fuzz

from newsclaims.speakers.lexicon import CONNECTORS, DETERMINERS, PLACE_WORDS, Gender
from newsclaims.speakers.mentions import Mention
from newsclaims.speakers.names import first_name_gender, is_name_suffix, surname_start
from newsclaims.speakers.organisations import OrganisationBook, SpeakerKind
from newsclaims.speakers.words import bare

How = Literal["named", "pronoun", "role", "organisation_reference", "description"]
"""How a mention was resolved: by its name, a pronoun, a role noun, `the ministry`/`it`,
or as the description of a source the article does not name."""


class Position(NamedTuple):
    """Where in the article something was read: reading order is tuple order."""

    paragraph: int
    token: int


START = Position(0, 0)
"""The first token of the body."""
BEFORE_START = Position(-1, 0)
"""Earlier than anything read (a person not yet seen)."""
AFTER_END = Position(1 << 62, 0)
"""Later than anything in the body: the headline is read knowing the whole article."""


def _role_key(role: str) -> str:
    """Role words that carry meaning, for comparing `State Secretary` with `Secretary of State`."""
    keep = []
    for word in role.replace("-", " ").split():
        low = bare(word)
        if low in DETERMINERS or low in CONNECTORS or low in PLACE_WORDS:
            continue
        if low in {"top", "senior", "the"}:
            continue
        keep.append(low)
    return " ".join(sorted(keep))


def roles_match(mention_role: str, person_role: str) -> bool:
    """A role noun refers to a person when its words are (nearly) among the person's."""
    want, have = _role_key(mention_role), _role_key(person_role)
    if not want or not have:
        return False
    if set(want.split()) <= set(have.split()):
        return True
    return fuzz.token_set_ratio(want, have) >= 90


@dataclass(eq=False)
class Person:
    """One real person named in an article, with everything known about them."""

    name: str
    roles: list[str] = field(default_factory=list)
    gender: Gender | None = None
    origins: list[str] = field(default_factory=list)
    first_seen: Position = START
    last_seen: Position = BEFORE_START
    kind: SpeakerKind = "person"
    aliases: list[str] = field(default_factory=list)
    salience: int = 0
    """How often the person was a subject or a speaker: who a bare surname means."""

    @property
    def first_name(self) -> str:
        return bare(self.name.split()[0])

    @property
    def role(self) -> str | None:
        return self.roles[0] if self.roles else None


@lru_cache(maxsize=1 << 14)
def _surname_keys(name: str) -> tuple[str, ...]:
    """`al-Assad` is also referred to as `Assad`; `Joseph R. Biden Jr.` as `Biden`."""
    words = name.split()
    while len(words) > 1 and is_name_suffix(words[-1]):
        words = words[:-1]
    last = bare(words[-1])
    keys = [last]
    for prefix in ("al-", "el-", "ad-", "as-", "ar-", "an-", "ash-"):
        if last.startswith(prefix) and len(last) > len(prefix) + 1:
            keys.append(last[len(prefix) :])
    return tuple(keys)


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one mention: a person (or none) and whether inferred."""

    person: Person | None
    mention: Mention
    inferred: bool
    how: How = "named"


class PersonRegistry:
    """The people of one article, looked up by full name, surname, role or pronoun."""

    _RECENT = 50

    def __init__(self) -> None:
        self.people: list[Person] = []
        self._by_name: dict[str, Person] = {}
        self._by_surname: dict[str, list[Person]] = {}
        self._by_first: dict[str, list[Person]] = {}
        self._recent: list[Person] = []
        self._salient: list[Person] = []
        self.orgs = OrganisationBook(self._other)

    @staticmethod
    def _other(name: str, kind: SpeakerKind, position: Position) -> Person:
        return Person(name=name, first_seen=position, kind=kind)

    def register_single(self, mention: Mention, position: Position) -> Person | None:
        """`Melanie said`: a lone name that speaks is a person even with no full name."""
        if mention.kind != "name" or mention.name is None:
            return None
        return self._lookup_name(mention.name, known_only=True) or self._add(mention.name, position)

    def register(self, mention: Mention, position: Position) -> Person | None:
        """Record a named mention; full names (or a titled surname) become a person.

        `Mr. Obama` alone makes a person `Obama`; a later `Barack Obama` completes it.
        """
        if mention.kind != "name" or mention.name is None:
            return None
        single = len(mention.name.split()) < 2
        existing = self._lookup_name(mention.name, known_only=False)
        if existing is None and not single:
            existing = self._titled_surname(mention.name)
            if existing is not None:
                self._rename(existing, mention.name)
        if existing is None and single and not (mention.title or mention.role):
            return None
        person = existing or self._add(mention.name, position)
        if mention.role and mention.role not in person.roles:
            person.roles.append(mention.role)
        if person.gender is None:
            person.gender = mention.gender
        if mention.origin and mention.origin not in person.origins:
            person.origins.append(mention.origin)
        return person

    def _titled_surname(self, name: str) -> Person | None:
        """A person so far known only by surname (`Mr. Obama`) whom a full name completes."""
        gender = first_name_gender(name.split()[0])
        for person in self._by_surname.get(_surname_keys(name)[0], [])[-self._RECENT :]:
            if len(person.name.split()) == 1 and person.gender in (gender, None):
                return person
        return None

    def _rename(self, person: Person, name: str) -> None:
        self._by_first.setdefault(bare(name.split()[0]), []).append(person)
        person.name = name
        self._by_name[name.casefold()] = person

    def _add(self, name: str, position: Position) -> Person:
        person = Person(name=name, first_seen=position)
        self.people.append(person)
        self._by_name[name.casefold()] = person
        for key in _surname_keys(name):
            self._by_surname.setdefault(key, []).append(person)
        self._by_first.setdefault(person.first_name, []).append(person)
        return person

    def _lookup_name(
        self, name: str, known_only: bool, gender: Gender | None = None
    ) -> Person | None:
        """By full name, else among recent people with that surname (or first name).

        `Mr. Obama` after `Barack and Michelle Obama`: the title's gender decides."""
        exact = self._by_name.get(name.casefold())
        if exact is not None:
            return exact
        parts = name.split()
        candidates = self._by_surname.get(_surname_keys(name)[0], [])[-self._RECENT :]
        if len(parts) > 1:
            first = bare(parts[0])
            tail = [bare(w) for w in parts]
            candidates = [
                p
                for p in candidates
                if p.first_name == first
                or _surname_words(p.name) == tail
                or [bare(w) for w in p.name.split()][-len(tail) :] == tail
            ]
        elif not candidates and known_only:
            candidates = self._by_first.get(bare(parts[0]), [])[-self._RECENT :]
        if gender is not None and len(candidates) > 1:
            fitting = [p for p in candidates if p.gender in (gender, None)]
            candidates = fitting or candidates
        if not candidates:
            return None
        if len(parts) == 1 and len(candidates) > 1:
            # `Cruz` after `Ted Cruz` spoke five times and `Rafael Cruz` once was named.
            most = max(p.salience for p in candidates)
            candidates = [p for p in candidates if p.salience == most]
        # The one seen last; of those, the one introduced first.
        last = max(p.last_seen for p in candidates)
        return min((p for p in candidates if p.last_seen == last), key=lambda p: p.first_seen)

    def alias(self, person: Person, name: str) -> None:
        """Another full name of the same person (`Bobby Scott` for `Robert C. Scott`)."""
        self._by_name.setdefault(name.casefold(), person)

    def complete_surnames(self, pairs: dict[str, set[str]]) -> None:
        """`Trump said` where the article writes `Donald Trump` only in a possessive or
        the headline: the canonical name is the fullest one the article gives."""
        for person in self.people:
            if person.kind != "person" or " " in person.name:
                continue
            firsts = pairs.get(bare(person.name), set())
            if person.gender is not None and len(firsts) > 1:
                firsts = {f for f in firsts if first_name_gender(f) in (person.gender, None)}
            if len(firsts) != 1:
                continue
            full = f"{next(iter(firsts))} {person.name}"
            if full.casefold() not in self._by_name:
                self._rename(person, full)

    def learn_gender(self, person: Person, gender: Gender) -> None:
        """`Moreau, who saved four match points in her semi-final`: her means she."""
        if person.gender is None:
            person.gender = gender

    def see(self, person: Person, position: Position, salient: bool = False) -> None:
        """Remember a mention or a quote: pronouns go to the people seen last.

        `salient`: the person is a subject or a speaker there, whom a later he/she
        means far more often than someone named as an object or after `with`.
        """
        person.last_seen = max(person.last_seen, position)
        person.salience += salient
        if person.kind != "person":
            self.orgs.see(person, salient)
            return
        if salient:
            if person in self._salient:
                self._salient.remove(person)
            self._salient.append(person)
            del self._salient[: -self._RECENT]
        if person in self._recent:
            self._recent.remove(person)
        self._recent.append(person)
        del self._recent[: -self._RECENT]

    def resolve(self, mention: Mention, position: Position) -> Resolution:
        """Map a mention to a canonical person, or to nobody when it is not known."""
        if mention.kind == "name" and mention.name:
            gender = mention.gender if mention.title else None
            person = self._lookup_name(mention.name, known_only=True, gender=gender)
            if person is not None and person.gender not in (gender, None) and gender:
                # `Mr. Obama` when only `Michelle Obama` is known: somebody else.
                person = self._add(mention.name, position)
                person.gender = gender
            return Resolution(person, mention, False)
        if mention.kind == "pronoun":
            return Resolution(self._pronoun(mention.gender), mention, True, "pronoun")
        if mention.kind == "role" and mention.definite and mention.role:
            person = self._by_role(mention.role, position)
            if person is None and mention.origin:
                person = self._by_origin(mention.origin, position)
            if person is None and _epithet(mention.role):
                person = self._unroled_salient(mention.gender)
            if person is None:
                person = self.orgs.source(_description(mention), True, position)
                return Resolution(person, mention, True, "description")
            return Resolution(person, mention, True, "role")
        if mention.kind == "role" and mention.definite and mention.origin:
            return Resolution(self._by_origin(mention.origin, position), mention, True, "role")
        return self._resolve_other(mention, position)

    def _resolve_other(self, mention: Mention, position: Position) -> Resolution:
        """Organisations by name or reference, and unnamed sources by description."""
        if mention.kind == "org" and mention.name:
            name = mention.name
            org = self.orgs.by_alias(name) or self.orgs.lookup(name)
            return Resolution(org or self.orgs.register(name, position), mention, False)
        if mention.kind == "orgref" and mention.role:
            org = self.orgs.by_head(mention.role, position, mention.text)
            return Resolution(org, mention, True, "organisation_reference")
        if mention.kind == "unnamed":
            source = self.orgs.source(_description(mention), mention.definite, position)
            return Resolution(source, mention, False, "description")
        return Resolution(None, mention, False)

    def _pronoun(self, gender: Gender | None) -> Person | None:
        """He or she: the last subject or speaker of that gender, else the last one named."""
        for pool in (self._salient[-3:], self._recent):
            for person in reversed(pool):
                if person.gender == gender:
                    return person
            for person in reversed(pool):
                if person.gender is None:
                    return person
        return None

    def _unroled_salient(self, gender: Gender | None) -> Person | None:
        """`the New York businessman said`, `the Vermont senator`: an epithet for the main
        person of the moment, as `he` would be, when no stated role matches."""
        for person in reversed(self._salient[-2:]):
            if (gender is None or person.gender in (gender, None)) and " " in person.name:
                return person
        return None

    def _candidates(self, position: Position) -> list[Person]:
        introduced = [p for p in self.people[-4 * self._RECENT :] if p.first_seen <= position]
        return [*reversed(self._recent), *reversed(introduced)]

    def _by_role(self, role: str, position: Position) -> Person | None:
        """The person last seen (or else last introduced) with a matching role."""
        for person in self._candidates(position):
            if person.roles and any(roles_match(role, have) for have in person.roles):
                return person
        return None

    def _by_origin(self, origin: str, position: Position) -> Person | None:
        """`the Ethiopian` after `Ethiopia's Selam Tadesse`: same country, same person."""
        stem = origin[:5]
        for person in self._candidates(position):
            if any(have[:5] == stem for have in person.origins):
                return person
        return None


def _epithet(role: str) -> bool:
    """`New York businessman`, `Republican nominee`, `Obama's strategist`: a role qualified
    by a name refers back to someone; `the announcer`, `a band leader` may be new people."""
    return any(word[:1].isupper() for word in role.split())


def _surname_words(name: str) -> list[str]:
    """`Omar Abdel Karim` → [abdel, karim]: the words a compound surname is cited by."""
    words = name.split()
    return [bare(w) for w in words[surname_start(words) :] if not is_name_suffix(w)]


def _description(mention: Mention) -> str:
    """`a spokeswoman for the Treasury` → `spokeswoman for the Treasury`."""
    words = mention.text.split()
    while len(words) > 1 and bare(words[0]) in DETERMINERS | {"two", "three", "some", "several"}:
        words = words[1:]
    return " ".join(words)
