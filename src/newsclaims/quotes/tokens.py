"""Words and punctuation outside the quotes, split into sentences.

Each quote becomes a single token, so the rules after this see `Kerry said,
"…"` as four tokens whatever the quote holds, and a quote's own full stop can
end the sentence it stands in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsclaims.quotes.marks import QuoteSpan
from newsclaims.speakers.lexicon import read_words
from newsclaims.speakers.words import is_capitalised

_TOKEN_RE = re.compile(r"\w[\w.'’\-]*|[^\w\s]")
_ABBREVIATIONS = read_words("newsclaims.quotes", "abbreviations.txt")
TERMINAL = frozenset(".!?…")
_TRAILING = frozenset(".'’-")
"""Marks that end a sentence."""


@dataclass(slots=True)
class Token:
    """A word, a punctuation mark, or a whole quote (`quote` is its span's index)."""

    text: str
    start: int
    end: int
    word: bool
    quote: int = -1
    sentence: int = 0


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
        if not word[0].isalnum() and word[0] != "_":
            append(Token(word, pos, stop, False))
            continue
        if word[-1] not in _TRAILING:
            append(Token(word, pos, stop, True))
            continue
        trimmed = word
        while trimmed[-1] in "'’-" or (trimmed[-1] == "." and not _keeps_dot(trimmed)):
            trimmed = trimmed[:-1]
        append(Token(trimmed, pos, pos + len(trimmed), True))
        for k in range(pos + len(trimmed), stop):
            append(Token(text[k], k, k + 1, False))
    return tokens


def tokenise(text: str, spans: Sequence[QuoteSpan]) -> list[Token]:
    """Words and punctuation outside quotes; each quote becomes one token."""
    tokens: list[Token] = []
    cursor = 0
    for index, span in enumerate(spans):
        tokens.extend(_word_tokens(text, cursor, span.outer_start))
        tokens.append(Token(text[span.start : span.end], span.outer_start, span.outer_end, False))
        tokens[-1].quote = index
        cursor = span.outer_end
    tokens.extend(_word_tokens(text, cursor, len(text)))
    return tokens


def ends_with_stop(text: str) -> bool:
    """A quote (or sentence) whose last character is a full stop, `!`, `?` or `…`."""
    return text[-1:] in TERMINAL


def _ends_sentence(token: Token, nxt: Token) -> bool:
    if token.quote >= 0:
        ends = ends_with_stop(token.text.rstrip("\"'”’»)] "))
    else:
        ends = not token.word and token.text in TERMINAL
    if not ends:
        return False
    return nxt.quote >= 0 or is_capitalised(nxt.text) or nxt.text[:1].isdigit() or nxt.text == "("


def split_sentences(tokens: list[Token]) -> list[int]:
    """Mark each token with its sentence number; returns each sentence's first index."""
    starts = [0]
    for i, token in enumerate(tokens):
        token.sentence = len(starts) - 1
        if i + 1 < len(tokens) and _ends_sentence(token, tokens[i + 1]):
            starts.append(i + 1)
    return starts
