"""The matching form of a sentence: what outlets vary without changing the statement.

Case, quote marks, contractions, bracketed insertions, ellipses, initialisms,
digit grouping and punctuation are erased, so that two outlets' wordings of one
statement compare equal word for word.
"""

from __future__ import annotations

import re

from newsclaims.text import normalize

_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_ELLIPSIS = re.compile(r"\.(?:\s*\.){2,}")
_INITIALISM = re.compile(r"\b(?:\w\.){2,}")
_DIGIT_GROUP = re.compile(r"(?<=\d),(?=\d{3}\b)")
_PUNCTUATION = re.compile(r"(?!(?<=\d)\.(?=\d))[^\w\s]|_")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_WHOLE_CONTRACTIONS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "ain't": "is not",
    "let's": "let us",
}
_IS_CONTRACTIONS = frozenset(
    {"it", "that", "there", "here", "what", "who", "where", "how", "he", "she", "this"}
)
_SUFFIX_CONTRACTIONS = (
    ("n't", " not"),
    ("'re", " are"),
    ("'ve", " have"),
    ("'ll", " will"),
    ("'m", " am"),
    ("'d", " would"),
)
_CONTRACTION = re.compile(r"\b\w+'\w+\b|\bcannot\b")


def _expand_contraction(word: str) -> str:
    """``we're`` → ``we are``; possessive ``'s`` is left for the apostrophe rule."""
    if word in _WHOLE_CONTRACTIONS:
        return _WHOLE_CONTRACTIONS[word]
    stem, _, suffix = word.rpartition("'")
    if suffix == "s" and stem in _IS_CONTRACTIONS:
        return f"{stem} is"
    for ending, expansion in _SUFFIX_CONTRACTIONS:
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)] + expansion
    return word


def match_form(sentence: str) -> str:
    """The form sentences are matched on: what outlets vary without changing the statement.

    Bracketed and parenthetical insertions are editorial (``[Arab term for Islamic
    State]``, ``(Syria)``), so they go before ``normalize`` strips edge brackets.
    """
    text = normalize(_BRACKETED.sub(" ", sentence))
    text = _ELLIPSIS.sub(" ", text)
    text = _INITIALISM.sub(lambda m: m.group().replace(".", ""), text)
    text = _CONTRACTION.sub(lambda m: _expand_contraction(m.group()), text)
    text = _DIGIT_GROUP.sub("", text)
    text = _APOSTROPHE.sub("", text)
    text = _PUNCTUATION.sub(" ", text)
    return " ".join(text.split())
