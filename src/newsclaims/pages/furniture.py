"""Site furniture that survives trafilatura: two general, measured rules.

Each rule looks at one extracted block (with how much of it was link text) and says
whether it is page chrome rather than the article. The rules are about shape and the
calls to action every news site prints, not about any one site: see docs/furniture.md,
where each rule's gain on real pages (furniture removed, content lost) is recorded.
Rules that removed as much article text as furniture there (Title Case lines, short
fragments) were dropped: they cut subheadings, table rows and captions of real articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# A block of at most this many words can be a call to action; longer ones are reporting.
CALL_TO_ACTION_WORDS = 60
# Newsletter, subscription, app, follow and copyright lines: the calls to action and legal
# lines that news sites print inside or under the article body.
_CALL_TO_ACTION = re.compile(
    r"""(?ix)
      ^(?:©|\(c\)\s|copyright\b)
    | \ball\ rights\ reserved\b
    | \b(?:sign(?:ing)?\ up|subscrib\w*|register)\b[^.!?]{0,40}?\b(?:our|the)\b
      [^.!?]{0,30}?\bnewsletters?\b
    | \b(?:sign\ up|subscribe)\ (?:here|now|today|for\ free)\b
    | ^(?:subscribe|sign\ up)\b
    | \bfollow\ us\b
    | \bdownload\ (?:the|our)\b[^.!?]{0,40}?\bapps?\b
    | \b(?:submit|write)\ (?:a|your)\ letters?\ to\ the\ editor\b
    | \bcomments\ are\ moderated\b
    | \bto\ (?:view|read|continue\ reading)\ the\ full\ (?:story|article)\b
    | \balready\ a\ subscriber\b
    | \bnewsletter$
    """
)
# A substring (lower case) of every match of each alternative above: a block containing none
# of them cannot match, and most blocks are prose that contains none (the regex search was
# most of the furniture rules' CPU). Keep in step with _CALL_TO_ACTION.
_CALL_TO_ACTION_WORDS = (
    "©",
    "(c)",
    "copyright",
    "all rights reserved",
    "newsletter",
    "sign up",
    "subscribe",
    "follow us",
    "download",
    "to the editor",
    "comments are moderated",
    "the full",
    "already a subscriber",
)
# Non-ASCII letters that IGNORECASE matches to an ASCII letter (İ ı ſ K, Kelvin sign): a
# block with one is searched whatever its words, so the shortcut never changes an answer.
_CASE_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


@dataclass(frozen=True)
class Block:
    """One paragraph as extracted, with the signals the rules need."""

    text: str
    link_share: float = 0.0


def is_link_only(block: Block) -> bool:
    """Related-story links and 'Read more:' teasers: 80 % or more is anchor text."""
    return block.link_share >= 0.8


def is_call_to_action(block: Block) -> bool:
    """'Sign up for our newsletter', 'Follow us on …', '© 2020 … All rights reserved'."""
    text = block.text
    # At most CALL_TO_ACTION_WORDS splits: the same test, without listing a long block's words.
    if len(text.split(maxsplit=CALL_TO_ACTION_WORDS)) > CALL_TO_ACTION_WORDS:
        return False
    if not any(c in text for c in _CASE_FOLDS_TO_ASCII):
        lowered = text.lower()
        if not any(word in lowered for word in _CALL_TO_ACTION_WORDS):
            return False
    return bool(_CALL_TO_ACTION.search(text))


RULES: dict[str, Callable[[Block], bool]] = {
    "link_only": is_link_only,
    "call_to_action": is_call_to_action,
}


def furniture_rule(block: Block) -> str | None:
    """The name of the first rule that calls this block furniture, or None to keep it.

    Typographic quotes need no folding first: no rule looks at quote marks (each folds to
    one ASCII mark, neither a letter nor a space), so they give the same answers either way
    (tests/test_furniture.py).
    """
    block = Block(block.text.strip(), block.link_share)
    for name, rule in RULES.items():
        if rule(block):
            return name
    return None
