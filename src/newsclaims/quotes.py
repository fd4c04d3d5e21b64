"""Quoted statements and who made them, from an article's paragraphs.

Pure rules, no model: quote marks are paired by a one-pass scanner, the text
outside the marks is tokenised into sentences, cue verbs ("said", "told",
"according to") find their subject noun phrase, and `speakers.PersonRegistry`
turns names, role nouns and pronouns into one canonical person per article.
Every step looks at a bounded window around a mark or a cue, so the whole run
is linear in the length of the text whatever marks it contains.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from newsclaims.records import Quote, QuoteKind
from newsclaims.speakers import (
    CONNECTORS,
    DETERMINERS,
    NON_NAME_WORDS,
    PRONOUN_GENDER,
    ROLE_HEADS,
    Mention,
    Person,
    PersonRegistry,
    Resolution,
    bare,
    is_capitalised,
    is_name_word,
    is_np_word,
    is_possessive,
    is_role_noun,
    is_role_word,
    lexicon,
    parse_mention,
)
from newsclaims.text import fold_quotes, normalize

__all__ = ["extract_quotes", "read_text_document"]

# --- quote marks -------------------------------------------------------------

_DOUBLE_MARKS = '"“”„‟«»'
_SINGLE_MARKS = "'‘’‚‹›"
_MARK_RE = re.compile(r"[\"“”„‟«»'‘’‚‹›]")
# Which closing marks end a quote opened with a given mark.
_CLOSERS = {
    '"': '"”“',
    "“": '”"“',
    "‟": '”"',
    "„": '“”"',
    "«": '»"”',
    "»": "«",
    "”": '”"',
    "'": "'’",
    "‘": "’'",
    "‚": "‘’'",
    "‹": "›",
}
_OPEN_BEFORE = "([{—–-/,:;"
_CLOSE_AFTER = ".,;:!?)]}—–-…/"
_ELISIONS = ("em", "til", "cause", "n'", "tis", "twas", "bout")


def _flanks(text: str, i: int) -> tuple[bool, bool]:
    """Whether the mark at i can open (word follows) and can close (word precedes)."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    marks = _DOUBLE_MARKS + _SINGLE_MARKS
    can_open = not nxt.isspace() and (prev.isspace() or prev in _OPEN_BEFORE or prev in marks)
    can_close = not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_AFTER or nxt in marks)
    return can_open, can_close


@dataclass
class _Span:
    """A top-level quoted stretch of one paragraph: marks at outer, words at inner."""

    outer_start: int
    outer_end: int
    start: int
    end: int
    continues: bool = False
    open_end: bool = False


def _inner(text: str, outer_start: int, outer_end: int, open_len: int, close_len: int) -> _Span:
    start, end = outer_start + open_len, outer_end - close_len
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return _Span(outer_start, outer_end, start, end)


def _double_spans(text: str, carried: bool) -> tuple[list[_Span], bool]:
    """Pair double marks in one paragraph; returns spans and whether one is left open.

    A stack of open marks lets `« … “compromise” … »` nest; a mark that cannot close
    anything and cannot open is ignored, and an opener repeated at the top level
    replaces a stray earlier one.
    """
    spans: list[_Span] = []
    stack: list[tuple[int, str]] = []
    virtual = carried
    for match in _MARK_RE.finditer(text):
        ch, i = match.group(), match.start()
        if ch not in _DOUBLE_MARKS:
            continue
        can_open, can_close = _flanks(text, i)
        level = next((k for k in range(len(stack) - 1, -1, -1) if ch in _CLOSERS[stack[k][1]]), -1)
        if level >= 0 and (can_close or not can_open or ch in "”»«" or level < len(stack) - 1):
            if level == 0:
                spans.append(_inner(text, stack[0][0], i + 1, 1, 1))
            del stack[level:]
        elif level == 0 and len(stack) == 1:
            stack[0] = (i, ch)
        elif stack and can_open and not can_close and len(stack) < 3:
            stack.append((i, ch))
        elif not stack and virtual and can_close and not can_open:
            span = _inner(text, 0, i + 1, 0, 1)
            span.continues = True
            spans.append(span)
        elif (
            not stack
            and (can_open or not can_close)
            and (ch not in "”»" or (can_open and not can_close))
        ):
            stack.append((i, ch))
        virtual = False
    if stack:
        span = _inner(text, stack[0][0], len(text), 1, 0)
        span.open_end = True
        spans.append(span)
    return [s for s in spans if s.end > s.start], bool(stack)


