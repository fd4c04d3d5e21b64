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
from newsclaims.quotes.wordclass import CAPITAL, PRONOUN, mark_flags, quote_flags, word_flags
from newsclaims.speakers.lexicon import read_words
from newsclaims.speakers.words import is_capitalised

_SPACED_TOKEN_RE = re.compile(r"(\s*)(?:(\w[\w.'’\-]*)|([^\w\s]))")
"""The white space before a token, then a word (group 2) or one punctuation mark (group 3).
Read by `findall` (tuples, no match objects: 20 % less for the tokeniser); a token's offset
is the sum of the lengths before it, since only white space lies between two tokens."""
_ABBREVIATIONS = read_words("newsclaims.quotes", "abbreviations.txt")
TERMINAL = frozenset(".!?…")
"""Marks that end a sentence."""
_TRAILING = frozenset(".'’-")
QUOTE_CLOSERS = "\"'”’»)] "
"""What may follow a quote's final full stop (`…."`, `….)`)."""


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


@dataclass(slots=True)
class Tokenised:
    """A paragraph's tokens and the positions every later pass looks up."""

    tokens: list[Token]
    sentence_starts: list[int]
    """Each sentence's first token."""
    sentence_heads: list[int]
    """Each sentence's first word or quote (-1: none)."""
    quote_tokens: list[int]
    pronouns: list[int]
    """Gendered pronouns (`he`, `her`)."""
    capitals: list[int]
    """Words holding a capital, as every name does."""


_NOTED = PRONOUN | CAPITAL


def _opens_sentence(text: str) -> bool:
    """After a terminal mark, a capital, a digit or a bracket starts a new sentence."""
    return text[:1].isupper() or text[:1].isdigit() or text == "("


def tokenise(text: str, spans: Sequence[QuoteSpan]) -> Tokenised:
    """Words and punctuation outside quotes, each quote one token, split into sentences.

    One pass: a sentence ends after a terminal mark (or a quote ending in one)
    followed by a capital, a digit, a bracket or a quote.
    """
    tokens: list[Token] = []
    append = tokens.append
    starts = [0]
    heads = [-1]
    quotes: list[int] = []
    pronouns: list[int] = []
    capitals: list[int] = []
    sentence = 0
    ended = False
    headed = False  # the sentence has its first word or quote
    cursor = 0
    for index in range(len(spans) + 1):
        span = spans[index] if index < len(spans) else None
        pos = cursor
        for space, word, mark in _SPACED_TOKEN_RE.findall(
            text, cursor, span.outer_start if span else len(text)
        ):
            pos += len(space)
            if mark:
                if ended and _opens_sentence(mark):
                    sentence += 1
                    starts.append(len(tokens))
                    heads.append(-1)
                    headed = False
                append(Token(mark, pos, pos + 1, False, -1, sentence, mark_flags(mark)))
                ended = mark in TERMINAL
                pos += 1
                continue
            if ended and _opens_sentence(word):
                sentence += 1
                starts.append(len(tokens))
                heads.append(-1)
                headed = False
            end = pos + len(word)
            trimmed = word
            if word[-1] in _TRAILING:
                while trimmed[-1] in "'’-" or (trimmed[-1] == "." and not _keeps_dot(trimmed)):
                    trimmed = trimmed[:-1]
            flags = word_flags(trimmed)
            if not headed:
                heads[sentence] = len(tokens)
                headed = True
            if flags & _NOTED:
                if flags & PRONOUN:
                    pronouns.append(len(tokens))
                if flags & CAPITAL:
                    capitals.append(len(tokens))
            ended = False
            if trimmed is word:
                append(Token(word, pos, end, True, -1, sentence, flags))
                pos = end
                continue
            append(Token(trimmed, pos, pos + len(trimmed), True, -1, sentence, flags))
            for k in range(pos + len(trimmed), end):
                mark = text[k]
                if ended and _opens_sentence(mark):
                    sentence += 1
                    starts.append(len(tokens))
                    heads.append(-1)
                    headed = False
                append(Token(mark, k, k + 1, False, -1, sentence, mark_flags(mark)))
                ended = mark in TERMINAL
            pos = end
        if span is None:
            break
        if ended:
            sentence += 1
            starts.append(len(tokens))
            heads.append(-1)
            headed = False
        if not headed:
            heads[sentence] = len(tokens)
            headed = True
        quotes.append(len(tokens))
        quote = text[span.start : span.end]
        append(
            Token(
                quote, span.outer_start, span.outer_end, False, index, sentence, quote_flags(quote)
            )
        )
        ended = ends_with_stop(quote.rstrip(QUOTE_CLOSERS))
        cursor = span.outer_end
    return Tokenised(tokens, starts, heads, quotes, pronouns, capitals)


def ends_with_stop(text: str) -> bool:
    """A quote (or sentence) whose last character is a full stop, `!`, `?` or `…`."""
    return text[-1:] in TERMINAL
