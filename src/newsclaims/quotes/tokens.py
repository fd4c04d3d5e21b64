"""Words and punctuation outside the quotes, each with its `wordclass` bits.

Each quote becomes a single token, so the rules after this see `Kerry said,
"…"` as four tokens whatever the quote holds, and a quote's own full stop can
end the sentence it stands in (`paragraph.build_para` splits the sentences).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsclaims.quotes.marks import QuoteSpan
from newsclaims.quotes.wordclass import mark_flags, quote_flags, word_flags
from newsclaims.speakers.lexicon import read_words
from newsclaims.speakers.words import is_capitalised

_TOKEN_RE = re.compile(r"(\w[\w.'’\-]*)|[^\w\s]")
"""A word (group 1) or one punctuation mark."""
_ABBREVIATIONS = read_words("newsclaims.quotes", "abbreviations.txt")
TERMINAL = frozenset(".!?…")
"""Marks that end a sentence."""
_TRAILING = frozenset(".'’-")


@dataclass(slots=True)
class Token:
    """A word, a punctuation mark, or a whole quote (`quote` is its span's index)."""

    text: str
    start: int
    end: int
    word: bool
    quote: int = -1
    sentence: int = 0
    flags: int = 0
    """What `wordclass` answers of its text."""


def _keeps_dot(word: str) -> bool:
    """`U.S.`, `Mr.`, `J.` keep their dot; a sentence-final dot is punctuation."""
    core = word[:-1]
    return (
        "." in core
        or core.casefold() in _ABBREVIATIONS
        or (len(core) == 1 and is_capitalised(core))
    )


def _word_tokens(text: str, start: int, end: int) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN_RE.finditer(text, start, end):
        word = match.group()
        pos, stop = match.span()
        if match.lastindex is None:
            append(Token(word, pos, stop, False, -1, 0, mark_flags(word)))
            continue
        if word[-1] not in _TRAILING:
            append(Token(word, pos, stop, True, -1, 0, word_flags(word)))
            continue
        trimmed = word
        while trimmed[-1] in "'’-" or (trimmed[-1] == "." and not _keeps_dot(trimmed)):
            trimmed = trimmed[:-1]
        append(Token(trimmed, pos, pos + len(trimmed), True, -1, 0, word_flags(trimmed)))
        for k in range(pos + len(trimmed), stop):
            append(Token(text[k], k, k + 1, False, -1, 0, mark_flags(text[k])))
    return tokens


def tokenise(text: str, spans: Sequence[QuoteSpan]) -> list[Token]:
    """Words and punctuation outside quotes; each quote becomes one token."""
    tokens: list[Token] = []
    cursor = 0
    for index, span in enumerate(spans):
        tokens.extend(_word_tokens(text, cursor, span.outer_start))
        quote = text[span.start : span.end]
        flags = quote_flags(quote)
        tokens.append(Token(quote, span.outer_start, span.outer_end, False, index, 0, flags))
        cursor = span.outer_end
    tokens.extend(_word_tokens(text, cursor, len(text)))
    return tokens


def ends_with_stop(text: str) -> bool:
    """A quote (or sentence) whose last character is a full stop, `!`, `?` or `…`."""
    return text[-1:] in TERMINAL


QUOTE_CLOSERS = "\"'”’»)] "
"""What may follow a quote's final full stop (`…."`, `….)`)."""
