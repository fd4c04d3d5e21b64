"""What kind of quote it is: a whole statement, a fragment, or optional words.

`direct` quotes stand as statements (`he said, "…"`), `partial` ones are words
lifted into reported speech, and `optional` ones (scare quotes, titles, single
words, headlines) are never counted as statements.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsclaims.quotes.attribution import Attribution
from newsclaims.quotes.cues import is_cue
from newsclaims.quotes.paragraph import Para, ends_its_sentence, sentence_initial, sentence_start
from newsclaims.quotes.tokens import ends_with_stop
from newsclaims.records import QuoteKind
from newsclaims.speakers.lexicon import read_words
from newsclaims.speakers.words import bare, is_capitalised, is_title_case
from newsclaims.text import fold_quotes, normalize

_TITLE_INTRO = read_words("newsclaims.quotes", "title_intro.txt")
_TITLE_SMALL_WORDS = frozenset(
    {"of", "the", "and", "a", "an", "in", "on", "for", "to", "at", "by", "with"}
)
_TITLE_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "new"})


def _is_title(words: Sequence[str]) -> bool:
    """`Fire and Fury`, `The Art of the Deal`: every word but the small ones capitalised."""
    content = [w for w in words if w not in _TITLE_SMALL_WORDS]
    return bool(content) and is_title_case([w for w in content if w[:1].isalpha()])


def _introduced_as_title(para: Para, qi: int) -> bool:
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
            if low not in _TITLE_DETERMINERS:
                return False
            seen += 1
        k -= 1
    return False


def _cue_then_punct(para: Para, qi: int) -> bool:
    """`he said, "…"`, `Kerry told reporters: "…"`: the quote is the whole statement."""
    tokens = para.tokens
    if qi == 0 or tokens[qi - 1].text not in ",:":
        return False
    floor = max(sentence_start(para, qi), qi - 6)
    return any(is_cue(para, k) for k in range(floor, qi - 1))


def _colon_sentence(para: Para, qi: int) -> bool:
    """`The report opens with an epigraph: "A reef is …."`: a colon introduces a sentence."""
    text = para.tokens[qi].text.strip()
    if qi == 0 or para.tokens[qi - 1].text != ":" or not is_capitalised(text):
        return False
    return ends_with_stop(text) and len(text.split()) >= 3


def quote_kind(para: Para, qi: int, found: Attribution) -> QuoteKind:
    """Direct (whole statement), partial (fragment in reported speech) or optional."""
    text = para.tokens[qi].text
    words = fold_quotes(text).split()
    span = para.spans[para.tokens[qi].quote]
    if para.headline or len(normalize(text).split()) <= 1:
        return "optional"
    if found.how == "sign" or _colon_sentence(para, qi):
        return "direct"
    has_stop = ends_with_stop(text.rstrip()) or any(w.endswith((".", "?", "!")) for w in words[:-1])
    if _introduced_as_title(para, qi) or (_is_title(words) and not has_stop):
        return "optional"
    if span.continues or sentence_initial(para, qi):
        return "direct"
    if found.how == "none" or (found.mention is None and found.how != "colon"):
        return "optional"
    if _cue_then_punct(para, qi) or found.how == "colon":
        return "direct"
    prev = para.tokens[qi - 1] if qi > 0 else None
    if (
        prev is not None
        and prev.word
        and is_cue(para, qi - 1)
        and ends_its_sentence(para, qi)
        and ends_with_stop(text.rstrip())
    ):
        return "direct"
    return "partial"
