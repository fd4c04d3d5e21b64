"""Who a cue verb's subject is: before it, after it (`said Kerry`), or heading its clause.

The subject is looked for in a bounded window of the cue's own sentence, so the
work per cue is constant. Nothing is resolved here: the subject is read as a
`Mention`, and the registry later decides who it denotes.
"""

from __future__ import annotations

from newsclaims.quotes.cues import CUES, INVERTIBLE, WINDOW, is_cue
from newsclaims.quotes.paragraph import Cue, Para, sentence_start
from newsclaims.quotes.phrases import (
    HEAD_PREPS,
    RELATIVES,
    NounPhrase,
    head_of_postmodified,
    named_before_role,
    read_backward,
    read_forward,
    with_apposed_name,
)
from newsclaims.quotes.tokens import Token
from newsclaims.quotes.wordclass import CUE_FORM, FUNCTION_WORDS
from newsclaims.speakers.lexicon import DETERMINERS, read_words
from newsclaims.speakers.mentions import Mention, is_speaker, parse_mention
from newsclaims.speakers.words import bare, is_capitalised

_SUBJECT_SKIP = read_words("newsclaims.quotes", "subject_skip.txt")
_CLAUSE_OPENERS = read_words("newsclaims.quotes", "clause_openers.txt")
_CONJUNCTIONS = frozenset({"but", "and", "yet", "so"})
_COMMA_LIKE = frozenset({",", ";", "—", "–", "(", ")"})

Subject = tuple[Mention | None, int]
"""The subject's mention (None: no subject found) and its first token (-1 if none)."""


def _is_comma_like(token: Token) -> bool:
    return not token.word and token.quote < 0 and token.text in _COMMA_LIKE


def _segment_subject(para: Para, floor: int, cue: int) -> Subject:
    """The subject heading the clause: `Kerry, who met Abadi, also hailed …`."""
    tokens = para.tokens
    k = floor
    while k < cue:
        seg_end = k
        while seg_end < cue and not _is_comma_like(tokens[seg_end]):
            seg_end += 1
        first = k
        while first < seg_end and (
            tokens[first].quote >= 0
            or not tokens[first].word
            or bare(tokens[first].text) in _CONJUNCTIONS
        ):
            first += 1
        head = tokens[first] if first < seg_end else None
        skip = (
            head is None
            or bare(head.text) in _CLAUSE_OPENERS
            or bare(head.text) in RELATIVES
            or (head.text.endswith("ing") and is_capitalised(head.text))
        )
        if not skip:
            np = read_forward(para, first)
            if np is None:
                return Mention("other", ""), first
            np = with_apposed_name(para, np)
            if np.mention.kind in ("role", "unnamed") and tokens[first - 1].text == ",":
                # `As Steven Hale, a tax lawyer, put it`: the name the role is set after.
                named = _name_before(para, first - 2, floor)
                if named is not None:
                    return named.mention, named.start
            return np.mention, np.start
        k = seg_end + 1
    return None, -1


def _according_subject(para: Para, ci: int) -> Subject:
    """`according to Kerry`, `according to a statement from the club's chief executive`."""
    tokens = para.tokens
    np = read_forward(para, ci + 2)
    if np is None or not is_speaker(np.mention):
        for k in range(ci + 2, min(ci + 8, len(tokens) - 1)):
            if not tokens[k].word:
                break
            if bare(tokens[k].text) in {"from", "by"}:
                np = read_forward(para, k + 1)
                break
    if np is None:
        return None, -1
    np = with_apposed_name(para, np)
    return np.mention, ci + 2


def _inverted_subject(para: Para, ci: int) -> Subject:
    """`"…," said Kerry`: the subject follows a cue that allows inversion."""
    tokens = para.tokens
    if CUES.get(tokens[ci].text.casefold()) not in INVERTIBLE or ci + 1 >= len(tokens):
        return None, -1
    np = read_forward(para, ci + 1) if tokens[ci + 1].word else None
    if np is None:
        return None, -1
    issuer = _issuer(para, np)
    if issuer is not np.mention:
        return issuer, ci + 1
    if is_speaker(np.mention):
        return _issuer(para, with_apposed_name(para, np)), ci + 1
    return Mention("other", np.mention.text), ci + 1


def _plain_subject(para: Para, j: int, floor: int, depth: int = 0) -> tuple[Mention, int]:
    """`the mayor's office said`, `one fan said`: a subject that names nobody.

    `a narrator in the ad asks`: the head before a postmodifier is the subject."""
    tokens = para.tokens
    if bare(tokens[j].text) in ("it", "they"):
        return Mention("orgref", tokens[j].text, role=bare(tokens[j].text)), j
    if bare(tokens[j].text) in FUNCTION_WORDS:
        return Mention("other", ""), j
    k = j
    while k > floor and j - k < 4 and tokens[k - 1].word:
        previous = bare(tokens[k - 1].text)
        if previous in FUNCTION_WORDS and previous not in DETERMINERS:
            break
        k -= 1
        if previous in DETERMINERS:
            break
    text = para.text[tokens[k].start : tokens[j].end]
    words = [t.text for t in tokens[k : j + 1] if t.word]
    parsed = parse_mention(words, lowered_first=k == sentence_start(para, k)) if words else None
    climbs = depth < 2 and k - 2 >= floor and bare(tokens[k - 1].text) in HEAD_PREPS
    if (
        parsed is not None
        and parsed.kind in ("org", "orgref", "unnamed")
        and not (climbs and parsed.kind == "unnamed")
    ):
        return parsed, k
    if climbs:
        np = read_backward(para, k - 2, floor)
        if np is not None and is_speaker(np.mention):
            np = named_before_role(para, head_of_postmodified(para, np, floor), floor)
            return np.mention, np.start
        if tokens[k - 2].word:
            earlier = _plain_subject(para, k - 2, floor, depth + 1)
            if is_speaker(earlier[0]):
                return earlier
    if parsed is not None and parsed.kind == "unnamed":
        return parsed, k
    return Mention("other", text), k