def _is_apostrophe(text: str, i: int) -> bool:
    """`don't`, `Daesh’s`, `'90s`, `'em`: an apostrophe, not a quote mark."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isalnum() and nxt.isalpha():
        return True
    if nxt.isdigit() and not prev.isalnum():
        return True
    return text[i + 1 : i + 6].casefold().startswith(_ELISIONS) and not prev.isalnum()


def _single_spans(text: str, doubles: Sequence[_Span]) -> list[_Span]:
    """Pair single marks outside double quotes (British style and headlines)."""
    spans: list[_Span] = []
    open_at, open_char = -1, ""
    blocks = iter(doubles)
    block = next(blocks, None)
    for match in _MARK_RE.finditer(text):
        ch, i = match.group(), match.start()
        while block is not None and block.outer_end <= i:
            block = next(blocks, None)
        if block is not None and block.outer_start <= i:
            open_char = ""
            continue
        if ch not in _SINGLE_MARKS or _is_apostrophe(text, i):
            continue
        can_open, can_close = _flanks(text, i)
        if open_char and ch in _CLOSERS[open_char] and (can_close or not can_open):
            spans.append(_inner(text, open_at, i + 1, 1, 1))
            open_char = ""
        elif ch in "'‘‚‹" and can_open and not can_close:
            open_at, open_char = i, ch
    return [s for s in spans if s.end > s.start]


def _paragraph_spans(paragraphs: Sequence[str]) -> list[list[_Span]]:
    """Top-level quote spans per paragraph; an unclosed quote may run into the next."""
    result: list[list[_Span]] = []
    carried = False
    for text in paragraphs:
        doubles, left_open = _double_spans(text, carried)
        if carried and doubles and not doubles[0].continues:
            lead = text[: doubles[0].outer_start]
            doubles[0].continues = not lead.strip()
        spans = sorted(doubles + _single_spans(text, doubles), key=lambda s: s.outer_start)
        result.append(spans)
        carried = left_open
    return result


# --- tokens and sentences ----------------------------------------------------

_LETTERS_RE = re.compile(r"[^\W\d_]+")
_TOKEN_RE = re.compile(r"\w[\w.'’\-]*|[^\w\s]")
_ABBREVIATIONS = lexicon(
    """
    mr mrs ms dr gen lt col sgt capt maj adm sen rep gov prof rev st jr sr no vs jan
    feb aug sept sep oct nov dec inc corp ltd co cmdr brig
    """
)
_TERMINAL = ".!?…"


@dataclass
class _Token:
    text: str
    start: int
    end: int
    word: bool
    quote: int = -1
    sentence: int = 0


def _keeps_dot(word: str) -> bool:
    """`U.S.`, `Mr.`, `J.` keep their dot; a sentence-final dot is punctuation."""
    core = word[:-1]
    return "." in core or core.casefold() in _ABBREVIATIONS or (len(core) == 1 and core.isupper())


def _word_tokens(text: str, start: int, end: int) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN_RE.finditer(text, start, end):
        word, pos = match.group(), match.start()
        if not word[0].isalnum() and word[0] != "_":
            tokens.append(_Token(word, pos, match.end(), False))
            continue
        trimmed = word
        while trimmed[-1] in "'’-" or (trimmed[-1] == "." and not _keeps_dot(trimmed)):
            trimmed = trimmed[:-1]
        tokens.append(_Token(trimmed, pos, pos + len(trimmed), True))
        for k in range(pos + len(trimmed), match.end()):
            tokens.append(_Token(text[k], k, k + 1, False))
    return tokens


def _tokenise(text: str, spans: Sequence[_Span]) -> list[_Token]:
    """Words and punctuation outside quotes; each quote becomes one token."""
    tokens: list[_Token] = []
    cursor = 0
    for index, span in enumerate(spans):
        tokens.extend(_word_tokens(text, cursor, span.outer_start))
        tokens.append(_Token(text[span.start : span.end], span.outer_start, span.outer_end, False))
        tokens[-1].quote = index
        cursor = span.outer_end
    tokens.extend(_word_tokens(text, cursor, len(text)))
    return tokens


def _ends_sentence(token: _Token, nxt: _Token) -> bool:
    if token.quote >= 0:
        ends = token.text.rstrip("\"'”’»)] ")[-1:] in tuple(_TERMINAL)
    else:
        ends = not token.word and token.text in _TERMINAL
    if not ends:
        return False
    return nxt.quote >= 0 or nxt.text[:1].isupper() or nxt.text[:1].isdigit() or nxt.text == "("


def _split_sentences(tokens: list[_Token]) -> list[int]:
    """Mark each token with its sentence number; returns each sentence's first index."""
    starts = [0]
    for i, token in enumerate(tokens):
        token.sentence = len(starts) - 1
        if i + 1 < len(tokens) and _ends_sentence(token, tokens[i + 1]):
            starts.append(i + 1)
    return starts


# --- cue verbs -----------------------------------------------------------------

_REGULAR_CUES = [
    "add",
    "insist",
    "stress",
    "note",
    "warn",
    "emphasize",
    "emphasise",
    "acknowledge",
    "claim",
    "argue",
    "explain",
    "concede",
    "tweet",
    "recall",
    "reiterate",
    "praise",
    "hail",
    "call",
    "describe",
    "declare",
    "state",
    "announce",
    "assert",
    "maintain",
    "suggest",
    "observe",
    "comment",
    "remark",
    "reply",
    "respond",
    "answer",
    "ask",
    "urge",
    "predict",
    "promise",
    "vow",
    "pledge",
    "confirm",
    "deny",
    "repeat",
    "mention",
    "complain",
    "boast",
    "caution",
    "contend",
    "counter",
    "retort",
    "testify",
    "report",
    "joke",
    "shout",
    "cry",
    "whisper",
    "proclaim",
    "affirm",
    "allege",
    "estimate",
    "conclude",
    "recount",
    "characterize",
    "characterise",
    "dismiss",
    "criticize",
    "criticise",
    "blast",
    "condemn",
    "lament",
    "accuse",
    "welcome",
    "laud",
    "applaud",
    "agree",
    "disagree",
    "elaborate",
    "clarify",
    "indicate",
    "inform",
    "assure",
    "reassure",
    "advise",
    "remind",
    "underline",
    "underscore",
    "highlight",
    "hint",
    "summarize",
    "summarise",
    "wonder",
    "question",
    "demand",
    "threaten",
    "label",
    "brand",
    "write",
]
_IRREGULAR_CUES = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("writes", "wrote", "written", "writing"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "quip": ("quips", "quipped", "quipping"),
    "slam": ("slams", "slammed", "slamming"),
    "signal": ("signaled", "signalled", "signaling", "signalling"),
    "label": ("labels", "labeled", "labelled", "labeling", "labelling"),
    "point": ("pointed",),
}
_BASE_CUES_KEPT = lexicon(
    """
    say tell add insist warn argue explain admit concede confirm deny
    """
)
_NOUN_LIKE_FORMS = lexicon(
    """
    notes claims calls reports comments answers remarks states questions demands
    promises pledges tweets estimates counters cries jokes hints welcomes blasts
    vows mentions highlights labels brands warning
    """
)
_SOURCE_CUES = frozenset({"report", "according"})
# Cues that may precede their subject (`"…," said Kerry`); `told` never does.
_INVERTIBLE = lexicon(
    """
    say add write note insist explain reply respond answer ask tweet declare recall
    warn admit concede stress argue claim observe remark quip joke counter retort
    emphasize emphasise acknowledge reiterate suggest comment conclude predict
    assert maintain contend point complain boast caution whisper shout cry affirm
    allege estimate wonder summarize summarise elaborate clarify recount testify
    report
    """
)


