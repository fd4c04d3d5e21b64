"""Cue verbs: the words (`said`, `told`, `according to`) that introduce a speaker.

The verbs are listed once as base forms in ``data/`` and inflected here, then
forms that read as nouns in news copy (`claims`, `remarks`) are dropped, so a
new verb needs one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsclaims.speakers.lexicon import read_lines, read_words

if TYPE_CHECKING:  # `wordclass` reads the cue table while paragraphs are being built
    from newsclaims.quotes.paragraph import Para

WINDOW = 60
"""How many tokens a cue looks back for its subject, and a quote for its cue."""

_PACKAGE = "newsclaims.quotes"
_BASE_CUES_KEPT = read_words(_PACKAGE, "cue_bases_kept.txt")
_NOUN_LIKE_FORMS = read_words(_PACKAGE, "cue_noun_forms.txt")
INVERTIBLE = read_words(_PACKAGE, "cue_invertible.txt")
"""Cues that may precede their subject (`"…," said Kerry`); `told` never does."""
SOURCE_CUES = frozenset({"report", "according"})
"""Cues that often credit an outlet or a document rather than a speaker."""


def _inflections(base: str) -> tuple[str, ...]:
    if base.endswith("e"):
        return base, base + "s", base + "d", base[:-1] + "ing"
    if base.endswith("y") and base[-2] not in "aeiou":
        return base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"
    if base.endswith(("sh", "ch", "ss", "x")):
        return base, base + "es", base + "ed", base + "ing"
    return base, base + "s", base + "ed", base + "ing"


def _irregular() -> dict[str, list[str]]:
    """`base: form form …` lines: verbs whose forms are listed rather than derived."""
    table: dict[str, list[str]] = {}
    for line in read_lines(_PACKAGE, "cue_irregular.txt"):
        base, _, forms = line.partition(":")
        table[base.strip()] = forms.split()
    return table


def _cue_lexicon() -> dict[str, str]:
    """Every inflected cue form mapped to its base verb, minus forms that read as nouns."""
    lexicon: dict[str, str] = {}
    for base in read_lines(_PACKAGE, "cue_verbs.txt"):
        for form in _inflections(base):
            lexicon[form] = base
    for base, forms in _irregular().items():
        for form in forms:
            lexicon[form] = base
    for form, base in list(lexicon.items()):
        if (form == base and base not in _BASE_CUES_KEPT) or form in _NOUN_LIKE_FORMS:
            del lexicon[form]
    return lexicon


CUES = _cue_lexicon()
"""Cue form (lower case) to base verb."""


def is_cue(para: Para, i: int) -> str | None:
    """The base verb if token i is a cue; capitalised forms only count in headlines."""
    token = para.tokens[i]
    if not token.word:
        return None
    low = token.text.casefold()
    if low not in CUES and low not in ("according", "put"):
        return None
    if low in ("according", "put"):
        # `according to X`; `as X put it, "…"`
        nxt = para.tokens[i + 1] if i + 1 < len(para.tokens) else None
        follows = "to" if low == "according" else "it"
        return low if nxt is not None and nxt.text.casefold() == follows else None
    if not para.headline and token.text != low and not _opens_inversion(para, i):
        return None
    return CUES.get(low)


def _opens_inversion(para: Para, i: int) -> bool:
    """`Said Ellis: "…"`: a capitalised cue that opens its sentence before a name."""
    tokens = para.tokens
    if para.sentence_heads[tokens[i].sentence] != i or i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    return nxt.word and nxt.text[:1].isupper() and CUES.get(tokens[i].text.casefold()) in INVERTIBLE