_DOCUMENTS = frozenset({"statement", "report", "communique", "letter", "source", "sources"})
"""`a statement by the ministry`, `sources in the army`: the issuer after by/from/in."""


def _issuer(para: Para, np: NounPhrase) -> Mention:
    """`a statement from the Defence Ministry said`: the ministry, not the statement."""
    tokens = para.tokens
    words = np.mention.text.split()
    if not words or bare(words[-1]) not in _DOCUMENTS or np.end + 1 >= len(tokens):
        return np.mention
    if bare(tokens[np.end].text) not in {"by", "from", "of"}:
        return np.mention
    issuer = read_forward(para, np.end + 1)
    if issuer is None or issuer.mention.kind not in ("org", "orgref", "name"):
        return np.mention
    return issuer.mention


def _cue_subject(para: Para, ci: int) -> Subject:
    """The subject of the cue verb at `ci`: before it, after it, or heading its clause."""
    tokens = para.tokens
    floor = max(sentence_start(para, ci), ci - WINDOW)
    if tokens[ci].text.casefold() == "according":
        return _according_subject(para, ci)
    j = _before_parenthesis(para, ci - 1, floor)
    skipped = 0
    while j >= floor and tokens[j].word and bare(tokens[j].text) in _SUBJECT_SKIP and skipped < 4:
        j -= 1
        skipped += 1
    if j >= floor and tokens[j].word:
        low = bare(tokens[j].text)
        if low == "who" and j - 2 >= floor and tokens[j - 1].text == ",":
            j -= 2
        elif low in _CONJUNCTIONS:
            return _segment_subject(para, floor, j)
        np = read_backward(para, j, floor)
        if np is None:
            return _plain_subject(para, j, floor)
        np = named_before_role(para, head_of_postmodified(para, np, floor), floor)
        return _issuer(para, np), np.start
    after_quote = j < floor or tokens[j].quote >= 0 or (j > 0 and tokens[j - 1].quote >= 0)
    if after_quote:
        inverted = _inverted_subject(para, ci)
        if inverted[0] is not None:
            return inverted
    if j < floor or _is_comma_like(tokens[j]) or tokens[j].text == ":":
        subject = _segment_subject(para, floor, ci)
        if tokens[j].text == "," and not is_speaker(subject[0]):
            named = _name_before(para, _before_parenthesis(para, j - 1, floor), floor)
            if named is not None:
                return named.mention, named.start
        if subject[0] is not None:
            return subject
    return _inverted_subject(para, ci)


def _before_parenthesis(para: Para, j: int, floor: int) -> int:
    """`Dale Marsh (R-Ohio) said`: the subject is read from before the brackets."""
    tokens = para.tokens
    if j < floor or tokens[j].text != ")":
        return j
    for k in range(j - 1, max(floor, j - 8) - 1, -1):
        if tokens[k].text == "(":
            return k - 1
    return j


def _name_before(para: Para, j: int, floor: int) -> NounPhrase | None:
    """`…, state Del. Marcia Price (D-Va.), shouted`: the name closing the apposition."""
    if j < floor or not para.tokens[j].word or not is_capitalised(para.tokens[j].text):
        return None
    np = read_backward(para, j, floor)
    return np if np is not None and np.mention.kind == "name" else None


def _participle_subject(para: Para, ci: int, found: Subject) -> Subject:
    """`The ministry condemned the attack saying …`, `…, adding`: the clause's subject."""
    text = para.tokens[ci].text
    if not text.endswith("ing"):
        return found
    head = para.sentence_heads[para.tokens[ci].sentence]
    if head < 0 or head >= ci or not para.tokens[head].word:
        return found
    if found[1] == head or (found[0] is not None and found[0].kind in ("name", "pronoun")):
        return found
    np = read_forward(para, head)
    if np is None or not is_speaker(np.mention) or np.mention.role in ("it", "they"):
        return found
    return with_apposed_name(para, np).mention, np.start


_RELAYING = frozenset({"quoting", "citing"})
_QUOTED = frozenset({"quoted", "quoting", "cited", "citing"})


def _relayed_speaker(para: Para, ci: int) -> Subject | None:
    """`SANA said quoting an official`, `X quoted Y as saying`: Y is the speaker."""
    tokens = para.tokens
    if tokens[ci].text == "saying" and ci >= 2 and tokens[ci - 1].text == "as":
        np = read_backward(para, ci - 2, max(sentence_start(para, ci), ci - WINDOW))
        relays = np is not None and np.start > 0 and bare(tokens[np.start - 1].text) in _QUOTED
        if np is not None and relays and is_speaker(np.mention):
            return np.mention, np.start
        return None
    sentence = tokens[ci].sentence
    for k in range(ci + 1, min(ci + 5, len(tokens) - 1)):
        if tokens[k].sentence != sentence or tokens[k].quote >= 0:
            return None
        if tokens[k].text in _RELAYING:
            np = read_forward(para, k + 1)
            if np is not None and is_speaker(np.mention):
                return np.mention, np.start
            return None
    return None


def find_cues(para: Para) -> None:
    """Every cue of the paragraph in order, with its subject as written."""
    for i, token in enumerate(para.tokens):
        if not token.flags & CUE_FORM:
            continue
        base = is_cue(para, i)
        if base is None:
            continue
        relayed = _relayed_speaker(para, i)
        mention, start = relayed or _participle_subject(para, i, _cue_subject(para, i))
        para.cues.append(Cue(i, para.tokens[i].text, base, mention, start))
        para.cue_positions.append(i)
