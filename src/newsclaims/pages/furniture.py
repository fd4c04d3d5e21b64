"""Site furniture that survives trafilatura: a small set of general, documented rules.

Each rule looks at one extracted paragraph (with how much of it was link text and the
article's dominant script) and says whether it is page chrome rather than reporting.
The rules are about shape, not about any one site: see docs/furniture.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from newsclaims.text import fold_quotes

# Common interface labels of news sites (players, share bars, comment and tag widgets).
UI_LABELS = frozenset(
    {
        "accessibility links",
        "advertisement",
        "breaking news",
        "comments",
        "direct link",
        "embed",
        "get short url",
        "listen live",
        "more stories",
        "no media source currently available",
        "please wait",
        "print",
        "read more",
        "related",
        "related articles",
        "related stories",
        "share",
        "share this article",
        "skip to main content",
        "subscribe",
        "tags",
        "topics",
        "watch",
    }
)
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\]\u2026]\s*$")
_TIMECODE_OR_COUNT = re.compile(r"^[\d:\s/.,\-()]+$")
_DATE_WORDS = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|"
    r"(?:gmt|utc|[ap]\.?m\.?|updated|published)[\d+:\-]*"
)
_TIMESTAMP = re.compile(rf"^(?:[\d:/.,\-]+|{_DATE_WORDS}|\s)+$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'\u2019.-]*")
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "vs",
        "via",
        "over",
        "under",
    ]
)


@dataclass(frozen=True)
class Block:
    """One paragraph as extracted, with the signals the rules need."""

    text: str
    link_share: float = 0.0
    article_script: str = "LATIN"


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_link_only(block: Block) -> bool:
    """Related-story links and tag links: the whole paragraph is anchor text."""
    return block.link_share >= 0.8


def is_ui_label(block: Block) -> bool:
    """Known widget labels, also when a counter or glued label follows ('Comments 0')."""
    label = re.sub(r"[\d\s:|()]+$", "", block.text).strip().lower()
    return label in UI_LABELS or any(
        label.startswith(ui) and len(label) - len(ui) <= 16 and " " not in label[len(ui) :]
        for ui in UI_LABELS
        if len(ui) > 6
    )


def is_timecode_or_counter(block: Block) -> bool:
    """Player time codes ('0:00 0:03:41'), share counters ('0 14'), bare numbers."""
    return bool(_TIMECODE_OR_COUNT.match(block.text))


def is_timestamp(block: Block) -> bool:
    """A stray date/time line ('00:51 GMT04 March 2021') with no words of its own."""
    return bool(_TIMESTAMP.match(block.text)) and any(ch.isdigit() for ch in block.text)


def is_short_fragment(block: Block) -> bool:
    """Under six words with no sentence punctuation: a label, not reporting.

    A dateline ('Reuters, Brussels :') ends in a colon and is kept.
    """
    return len(_words(block.text)) < 6 and not _SENTENCE_END.search(block.text)


def is_tag_list(block: Block) -> bool:
    """'Daesh, terrorism, Pentagon, Syria': three or more short comma-separated items."""
    text = block.text.strip()
    if _SENTENCE_END.search(text):
        return False
    items = [item.strip() for item in text.split(",")]
    return len(items) >= 3 and all(0 < len(_words(item)) <= 4 for item in items)


def is_headline_like(block: Block) -> bool:
    """A Title Case line with no closing punctuation: a teaser for another story."""
    text = block.text.strip()
    if _SENTENCE_END.search(re.sub(r"\s*\(\d+\)$", "", text)) and not text.endswith(")"):
        return False
    words = [w for w in _words(text) if w.lower() not in _SMALL_WORDS]
    if len(words) < 3 or len(words) > 20:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.75


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def dominant_script(text: str) -> str:
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else "LATIN"


def is_foreign_script(block: Block) -> bool:
    """A line mostly in another script than the article ('read this in Arabic' links)."""
    letters = [ch for ch in block.text if ch.isalpha()]
    if not letters:
        return False
    foreign = sum(1 for ch in letters if _script(ch) != block.article_script)
    return foreign / len(letters) > 0.5


RULES: dict[str, Callable[[Block], bool]] = {
    "link_only": is_link_only,
    "ui_label": is_ui_label,
    "timecode_or_counter": is_timecode_or_counter,
    "timestamp": is_timestamp,
    "foreign_script": is_foreign_script,
    "tag_list": is_tag_list,
    "headline_like": is_headline_like,
    "short_fragment": is_short_fragment,
}


def furniture_rule(block: Block) -> str | None:
    """The name of the first rule that calls this block furniture, or None to keep it."""
    block = Block(fold_quotes(block.text).strip(), block.link_share, block.article_script)
    for name, rule in RULES.items():
        if rule(block):
            return name
    return None
