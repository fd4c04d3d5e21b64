"""The people a paragraph names, with the roles written next to them.

These feed the registry before any quote is attributed, so that `Kerry` or
`the top diplomat` later in the article find the full name and its role.
"""

from __future__ import annotations

from dataclasses import replace

from newsclaims.quotes.paragraph import Para, sentence_start
from newsclaims.quotes.phrases import (
    NP_MAX,
    POSTMODIFIER_PREPS,
    RELATIVES,
    np_ok,
    read_backward,
    read_forward,
)
from newsclaims.quotes.tokens import Token
from newsclaims.quotes.wordclass import DETERMINER, LONG_WORD, UPPER_INITIAL, WORD
from newsclaims.speakers.lexicon import SUBJECT_PRONOUNS
from newsclaims.speakers.mentions import parse_mention
from newsclaims.speakers.words import (
    bare,
    is_acronym,
    is_capitalised,
    is_possessive,
    is_role_noun,
    is_role_word,
)


def _title_case_sentence(para: Para, sentence: int) -> bool:
    """Headlines and link lists capitalise every word; bare names there are unreliable."""
    if sentence not in para.title_case:
        start = para.sentence_starts[sentence]
        end = (
            para.sentence_starts[sentence + 1]
            if sentence + 1 < len(para.sentence_starts)
            else len(para.tokens)
        )
        words = capitalised = 0
        for token in para.tokens[start + 1 : end]:
            if token.flags & LONG_WORD:
                words += 1
                capitalised += token.flags & UPPER_INITIAL != 0
        para.title_case[sentence] = words >= 4 and capitalised >= 0.8 * words
    return para.title_case[sentence]


def _appositive_role(para: Para, after: int) -> str | None:
    """`Massoud Jazayeri, deputy chief of staff of Iran's Armed Forces, told …`."""
    tokens = para.tokens
    if after >= len(tokens) or tokens[after].text != ",":
        return None
    k = after + 1
    words: list[Token] = []
    while k < len(tokens) and tokens[k].word and len(words) <= NP_MAX:
        if words and bare(tokens[k].text) in RELATIVES:
            break
        words.append(tokens[k])
        k += 1
    if not words or len(words) > NP_MAX:
        return None
    closed = k >= len(tokens) or tokens[k].text in ",.;" or bare(tokens[k].text) in RELATIVES
    first = bare(words[0].text)
    if not closed or first in RELATIVES or first in SUBJECT_PRONOUNS:
        return None
    if (
        first not in {"the", "a", "an"}
        and is_capitalised(words[0].text)
        and not is_role_word(words[0].text)
    ):
        return None
    if not any(is_role_noun(w.text) for w in words):
        return None
    return para.text[words[0].start : words[-1].end]


def _role_before(para: Para, start: int) -> str | None:
    """`The band's frontman, Jesse Kowalski,`: a role phrase set before the name."""
    if start < 2 or para.tokens[start - 1].text != ",":
        return None
    np = read_backward(para, start - 2, sentence_start(para, start - 2))
    if np is None or np.mention.kind not in ("role", "unnamed"):
        return None
    return np.mention.role


def _bracketed_acronym(para: Para, after: int) -> str | None:
    """`the Organisation for … Weapons (OPCW)`: the short name given in brackets."""
    tokens = para.tokens
    if after + 2 >= len(tokens) or tokens[after].text != "(" or tokens[after + 2].text != ")":
        return None
    word = tokens[after + 1].text
    return word if is_acronym(word) else None


def _nickname(para: Para, start: int, end: int, name: str) -> str | None:
    """`Robert C. "Bobby" Scott` is later `Bobby Scott`: the nickname with the surname."""
    for k in range(start, end):
        if para.tokens[k].quote >= 0:
            words = para.tokens[k].text.strip("\"'“”‘’ ").split()
            if words:
                return f"{' '.join(words)} {name.split()[-1]}"
    return None


_LEAD = 5
"""Lower-case words a named phrase may open with (`the band's lead singer Ana Ruiz`)."""


def find_names(para: Para) -> None:
    """Every named person of the paragraph in order, with the roles stated next to them."""
    tokens = para.tokens
    n = len(tokens)
    cues = set(para.cue_positions)
    capitals = [*para.capitals, n]
    c = 0
    i = 0
    while i < n:
        while capitals[c] < i:
            c += 1
        capital = capitals[c]
        if capital - i > _LEAD:
            # Every name or organisation holds a capital: skip the lower-case run before it.
            i = capital - _LEAD
            continue
        flags = tokens[i].flags
        if not flags & WORD or flags & DETERMINER or not np_ok(para, i) or i in cues:
            i += 1
            continue
        np = read_forward(para, i)
        if np is None:
            i += 1
            continue
        mention = np.mention
        if mention.kind == "name" and mention.name:
            role = mention.role or _appositive_role(para, np.end) or _role_before(para, np.start)
            if role != mention.role:
                mention = replace(mention, role=role)
            weak = mention.role is None and mention.title is None
            before = bare(tokens[np.start - 1].text) if np.start > 0 else ""
            skip = weak and (
                _title_case_sentence(para, tokens[i].sentence) or before in POSTMODIFIER_PREPS
            )
            if not skip:
                para.names.append((np.start, np.end, mention))
                nickname = _nickname(para, np.start, np.end, mention.name or "")
                if nickname is not None:
                    para.aliases[np.start] = nickname
        elif mention.kind == "org" and mention.name:
            para.names.append((np.start, np.end, mention))
            acronym = _bracketed_acronym(para, np.end)
            if acronym is not None:
                para.aliases[np.start] = acronym
        elif np.end - np.start == 1 and is_possessive(tokens[np.start].text):
            owner = parse_mention([tokens[np.start].text[:-2]])
            if owner is not None and owner.kind == "name":
                para.names.append((np.start, np.end, replace(owner, role=None)))
        i = max(np.end, i + 1)
