"""Speaker noun phrases read off the tokens, forwards or backwards from a point.

`U.S. Secretary of State John Kerry`, `the club's chief executive`, `he`: a run
of name, role and rank words with a determiner and `of`/`to`/`for` inside,
bounded to a few tokens so reading one is constant work.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from newsclaims.quotes.paragraph import Para
from newsclaims.quotes.wordclass import (
    CONNECTOR,
    DETERMINER,
    LOWER_INITIAL,
    NP_WORD,
    ROLE_ENDS,
    ROLE_ENDS_LOWERED,
    ROLE_GOES_ON,
    ROLE_GOES_ON_LOWERED,
    SUBJECT_PRONOUN,
    THE,
    WORD,
)
from newsclaims.speakers.lexicon import ROLE_HEADS
from newsclaims.speakers.mentions import Mention, is_speaker, parse_mention
from newsclaims.speakers.organisations import is_org_head
from newsclaims.speakers.words import (
    bare,
    is_capitalised,
    is_name_word,
    is_role_word,
    is_title_case,
)

NP_MAX = 12
"""The longest noun phrase read, in tokens."""
RELATIVES = frozenset({"who", "which", "whose", "whom", "where", "that", "when"})
POSTMODIFIER_PREPS = frozenset({"of", "at", "from", "in"})
"""`Hannah Weiss of the University`: prepositions after which a place follows a person."""
HEAD_PREPS = POSTMODIFIER_PREPS | {"for", "on"}
"""`the envoy for Syria on humanitarian issues said`: the envoy speaks, not the issues."""


@dataclass
class NounPhrase:
    """A noun phrase read off the tokens: where it lies and what it denotes."""

    start: int
    end: int
    mention: Mention


def lowered(para: Para, i: int) -> bool:
    """A sentence's first word that the article elsewhere writes in lower case."""
    token = para.tokens[i]
    if i != para.sentence_starts[token.sentence] or not token.text[:1].isupper():
        return False
    low = token.text.casefold()
    return low in para.common or low in ROLE_HEADS


def _leads_to_role(para: Para, i: int) -> bool:
    """`union official`, `the report's lead author`: modifiers ending in a role noun."""
    flags = para.tokens[i].flags
    if not flags & ROLE_GOES_ON_LOWERED:
        return False
    return bool(flags & ROLE_ENDS_LOWERED) or _role_follows(para, i)


def _role_follows(para: Para, i: int) -> bool:
    """The rest of `_leads_to_role`: one of the next two words ends the run in a role."""
    tokens = para.tokens
    for k in range(i + 1, min(i + 3, len(tokens))):
        flags = tokens[k].flags
        if not flags & ROLE_GOES_ON:
            return False
        if flags & ROLE_ENDS:
            return True
    return False


def _inner_connector(para: Para, k: int) -> bool:
    """`Secretary of State`, `Observatory for Human Rights`: `of`/`for` inside a name."""
    previous = para.tokens[k - 1].text
    return is_role_word(previous) or (is_capitalised(previous) and is_org_head(previous))


def np_ok(para: Para, i: int) -> bool:
    """Whether token i can sit inside a speaker noun phrase."""
    flags = para.tokens[i].flags
    if not flags & WORD or flags & DETERMINER:
        return False
    if flags & LOWER_INITIAL:  # never `lowered`, which starts with a capital
        return bool(flags & NP_WORD) or _leads_to_role(para, i)
    if lowered(para, i):
        return _leads_to_role(para, i)
    return bool(flags & NP_WORD)


def _phrase(para: Para, start: int, end: int) -> NounPhrase | None:
    words = [t.text for t in para.tokens[start:end] if t.quote < 0]
    if not words:
        return None
    first = start
    while first < end and para.tokens[first].flags & DETERMINER:
        first += 1
    mention = parse_mention(words, lowered_first=first < end and lowered(para, first))
    return NounPhrase(start, end, mention) if mention is not None else None


def _nickname_at(para: Para, k: int) -> bool:
    """`Daniel "The Wall" Okafor`: a short capitalised quote between name words."""
    tokens = para.tokens
    if k + 1 >= len(tokens) or tokens[k].quote < 0 or not tokens[k + 1].word:
        return False
    words = tokens[k].text.split()
    return 0 < len(words) <= 3 and is_title_case(words) and is_name_word(tokens[k + 1].text)