def _inflections(base: str) -> tuple[str, ...]:
    if base.endswith("e"):
        return base, base + "s", base + "d", base[:-1] + "ing"
    if base.endswith("y") and base[-2] not in "aeiou":
        return base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"
    if base.endswith(("sh", "ch", "ss", "x")):
        return base, base + "es", base + "ed", base + "ing"
    return base, base + "s", base + "ed", base + "ing"


def _cue_lexicon() -> dict[str, str]:
    """Every inflected cue form mapped to its base verb, minus forms that read as nouns."""
    lexicon: dict[str, str] = {}
    for base in _REGULAR_CUES:
        for form in _inflections(base):
            lexicon[form] = base
    for base, forms in _IRREGULAR_CUES.items():
        for form in forms:
            lexicon[form] = base
    for form, base in list(lexicon.items()):
        if (form == base and base not in _BASE_CUES_KEPT) or form in _NOUN_LIKE_FORMS:
            del lexicon[form]
    return lexicon


_CUES = _cue_lexicon()
_SUBJECT_SKIP = lexicon(
    """
    also has had have did does do would will could should may might must was were is
    are be been then later earlier again repeatedly reportedly once previously
    recently further flatly firmly simply publicly privately strongly quickly
    immediately separately similarly not never already often always quoted as just
    since himself herself angrily bluntly openly late yesterday today on
    """
)
_CLAUSE_OPENERS = lexicon(
    """
    in at on after before during as while when back speaking asked meanwhile however
    earlier later despite following since although though if because with without
    under for from by amid like unlike according addressing responding referring
    writing talking meeting but and yet so still then now instead rather also
    """
)
_RELATIVES = lexicon("who which whose whom where that when")
_TITLE_INTRO = lexicon(
    """
    titled entitled dubbed nicknamed named so-called term phrase word words slogan
    hashtag motto headline banner book film movie song album novel documentary show
    series programme program play poem article essay column magazine newspaper
    operation campaign codenamed code-named chant chanting chanted sign signs
    """
)
_CONJUNCTIONS = frozenset({"but", "and", "yet", "so"})
_POSTMODIFIER_PREPS = frozenset({"of", "at", "from", "in"})
_GENDERED_PRONOUNS = {"he": "m", "his": "m", "him": "m", "she": "f", "her": "f", "hers": "f"}
_SIGN_VERBS = frozenset({"read", "reads", "reading"})
_FUNCTION_WORDS = (
    NON_NAME_WORDS
    | frozenset(_CUES)
    | lexicon(
        """
        is are was were be been being has have had do does did will would can
        could shall should may might must not no very more most less than who
        whom whose what which that
        """
    )
)
_WINDOW = 60
_STRIDE = 1_000_000_000
_NP_MAX = 12


@dataclass
class _Cue:
    """A cue verb and its subject as read off the text (before resolution)."""

    index: int
    text: str
    base: str
    mention: Mention | None
    subject_start: int
    resolution: Resolution | None = None


@dataclass
class _Para:
    index: int
    text: str
    spans: list[_Span]
    tokens: list[_Token]
    sentence_starts: list[int]
    headline: bool
    common: set[str] = field(default_factory=set)
    cues: list[_Cue] = field(default_factory=list)
    cue_positions: list[int] = field(default_factory=list)
    names: list[tuple[int, int, Mention]] = field(default_factory=list)
    pronouns: list[int] = field(default_factory=list)
    quote_tokens: list[int] = field(default_factory=list)
    first_content: int = -1
    sentence_heads: list[int] = field(default_factory=list)
    title_case: dict[int, bool] = field(default_factory=dict)


def _is_cue(para: _Para, i: int) -> str | None:
    token = para.tokens[i]
    if not token.word:
        return None
    low = token.text.casefold()
    if low == "according":
        nxt = para.tokens[i + 1] if i + 1 < len(para.tokens) else None
        return "according" if nxt is not None and nxt.text.casefold() == "to" else None
    if not para.headline and token.text != low:
        return None
    return _CUES.get(low)


def _sentence_start(para: _Para, i: int) -> int:
    return para.sentence_starts[para.tokens[i].sentence]


def _lowered(para: _Para, i: int) -> bool:
    """A sentence's first word that the article elsewhere writes in lower case."""
    token = para.tokens[i]
    if i != _sentence_start(para, i) or not token.text[:1].isupper():
        return False
    low = token.text.casefold()
    return low in para.common or low in ROLE_HEADS


def _leads_to_role(para: _Para, i: int) -> bool:
    """`union official`, `the report's lead author`: modifiers ending in a role noun."""
    tokens = para.tokens
    for k in range(i, min(i + 3, len(tokens))):
        token = tokens[k]
        text = token.text.lower() if k == i else token.text
        if not token.word or not text.islower() or bare(text) in _FUNCTION_WORDS:
            return False
        if is_role_noun(text) or is_role_word(text):
            return True
    return False


def _np_ok(para: _Para, i: int) -> bool:
    """Whether token i can sit inside a speaker noun phrase."""
    token = para.tokens[i]
    if not token.word or bare(token.text) in DETERMINERS:
        return False
    if _lowered(para, i):
        return _leads_to_role(para, i)
    if token.text[:1].islower():
        return is_np_word(token.text) or _leads_to_role(para, i)
    return is_np_word(token.text)


