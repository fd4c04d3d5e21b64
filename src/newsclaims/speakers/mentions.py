"""Reading a noun phrase that may denote a speaker into name, role, title and gender.

News names a speaker once in full (`U.S. Secretary of State John Kerry`) and then
refers back with a surname, a role noun or a pronoun; `parse_mention` splits any
of these into its parts so that the registry can tell who is meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from newsclaims.speakers.lexicon import (
    CONNECTORS,
    DEMONYM_ENDINGS,
    DETERMINERS,
    HONORIFIC_GENDER,
    HONORIFICS,
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
from newsclaims.speakers.names import (
    first_name_gender,
    is_known_first_name,
    is_name_suffix,
    is_name_title,
    is_party_label,
    strip_name_labels,
)
from newsclaims.speakers.organisations import (
    is_org_head,
    is_org_name,
    is_source_description,
    org_reference_head,
    strip_descriptors,
)
from newsclaims.speakers.words import (
    bare,
    is_acronym,
    is_capitalised,
    is_name_word,
    is_org_word,
    is_possessive,
    is_role_noun,
)

MentionKind = Literal["name", "role", "pronoun", "org", "orgref", "unnamed", "other"]
"""`org`: an organisation by name; `orgref`: `the ministry`, `it`; `unnamed`: `a source`."""


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


def is_speaker(mention: Mention | None) -> bool:
    """A mention that can denote a speaker: a person, an organisation or an unnamed source."""
    return mention is not None and mention.kind != "other"


def _split_name(words: Sequence[str]) -> int:
    """Index where the trailing person-name run of an NP starts (len(words) if none)."""
    start = len(words)
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        low = bare(word)
        if (low in NAME_SUFFIXES or is_name_suffix(word)) and i == len(words) - 1:
            continue
        if low in NAME_PARTICLES and start < len(words):
            start = i
            continue
        place_ok = low not in PLACE_WORDS or (
            i == len(words) - 1 and i > 0 and is_known_first_name(words[i - 1])
        )
        if is_name_word(word) and place_ok and not is_possessive(word):
            start = i
            continue
        break
    while (
        start < len(words)
        and bare(words[start]) in NAME_PARTICLES
        and not (is_capitalised(words[start]) and start + 1 < len(words))
    ):
        start += 1
    return start


def _gender_of(first: str, titles: Sequence[str], roles: Sequence[str]) -> Gender | None:
    for word in titles:
        if bare(word) in HONORIFIC_GENDER:
            return HONORIFIC_GENDER[bare(word)]
    for word in roles:
        if bare(word) in ROLE_GENDER:
            return ROLE_GENDER[bare(word)]
    return first_name_gender(first) if first else None


def _origin(words: Sequence[str]) -> str | None:
    """`Ethiopia's`, `Kenyan`, `the Italian`: where a person is from, as written."""
    for word in words:
        low = bare(word)
        place = low in PLACE_WORDS or low.endswith(DEMONYM_ENDINGS)
        if is_capitalised(word) and place and low not in ORG_WORDS and low not in ROLE_HEADS:
            return low
    return None


_DEGREES = frozenset({"kc", "qc", "esq", "phd"})
"""Letters after a name that canonical names leave out (`Simon Hale KC`)."""


def _is_person_name(words: Sequence[str]) -> bool:
    """No organisation or place word, or a known first name before one (`Anthony Lake`);
    suffixes alone (`Jr. II`) name nobody."""
    words = [w for w in words if not is_name_suffix(w)]
    if not words or is_party_label(words[-1]):
        return False
    if not any(is_org_word(w) for w in words):
        return True
    return len(words) >= 2 and is_known_first_name(words[0]) and not is_org_name(words)


def _name_then_role(body: Sequence[str], shown: Sequence[str], text: str) -> Mention | None:
    """`Mounzer Khalil head of the health authority`: a name, then its role (no comma)."""
    k = 0
    while k < len(body) and is_capitalised(body[k]) and not is_role_noun(body[k]):
        k += 1
    rest = body[k:]
    if k < 2 or not rest or not rest[0].islower() or not any(is_role_noun(w) for w in rest):
        return None
    for word in rest:
        if bare(word) in CONNECTORS:
            break
        if is_capitalised(word):
            return None
    person = parse_mention(list(body[:k]))
    if person is None or person.kind != "name":
        return None
    return Mention("name", text, person.name, " ".join(shown[k:]), person.title, person.gender)


_ADDRESS = frozenset({"mr", "mrs", "ms", "miss", "dr"})


def _addressed_name(body: Sequence[str], shown: Sequence[str], text: str) -> Mention | None:
    """`Mr. King`, `Dr. Bishop`: after a form of address, even a title word is a name."""
    if len(body) < 2 or bare(body[0]) not in _ADDRESS or not body[0][:1].isupper():
        return None
    rest = body[1:]
    if not all(is_capitalised(w) for w in rest) or any(is_org_word(w) for w in rest):
        return None
    if any(is_possessive(w) for w in rest):
        return None
    gender = HONORIFIC_GENDER.get(bare(body[0]))
    return Mention("name", text, " ".join(shown[1:]), None, shown[0], gender)


def _named_before_head(body: Sequence[str], shown: Sequence[str], text: str) -> Mention | None:
    """`the state-run TNA news agency`, `the Syrian Observatory for Human Rights monitoring
    group`: the name before the kind; a run without an organisation head word (`the United
    Nations children's agency`) is a description."""
    end = len(body)
    while end > 0 and body[end - 1].islower():
        end -= 1
    if end == 0:
        return None
    if is_acronym(body[end - 1]) and is_org_name(body[end - 1 : end]):
        return Mention("org", text, name=shown[end - 1])
    start = end
    while start > 0 and (is_capitalised(body[start - 1]) or bare(body[start - 1]) in CONNECTORS):
        start -= 1
    run = body[start:end]
    if run and any(is_org_head(w) for w in run) and is_org_name(run):
        return Mention("org", text, name=" ".join(strip_descriptors(shown[start:end])))
    return None


def _organisation_or_source(
    body: Sequence[str], shown: Sequence[str], determiner: str | None, text: str
) -> Mention | None:
    """`the Defence Ministry`, `the ministry`, `military sources`: no person named."""
    if is_org_name(body):
        name = " ".join(strip_descriptors(shown))
        return Mention("org", text, name=name, definite=determiner not in {"a", "an"})
    named = _name_then_role(body, shown, text)
    if named is not None:
        return named
    k = len(body)
    while k > 0 and is_capitalised(body[k - 1]):
        k -= 1
    lower_before = 0 < k < len(body) and body[k - 1].islower()
    if lower_before and bare(body[k - 1]) not in CONNECTORS and is_org_name(body[k:]):
        return Mention("org", text, name=" ".join(shown[k:]))
    head = org_reference_head(body)
    if head is not None and determiner not in {"a", "an", "one"}:
        named = _named_before_head(body, shown, text)
        return named or Mention("orgref", text, name=None, role=head)
    if is_source_description(body) and not (determiner == "the" and is_role_noun(body[-1])):
        definite = determiner in {"the", "this"}
        return Mention("unnamed", text, None, " ".join(shown), definite=definite)
    return None


def parse_mention(words: Sequence[str], lowered_first: bool = False) -> Mention | None:
    """Read a speaker noun phrase (memoised: news repeats its speakers' phrases)."""
    return _parse_mention(tuple(words), lowered_first)


@lru_cache(maxsize=1 << 15)
def _parse_mention(phrase: tuple[str, ...], lowered_first: bool) -> Mention | None:
    """Read a speaker noun phrase such as `Pentagon spokesman Rear Admiral John Kirby`.

    `lowered_first` says the first word is only capitalised because it opens the
    sentence (`Songwriter Denise Carver`), so it cannot be part of a name.
    """
    words = [w for w in phrase if w]
    if not words:
        return None
    text = " ".join(words)
    shown = list(words)
    if lowered_first:
        words = [words[0].lower(), *words[1:]]
    first = bare(words[0])
    if len(words) == 1 and first in SUBJECT_PRONOUNS:
        return Mention("pronoun", text, gender=PRONOUN_GENDER[first])
    if len(words) == 1 and first == "it":
        return Mention("orgref", text, role="it")
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
    addressed = _addressed_name(body, shown, text)
    if addressed is not None:
        return addressed
    demonym = determiner == "the" and len(body) == 1 and _origin(body) is not None
    special = None if demonym else _organisation_or_source(body, shown, determiner, text)
    if special is not None:
        return special
    name_start = _split_name(body)
    if 0 < name_start < len(body) and bare(body[name_start - 1]) in CONNECTORS:
        name_start = len(body)
    labels = strip_name_labels(body[name_start:])
    if labels and len(body) - name_start - labels >= 1:
        name_start += labels
    name_words = body[name_start:]
    head = body[:name_start]
    title_start = len(head)
    while title_start > 0 and (
        bare(head[title_start - 1]) in RANK_TITLES
        or (
            title_start == len(head)
            and is_name_title(head[title_start - 1])
            and not is_role_noun(head[title_start - 1])
            and (title_start < 2 or bare(head[title_start - 2]) not in CONNECTORS)
        )
    ):
        title_start -= 1
    titles = head[title_start:]
    role_words = head[:title_start]
    has_role = any(is_role_noun(w) for w in role_words)
    role = " ".join(shown[:title_start]) if has_role else None
    if role is None and titles and not all(bare(t) in HONORIFICS for t in titles):
        role = " ".join(shown[len(role_words) : name_start])
    title = " ".join(titles) or None
    origin = _origin(role_words)
    if name_words and _is_person_name(name_words):
        gender = _gender_of(name_words[0], titles, role_words)
        definite = determiner not in {"a", "an"}
        name = " ".join(w for w in name_words if bare(w) not in _DEGREES)
        return Mention("name", text, name, role, title, gender, definite, origin)
    if has_role and not name_words:
        gender = _gender_of("", titles, role_words)
        definite = determiner not in {"a", "an", "one"}
        definite = definite and (determiner is not None or is_capitalised(body[0]))
        if not definite:
            return Mention("unnamed", text, None, " ".join(shown), title, gender, False, origin)
        return Mention("role", text, None, role, title, gender, definite, origin)
    if determiner == "the" and len(body) == 1 and origin is not None:
        return Mention("role", text, None, None, None, None, True, origin)
    if determiner in _INDEFINITE and _common_noun_phrase(body):
        return Mention("unnamed", text, None, " ".join(shown), None, None, False, origin)
    if determiner is None and _bare_plural_of_people(words):
        return Mention("unnamed", text, None, " ".join(shown), None, None, False, origin)
    return Mention("other", text)


_INDEFINITE = frozenset({"a", "an", "one", "another"})
_AGENT_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "ee")
"""`narrator`, `activist`, `resident`: nouns of people by their ending."""
_NOT_AGENTS = frozenset(
    {"letter", "paper", "poster", "banner", "number", "order", "border", "corner", "matter"}
)
_PEOPLE = frozenset(
    {"friend", "man", "woman", "person", "witness", "neighbour", "neighbor", "relative"}
)


def _bare_plural_of_people(words: Sequence[str]) -> bool:
    """`Protesters chanted`, `angry residents said`: people, unnamed, in the plural."""
    head = bare(words[-1])
    if len(words) > 3 or not head.endswith("s") or not all(w.isalpha() for w in words):
        return False
    if any(w[:1].isupper() for w in words[1:]):
        return False
    return _common_noun_phrase([w.lower() for w in words[:-1]] + [words[-1].lower()[:-1]])


def _common_noun_phrase(body: Sequence[str]) -> bool:
    """`a friend`, `a narrator`, `one neighbour`: somebody, unnamed, who speaks.

    A noun of a person, told by its ending (not `a statement`, `a box`)."""
    head = bare(body[-1])
    if len(body) > 4 or not body[-1].isalpha() or not body[-1].islower():
        return False
    if head in _PEOPLE:
        return True
    return head.endswith(_AGENT_ENDINGS) and not head.endswith("ment") and head not in _NOT_AGENTS