_WORD_CONNECTOR = WORD | CONNECTOR
_EDGE = CONNECTOR | DETERMINER


def read_forward(para: Para, start: int) -> NounPhrase | None:
    """The noun phrase starting at `start` (determiner, role words, name)."""
    tokens = para.tokens
    n = len(tokens)
    k = start
    if k < n and tokens[k].flags & WORD and tokens[k].flags & SUBJECT_PRONOUN:
        return _phrase(para, k, k + 1)
    if k < n and tokens[k].flags & WORD and tokens[k].flags & DETERMINER:
        k += 1
    while k < n and k - start < NP_MAX:
        flags = tokens[k].flags
        if (
            np_ok(para, k)
            or (
                k > start
                and flags & _WORD_CONNECTOR == _WORD_CONNECTOR
                and _inner_connector(para, k)
            )
            or (k > start and flags & WORD and flags & THE and tokens[k - 1].flags & CONNECTOR)
            or (k > start and tokens[k].quote >= 0 and tokens[k - 1].word and _nickname_at(para, k))
        ):
            k += 1
        else:
            break
    while k > start and tokens[k - 1].flags & _EDGE:
        k -= 1
    if k == start or all(t.flags & DETERMINER for t in tokens[start:k]):
        return None
    return _phrase(para, start, k)


def read_backward(para: Para, end: int, floor: int) -> NounPhrase | None:
    """The noun phrase ending at token `end`, read right to left."""
    tokens = para.tokens
    k = end
    while k >= floor and end - k < NP_MAX:
        flags = tokens[k].flags
        if not flags & WORD:
            break
        if np_ok(para, k) or (
            flags & CONNECTOR and k < end and k > floor and _inner_connector(para, k)
        ):
            k -= 1
        elif flags & DETERMINER and k < end:
            k -= 1
            break
        elif flags & SUBJECT_PRONOUN and k == end:
            return _phrase(para, k, k + 1)
        else:
            break
    start = k + 1
    while start <= end and tokens[start].flags & CONNECTOR:
        start += 1
    return _phrase(para, start, end + 1) if start <= end else None


def with_apposed_name(para: Para, np: NounPhrase) -> NounPhrase:
    """`His lawyer, Alan Mercer,` / `the club's chief executive, Alison Park`: the name."""
    if np.mention.kind not in ("role", "unnamed") or np.end + 1 >= len(para.tokens):
        return np
    if para.tokens[np.end].text != ",":
        return np
    named = read_forward(para, np.end + 1)
    if named is None or named.mention.kind != "name":
        return np
    after = para.tokens[named.end] if named.end < len(para.tokens) else None
    if after is not None and after.word and bare(after.text) not in POSTMODIFIER_PREPS:
        return np
    return named


def head_of_postmodified(para: Para, np: NounPhrase, floor: int) -> NounPhrase:
    """`Professor Hannah Weiss of the University of Cape Town said`: the person, not the place."""
    current = np
    for _ in range(3):
        mention = current.mention
        if mention.kind in ("role", "pronoun") or (
            mention.kind == "name" and (mention.role or mention.title)
        ):
            break
        before = current.start - 1
        if before <= floor or bare(para.tokens[before].text) not in HEAD_PREPS:
            break
        earlier = read_backward(para, before - 1, floor)
        if earlier is None:
            break
        current = earlier
    return current if is_speaker(current.mention) else np


def named_before_role(para: Para, np: NounPhrase, floor: int) -> NounPhrase:
    """`Jan Holm the UN envoy said` (no commas): the name set before the role speaks."""
    if np.mention.kind != "role" or np.start - 1 < floor:
        return np
    before = para.tokens[np.start - 1]
    if not before.word or not is_capitalised(before.text):
        return np
    named = read_backward(para, np.start - 1, floor)
    if named is None or named.mention.kind != "name" or named.mention.role:
        return np
    text = para.text[para.tokens[named.start].start : para.tokens[np.end - 1].end]
    return NounPhrase(named.start, np.end, replace(named.mention, role=np.mention.role, text=text))