@dataclass
class _NP:
    """A noun phrase read off the tokens: where it lies and what it denotes."""

    start: int
    end: int
    mention: Mention


def _mention(para: _Para, start: int, end: int) -> _NP | None:
    words = [t.text for t in para.tokens[start:end] if t.quote < 0]
    if not words:
        return None
    first = start
    while first < end and bare(para.tokens[first].text) in DETERMINERS:
        first += 1
    mention = parse_mention(words, lowered_first=first < end and _lowered(para, first))
    return _NP(start, end, mention) if mention is not None else None


def _nickname_at(para: _Para, k: int) -> bool:
    """`Daniel "The Wall" Okafor`: a short capitalised quote between name words."""
    tokens = para.tokens
    if k + 1 >= len(tokens) or tokens[k].quote < 0 or not tokens[k + 1].word:
        return False
    words = tokens[k].text.split()
    return (
        0 < len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and (is_name_word(tokens[k + 1].text))
    )


def _read_forward(para: _Para, start: int) -> _NP | None:
    """The noun phrase starting at `start` (determiner, role words, name)."""
    tokens = para.tokens
    k = start
    if k < len(tokens) and tokens[k].word and bare(tokens[k].text) in PRONOUN_GENDER:
        return _mention(para, k, k + 1)
    if k < len(tokens) and tokens[k].word and bare(tokens[k].text) in DETERMINERS:
        k += 1
    while k < len(tokens) and k - start < _NP_MAX:
        token = tokens[k]
        low = bare(token.text) if token.word else ""
        if (
            _np_ok(para, k)
            or (low in CONNECTORS and k > start and is_role_word(tokens[k - 1].text))
            or (low == "the" and k > start and bare(tokens[k - 1].text) in CONNECTORS)
            or (k > start and tokens[k - 1].word and _nickname_at(para, k))
        ):
            k += 1
        else:
            break
    while k > start and bare(tokens[k - 1].text) in CONNECTORS | DETERMINERS:
        k -= 1
    if k == start or all(bare(t.text) in DETERMINERS for t in tokens[start:k]):
        return None
    return _mention(para, start, k)


def _read_backward(para: _Para, end: int, floor: int) -> _NP | None:
    """The noun phrase ending at token `end`, read right to left."""
    tokens = para.tokens
    k = end
    while k >= floor and end - k < _NP_MAX:
        token = tokens[k]
        low = bare(token.text) if token.word else ""
        if (token.word and _np_ok(para, k)) or (
            low in CONNECTORS and k < end and k > floor and is_role_word(tokens[k - 1].text)
        ):
            k -= 1
        elif low in DETERMINERS and k < end:
            k -= 1
            break
        elif low in PRONOUN_GENDER and k == end:
            return _mention(para, k, k + 1)
        else:
            break
    start = k + 1
    while start <= end and bare(tokens[start].text) in CONNECTORS:
        start += 1
    return _mention(para, start, end + 1) if start <= end else None


def _is_personal(np: _NP | None) -> bool:
    return np is not None and np.mention.kind in ("name", "role", "pronoun")


def _with_apposed_name(para: _Para, np: _NP) -> _NP:
    """`His lawyer, Alan Mercer,` / `the club's chief executive, Alison Park`: the name."""
    if np.mention.kind != "role" or np.end + 1 >= len(para.tokens):
        return np
    if para.tokens[np.end].text != ",":
        return np
    named = _read_forward(para, np.end + 1)
    if named is None or named.mention.kind != "name":
        return np
    after = para.tokens[named.end] if named.end < len(para.tokens) else None
    if after is not None and after.word and bare(after.text) not in _POSTMODIFIER_PREPS:
        return np
    return named


def _head_of_postmodified(para: _Para, np: _NP, floor: int) -> _NP:
    """`Professor Hannah Weiss of the University of Cape Town said`: the person, not the place."""
    current = np
    for _ in range(3):
        mention = current.mention
        if mention.kind in ("role", "pronoun") or mention.role or mention.title:
            break
        before = current.start - 1
        if before <= floor or bare(para.tokens[before].text) not in _POSTMODIFIER_PREPS:
            break
        earlier = _read_backward(para, before - 1, floor)
        if earlier is None:
            break
        current = earlier
    return current if _is_personal(current) else np


def _segment_subject(para: _Para, floor: int, cue: int) -> tuple[Mention | None, int]:
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
            or bare(head.text) in _RELATIVES
            or (head.text.endswith("ing") and head.text[:1].isupper())
        )
        if not skip:
            np = _read_forward(para, first)
            if np is None:
                return Mention("other", ""), first
            np = _with_apposed_name(para, np)
            return np.mention, np.start
        k = seg_end + 1
    return None, -1


def _is_comma_like(token: _Token) -> bool:
    return not token.word and token.quote < 0 and token.text in {",", ";", "—", "–", "(", ")"}


def _according_subject(para: _Para, ci: int) -> tuple[Mention | None, int]:
    """`according to Kerry`, `according to a statement from the club's chief executive`."""
    tokens = para.tokens
    np = _read_forward(para, ci + 2)
    if not _is_personal(np):
        for k in range(ci + 2, min(ci + 8, len(tokens) - 1)):
            if not tokens[k].word:
                break
            if bare(tokens[k].text) in {"from", "by"}:
                np = _read_forward(para, k + 1)
                break
    if np is None:
        return None, -1
    np = _with_apposed_name(para, np)
    return np.mention, ci + 2


