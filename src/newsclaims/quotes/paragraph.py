"""One paragraph as every later rule reads it: tokens, sentences, cues, names.

The passes over an article fill these records in turn (cues and names first,
then attribution), and keep sorted positions so each look-up is a bisection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsclaims.quotes.marks import QuoteSpan
from newsclaims.quotes.tokens import Token, tokenise
from newsclaims.speakers.mentions import Mention
from newsclaims.speakers.registry import Resolution


@dataclass
class Cue:
    """A cue verb and its subject as read off the text (before resolution)."""

    index: int
    text: str
    base: str
    mention: Mention | None
    subject_start: int
    resolution: Resolution | None = None


@dataclass
class Para:
    """A paragraph (the headline is paragraph -1) with what the passes found in it."""

    index: int
    text: str
    spans: list[QuoteSpan]
    tokens: list[Token]
    sentence_starts: list[int]
    headline: bool
    common: set[str] = field(default_factory=set)
    cues: list[Cue] = field(default_factory=list)
    cue_positions: list[int] = field(default_factory=list)
    names: list[tuple[int, int, Mention]] = field(default_factory=list)
    """People and organisations named, in order: (first token, end token, mention)."""
    aliases: dict[int, str] = field(default_factory=dict)
    """`… Chemical Weapons (OPCW)`: the acronym after the organisation named at a token."""
    pronouns: list[int] = field(default_factory=list)
    capitals: list[int] = field(default_factory=list)
    """Words holding a capital, as every name does."""
    quote_tokens: list[int] = field(default_factory=list)
    sentence_heads: list[int] = field(default_factory=list)
    """Each sentence's first word or quote (-1: none)."""
    first_content: int = -1
    title_case: dict[int, bool] = field(default_factory=dict)


def build_para(index: int, text: str, spans: list[QuoteSpan], headline: bool) -> Para:
    """Tokens, sentences, quote tokens, pronouns and capitals of one paragraph."""
    t = tokenise(text, spans)
    para = Para(index, text, spans, t.tokens, t.sentence_starts, headline)
    para.sentence_heads = t.sentence_heads
    para.quote_tokens = t.quote_tokens
    para.pronouns = t.pronouns
    para.capitals = t.capitals
    para.first_content = next((h for h in t.sentence_heads if h >= 0), -1)
    return para


def sentence_start(para: Para, i: int) -> int:
    """Index of the first token of token i's sentence."""
    return para.sentence_starts[para.tokens[i].sentence]


def sentence_initial(para: Para, qi: int) -> bool:
    """Whether token qi is its sentence's first word or quote."""
    return para.sentence_heads[para.tokens[qi].sentence] == qi


def ends_its_sentence(para: Para, qi: int) -> bool:
    """Whether only punctuation follows token qi in its sentence."""
    tokens = para.tokens
    k = qi + 1
    while k < len(tokens) and not tokens[k].word and tokens[k].quote < 0:
        k += 1
    return k >= len(tokens) or tokens[k].sentence != tokens[qi].sentence