def _cue_subject(para: _Para, ci: int) -> tuple[Mention | None, int]:
    """The subject of the cue verb at `ci`: before it, after it, or heading its clause."""
    tokens = para.tokens
    floor = max(_sentence_start(para, ci), ci - _WINDOW)
    if tokens[ci].text.casefold() == "according":
        return _according_subject(para, ci)
    j = ci - 1
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
        np = _read_backward(para, j, floor)
        if np is None:
            return _plain_subject(para, j, floor)
        np = _head_of_postmodified(para, np, floor)
        return np.mention, np.start
    after_quote = j < floor or tokens[j].quote >= 0 or (j > 0 and tokens[j - 1].quote >= 0)
    if after_quote:
        inverted = _inverted_subject(para, ci)
        if inverted[0] is not None:
            return inverted
    if j < floor or _is_comma_like(tokens[j]) or tokens[j].text == ":":
        subject = _segment_subject(para, floor, ci)
        if subject[0] is not None:
            return subject
    return _inverted_subject(para, ci)


def _inverted_subject(para: _Para, ci: int) -> tuple[Mention | None, int]:
    """`"…," said Kerry`: the subject follows a cue that allows inversion."""
    tokens = para.tokens
    if _CUES.get(tokens[ci].text.casefold()) not in _INVERTIBLE or ci + 1 >= len(tokens):
        return None, -1
    np = _read_forward(para, ci + 1) if tokens[ci + 1].word else None
    if np is None:
        return None, -1
    if _is_personal(np):
        return _with_apposed_name(para, np).mention, ci + 1
    return Mention("other", np.mention.text), ci + 1


def _plain_subject(para: _Para, j: int, floor: int) -> tuple[Mention, int]:
    """`the mayor's office said`, `one fan said`: a subject that names nobody."""
    tokens = para.tokens
    if bare(tokens[j].text) in _FUNCTION_WORDS:
        return Mention("other", ""), j
    k = j
    while k > floor and j - k < 4 and tokens[k - 1].word:
        previous = bare(tokens[k - 1].text)
        if previous in _FUNCTION_WORDS and previous not in DETERMINERS:
            break
        k -= 1
        if previous in DETERMINERS:
            break
    text = para.text[tokens[k].start : tokens[j].end]
    return Mention("other", text), k


# --- reading one paragraph -------------------------------------------------------


def _build_para(index: int, text: str, spans: list[_Span], headline: bool) -> _Para:
    tokens = _tokenise(text, spans)
    starts = _split_sentences(tokens)
    para = _Para(index, text, spans, tokens, starts, headline)
    para.quote_tokens = [i for i, t in enumerate(tokens) if t.quote >= 0]
    heads = [-1] * len(starts)
    for i, token in enumerate(tokens):
        if heads[token.sentence] < 0 and (token.word or token.quote >= 0):
            heads[token.sentence] = i
    para.sentence_heads = heads
    para.first_content = next((h for h in heads if h >= 0), -1)
    para.pronouns = [
        i for i, t in enumerate(tokens) if t.word and bare(t.text) in _GENDERED_PRONOUNS
    ]
    return para


def _find_cues(para: _Para) -> None:
    for i in range(len(para.tokens)):
        base = _is_cue(para, i)
        if base is None:
            continue
        mention, start = _cue_subject(para, i)
        para.cues.append(_Cue(i, para.tokens[i].text, base, mention, start))
        para.cue_positions.append(i)


def _title_case_sentence(para: _Para, sentence: int) -> bool:
    """Headlines and link lists capitalise every word; bare names there are unreliable."""
    if sentence not in para.title_case:
        start = para.sentence_starts[sentence]
        end = (
            para.sentence_starts[sentence + 1]
            if sentence + 1 < len(para.sentence_starts)
            else len(para.tokens)
        )
        words = [t.text for t in para.tokens[start + 1 : end] if t.word and len(t.text) > 3]
        flag = len(words) >= 4 and sum(is_capitalised(w) for w in words) >= 0.8 * len(words)
        para.title_case[sentence] = flag
    return para.title_case[sentence]


def _appositive_role(para: _Para, after: int) -> str | None:
    """`Massoud Jazayeri, deputy chief of staff of Iran's Armed Forces, told …`."""
    tokens = para.tokens
    if after >= len(tokens) or tokens[after].text != ",":
        return None
    k = after + 1
    words: list[_Token] = []
    while k < len(tokens) and tokens[k].word and len(words) <= _NP_MAX:
        if words and bare(tokens[k].text) in _RELATIVES:
            break
        words.append(tokens[k])
        k += 1
    if not words or len(words) > _NP_MAX:
        return None
    closed = k >= len(tokens) or tokens[k].text in ",.;" or bare(tokens[k].text) in _RELATIVES
    first = bare(words[0].text)
    if not closed or first in _RELATIVES or first in PRONOUN_GENDER:
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


def _role_before(para: _Para, start: int) -> str | None:
    """`The band's frontman, Jesse Kowalski,`: a role phrase set before the name."""
    if start < 2 or para.tokens[start - 1].text != ",":
        return None
    np = _read_backward(para, start - 2, _sentence_start(para, start - 2))
    if np is None or np.mention.kind != "role":
        return None
    return np.mention.role


def _find_names(para: _Para) -> None:
    """Every named person of the paragraph in order, with the roles stated next to them."""
    tokens = para.tokens
    i = 0
    while i < len(tokens):
        if not _np_ok(para, i):
            i += 1
            continue
        np = _read_forward(para, i)
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
                _title_case_sentence(para, tokens[i].sentence) or before in _POSTMODIFIER_PREPS
            )
            if not skip:
                para.names.append((np.start, np.end, mention))
        elif np.end - np.start == 1 and is_possessive(tokens[np.start].text):
            owner = parse_mention([tokens[np.start].text[:-2]])
            if owner is not None and owner.kind == "name":
                para.names.append((np.start, np.end, replace(owner, role=None)))
        i = max(np.end, i + 1)


# --- attribution -----------------------------------------------------------------


@dataclass
class _Attribution:
    """Who a quote is credited to and how that was decided."""

    person: Person | None
    mention: Mention | None
    cue: str | None
    inferred: bool
    how: str


def _from_cue(cue: _Cue, how: str) -> _Attribution:
    resolution = cue.resolution
    person = resolution.person if resolution else None
    inferred = resolution.inferred if resolution else False
    return _Attribution(person, cue.mention, cue.text, inferred and person is not None, how)


def _is_personal_mention(mention: Mention | None) -> bool:
    return mention is not None and mention.kind in ("name", "role", "pronoun")


def _is_person_cue(cue: _Cue) -> bool:
    return _is_personal_mention(cue.mention)


def _is_source_only(cue: _Cue) -> bool:
    """`…, the BBC reported` credits a news outlet, not the speaker of the quote."""
    return cue.base in _SOURCE_CUES and not _is_person_cue(cue)


def _cue_at(para: _Para, index: int) -> _Cue | None:
    k = bisect_left(para.cue_positions, index)
    if k < len(para.cue_positions) and para.cue_positions[k] == index:
        return para.cues[k]
    return None


def _next_word(para: _Para, qi: int) -> int:
    k = qi + 1
    tokens = para.tokens
    while k < len(tokens) and k <= qi + 3 and not tokens[k].word and tokens[k].quote < 0:
        if tokens[k].text not in ",—–-;:":
            return -1
        k += 1
    return k if k < len(tokens) and tokens[k].word else -1


def _short_tail(para: _Para, cue: _Cue) -> bool:
    """After a quote closed by a full stop, only a short `Kerry told reporters.` attributes."""
    tokens = para.tokens
    sentence = tokens[cue.index].sentence
    k = cue.index + 1
    while k < len(tokens) and tokens[k].sentence == sentence and k - cue.index <= 8:
        if tokens[k].text.casefold() == "that" or tokens[k].quote >= 0:
            return False
        k += 1
    return k >= len(tokens) or tokens[k].sentence != sentence


def _after_quote(para: _Para, qi: int) -> _Attribution | None:
    """`"…," Kerry said.` / `"…," said Kerry.` / `"…," according to Kerry.`"""
    k = _next_word(para, qi)
    if k < 0:
        return None
    cue = _cue_at(para, k)
    if cue is None:
        first = bisect_left(para.cue_positions, k)
        following = para.cues[first : first + 2]
        cue = next((c for c in following if c.subject_start == k), None)
    if cue is None or _is_source_only(cue):
        return None
    closed_by_stop = para.tokens[qi].text.rstrip()[-1:] == "."
    next_sentence = para.tokens[k].sentence != para.tokens[qi].sentence
    if closed_by_stop and next_sentence and not _short_tail(para, cue):
        return None
    return _from_cue(cue, "after")


def _sentence_cues(para: _Para, qi: int) -> tuple[list[_Cue], list[_Cue]]:
    """Cues of the quote's sentence before and after it, nearest first (bounded)."""
    sentence = para.tokens[qi].sentence
    k = bisect_left(para.cue_positions, qi)
    before = []
    for cue in reversed(para.cues[max(0, k - 4) : k]):
        if para.tokens[cue.index].sentence == sentence and qi - cue.index <= 3 * _WINDOW:
            before.append(cue)
    after = []
    for cue in para.cues[k : k + 4]:
        if para.tokens[cue.index].sentence == sentence and cue.index - qi <= _WINDOW:
            after.append(cue)
    return before, after


def _colon_intro(para: _Para, qi: int, registry: PersonRegistry, pos: int) -> _Attribution | None:
    """`Kerry: "…"` (headline style): a bare name and a colon introduce the quote."""
    tokens = para.tokens
    if qi < 2 or tokens[qi - 1].text != ":":
        return None
    np = _read_backward(para, qi - 2, _sentence_start(para, qi))
    if np is None or np.start != _sentence_start(para, qi) or np.mention.kind != "name":
        return None
    mention = np.mention
    resolution = registry.resolve(mention, pos)
    return _Attribution(resolution.person, mention, None, False, "colon")


def _sign_text(para: _Para, qi: int) -> _Attribution | None:
    """`A banner read "…"`, `placards reading "…"`: written words nobody is quoted as saying."""
    prev = para.tokens[qi - 1] if qi > 0 else None
    if prev is None or not prev.word or prev.text.casefold() not in _SIGN_VERBS:
        return None
    return _Attribution(None, Mention("other", ""), prev.text, False, "sign")


def _explicit(para: _Para, qi: int, registry: PersonRegistry, pos: int) -> _Attribution | None:
    """Attribution from the quote's own sentence, in order of reliability."""
    sign = _sign_text(para, qi)
    if sign is not None:
        return sign
    adjacent = _after_quote(para, qi)
    named = adjacent is not None and _is_personal_mention(adjacent.mention)
    if adjacent is not None and (named or _sentence_initial(para, qi)):
        return adjacent
    before, after = _sentence_cues(para, qi)
    for cue in before:
        if not _is_source_only(cue) and (adjacent is None or _is_person_cue(cue)):
            return _from_cue(cue, "before")
    if adjacent is not None:
        return adjacent
    for cue in after:
        if _is_person_cue(cue):
            return _from_cue(cue, "sentence")
    return _colon_intro(para, qi, registry, pos)


def _sentence_initial(para: _Para, qi: int) -> bool:
    return para.sentence_heads[para.tokens[qi].sentence] == qi


def _last_speaker(para: _Para, results: dict[tuple[int, int], _Attribution]) -> _Attribution:
    """Who a following stand-alone quote paragraph continues: the last one to speak here.

    A paragraph ending in a colon (`Kerry then said:`) hands over to its last cue's
    subject even when it quoted someone else before.
    """
    introduces = bool(para.tokens) and para.tokens[-1].text == ":"
    for cue in reversed(para.cues if introduces else []):
        if _is_person_cue(cue) and cue.resolution is not None and cue.resolution.person:
            return _Attribution(cue.resolution.person, cue.mention, None, True, "continued")
    for qi in reversed(para.quote_tokens):
        found = results.get((para.index, qi))
        if found is not None and found.how != "none":
            return _Attribution(found.person, found.mention, None, True, "continued")
    for cue in reversed(para.cues):
        if _is_person_cue(cue) and cue.resolution is not None and cue.resolution.person:
            return _Attribution(cue.resolution.person, cue.mention, None, True, "continued")
    return _Attribution(None, None, None, False, "none")


def _continued(
    para: _Para,
    qi: int,
    previous: _Para | None,
    results: dict[tuple[int, int], _Attribution],
) -> _Attribution:
    """A quote opening its sentence with no cue continues the last speaker's remarks."""
    q = bisect_left(para.quote_tokens, qi)
    earlier_quote = para.quote_tokens[q - 1] if q > 0 else -1
    c = bisect_left(para.cue_positions, qi)
    earlier_cue = next(
        (cue for cue in reversed(para.cues[max(0, c - 4) : c]) if _is_person_cue(cue)), None
    )
    person = earlier_cue.resolution.person if earlier_cue and earlier_cue.resolution else None
    if earlier_cue is not None and person is not None and earlier_cue.index > earlier_quote:
        return _Attribution(person, earlier_cue.mention, None, True, "continued")
    found = results.get((para.index, earlier_quote))
    if found is not None and found.how != "none":
        return _Attribution(found.person, found.mention, None, True, "continued")
    if previous is not None and para.first_content == qi:
        return _last_speaker(previous, results)
    return _Attribution(None, None, None, False, "none")


# --- kinds ---------------------------------------------------------------------


def _is_title_case(words: Sequence[str]) -> bool:
    small = {"of", "the", "and", "a", "an", "in", "on", "for", "to", "at", "by", "with"}
    content = [w for w in words if w not in small]
    return bool(content) and all(w[:1].isupper() or not w[:1].isalpha() for w in content)


def _introduced_as_title(para: _Para, qi: int) -> bool:
    """`the book "…"`, `dubbed "…"`, `known as "…"`: a name or title, not a statement."""
    k = qi - 1
    seen = 0
    while k >= 0 and seen < 3:
        token = para.tokens[k]
        if token.quote >= 0:
            return False
        if token.word:
            low = bare(token.text)
            if low in _TITLE_INTRO:
                return True
            if low == "as" and k > 0 and bare(para.tokens[k - 1].text) == "known":
                return True
            if low not in {"the", "a", "an", "its", "his", "her", "their", "new"}:
                return False
            seen += 1
        k -= 1
    return False


def _cue_then_punct(para: _Para, qi: int) -> bool:
    """`he said, "…"`, `Kerry told reporters: "…"`: the quote is the whole statement."""
    tokens = para.tokens
    if qi == 0 or tokens[qi - 1].text not in ",:":
        return False
    floor = max(para.sentence_starts[tokens[qi].sentence], qi - 6)
    return any(_is_cue(para, k) for k in range(floor, qi - 1))


def _colon_sentence(para: _Para, qi: int) -> bool:
    """`The report opens with an epigraph: "A reef is …."`: a colon introduces a sentence."""
    text = para.tokens[qi].text.strip()
    if qi == 0 or para.tokens[qi - 1].text != ":" or not text[:1].isupper():
        return False
    return text[-1:] in tuple(_TERMINAL) and len(text.split()) >= 3


def _ends_its_sentence(para: _Para, qi: int) -> bool:
    tokens = para.tokens
    k = qi + 1
    while k < len(tokens) and not tokens[k].word and tokens[k].quote < 0:
        k += 1
    return k >= len(tokens) or tokens[k].sentence != tokens[qi].sentence


def _kind(para: _Para, qi: int, found: _Attribution) -> QuoteKind:
    """Direct (whole statement), partial (fragment in reported speech) or optional."""
    text = para.tokens[qi].text
    words = fold_quotes(text).split()
    span = para.spans[para.tokens[qi].quote]
    if para.headline or len(normalize(text).split()) <= 1:
        return "optional"
    if found.how == "sign" or _colon_sentence(para, qi):
        return "direct"
    has_stop = text.rstrip()[-1:] in tuple(_TERMINAL) or any(
        w.endswith((".", "?", "!")) for w in words[:-1]
    )
    if _introduced_as_title(para, qi) or (_is_title_case(words) and not has_stop):
        return "optional"
    if span.continues or _sentence_initial(para, qi):
        return "direct"
    if found.how == "none" or (found.mention is None and found.how != "colon"):
        return "optional"
    if _cue_then_punct(para, qi) or found.how == "colon":
        return "direct"
    prev = para.tokens[qi - 1] if qi > 0 else None
    if (
        prev is not None
        and prev.word
        and _is_cue(para, qi - 1)
        and _ends_its_sentence(para, qi)
        and text.rstrip()[-1:] in tuple(_TERMINAL)
    ):
        return "direct"
    return "partial"


# --- the article -----------------------------------------------------------------


def _common_words(paragraphs: Sequence[str]) -> set[str]:
    """Words the article writes in lower case (quotes included): not names at a sentence start."""
    return {w for text in paragraphs for w in _LETTERS_RE.findall(text) if w.islower()}


def _register(paras: Sequence[_Para], registry: PersonRegistry) -> None:
    """First pass: every multi-word name in the article, with the roles stated for it."""
    for para in paras:
        base = para.index * _STRIDE
        for start, _, mention in para.names:
            registry.register(mention, base + start)
        for cue in para.cues:
            if cue.mention is not None and cue.mention.kind == "name":
                registry.register(cue.mention, base + cue.index)


def _learn_gender(
    para: _Para, end: int, next_name: int, person: Person, registry: PersonRegistry
) -> None:
    """The first he/his or she/her after a name, before any other name, tells its gender."""
    k = bisect_left(para.pronouns, end)
    if k >= len(para.pronouns):
        return
    index = para.pronouns[k]
    if index < next_name and para.tokens[index].sentence == para.tokens[end - 1].sentence:
        registry.learn_gender(person, _GENDERED_PRONOUNS[bare(para.tokens[index].text)])


def _resolve_cues(para: _Para, registry: PersonRegistry) -> None:
    """Second pass, in reading order: names seen, cue subjects resolved, speakers noted."""
    base = para.index * _STRIDE
    events: list[tuple[int, int, int]] = []
    for n, (start, _end, _mention) in enumerate(para.names):
        events.append((start, 0, n))
    for c, cue in enumerate(para.cues):
        events.append((cue.index, 1, c))
    events.sort()
    for index, kind, item in events:
        pos = base + index
        if kind == 0:
            start, end, mention = para.names[item]
            person = registry.resolve(mention, pos).person
            if person is not None:
                registry.see(person, pos)
                nxt = para.names[item + 1][0] if item + 1 < len(para.names) else len(para.tokens)
                _learn_gender(para, end, nxt, person, registry)
            continue
        cue = para.cues[item]
        if cue.mention is None:
            continue
        cue.resolution = registry.resolve(cue.mention, pos)
        if cue.resolution.person is not None:
            registry.see(cue.resolution.person, pos)


def _to_quote(para: _Para, qi: int, found: _Attribution, kind: QuoteKind) -> Quote:
    span = para.spans[para.tokens[qi].quote]
    person = found.person
    mention = found.mention
    role = person.role if person is not None else None
    if role is None and mention is not None:
        role = mention.role
    shown = mention.text if mention is not None and mention.text else None
    return Quote(
        quote=para.text[span.start : span.end],
        kind=kind,
        speaker=person.name if person is not None else None,
        speaker_mention=shown,
        role=role,
        cue=found.cue,
        paragraph=para.index,
        start=span.start,
        end=span.end,
        inferred=found.inferred and person is not None,
    )


def _group_tail(paras: Sequence[_Para], p: int, qi: int) -> tuple[_Para, int]:
    """The last paragraph piece of a quote that runs on across paragraphs."""
    para = paras[p]
    while para.spans[para.tokens[qi].quote].open_end and para.index + 1 < len(paras):
        nxt = paras[para.index + 1]
        if not nxt.quote_tokens or not nxt.spans[nxt.tokens[nxt.quote_tokens[0]].quote].continues:
            break
        para, qi = nxt, nxt.quote_tokens[0]
    return para, qi


def _attribute_body(paras: Sequence[_Para], registry: PersonRegistry) -> list[Quote]:
    results: dict[tuple[int, int], _Attribution] = {}
    quotes: list[Quote] = []
    for para in paras:
        previous = paras[para.index - 1] if para.index > 0 else None
        for qi in para.quote_tokens:
            span = para.spans[para.tokens[qi].quote]
            pos = para.index * _STRIDE + qi
            if span.continues and previous is not None and previous.quote_tokens:
                head = results.get((previous.index, previous.quote_tokens[-1]))
                if head is not None and previous.spans[-1].open_end:
                    results[(para.index, qi)] = head
                    quotes.append(_to_quote(para, qi, head, "direct"))
                    continue
            tail_para, tail_qi = _group_tail(paras, para.index, qi)
            found = _after_quote(tail_para, tail_qi) if tail_para is not para else None
            found = found or _explicit(para, qi, registry, pos)
            if found is None and _sentence_initial(para, qi) and _ends_its_sentence(para, qi):
                found = _continued(para, qi, previous, results)
            found = found or _Attribution(None, None, None, False, "none")
            results[(para.index, qi)] = found
            quotes.append(_to_quote(para, qi, found, _kind(para, qi, found)))
    return quotes


def _headline_quotes(headline: str, registry: PersonRegistry) -> list[Quote]:
    """Headline quotes are kept apart (paragraph -1) and never count as statements."""
    spans, _ = _double_spans(headline, False)
    spans = sorted(spans + _single_spans(headline, spans), key=lambda s: s.outer_start)
    para = _build_para(-1, headline, spans, headline=True)
    _find_cues(para)
    for cue in para.cues:
        if cue.mention is not None:
            cue.resolution = registry.resolve(cue.mention, 10**15)
    quotes = []
    for qi in para.quote_tokens:
        found = _explicit(para, qi, registry, 10**15) or _Attribution(None, None, None, False, "")
        quotes.append(_to_quote(para, qi, found, "optional"))
    return quotes


def extract_quotes(paragraphs: Sequence[str], headline: str | None = None) -> list[Quote]:
    """Every quote in the article with its kind, canonical speaker and exact offsets.

    Headline quotes come first with paragraph -1 and kind `optional`; body quotes
    follow in reading order.
    """
    all_spans = _paragraph_spans(paragraphs)
    paras = [_build_para(i, text, all_spans[i], False) for i, text in enumerate(paragraphs)]
    common = _common_words(paragraphs)
    for para in paras:
        para.common = common
        _find_cues(para)
        _find_names(para)
    registry = PersonRegistry()
    _register(paras, registry)
    for para in paras:
        _resolve_cues(para, registry)
    body = _attribute_body(paras, registry)
    head = _headline_quotes(headline, registry) if headline else []
    return head + body


def read_text_document(text: str) -> tuple[str | None, list[str]]:
    """A plain-text article: first non-empty line the headline, later lines paragraphs."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return None, []
    return lines[0], lines[1:]
