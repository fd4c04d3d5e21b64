"""Quote marks paired into quoted spans, one paragraph at a time.

A one-pass scanner over the marks: whether a mark can open or close is read
off its two neighbours, so `don't`, `'90s` and `« … “compromise” … »` need no
look-ahead and the scan stays linear however unbalanced the marks are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_DOUBLE_MARKS = '"“”„‟«»'
_SINGLE_MARKS = "'‘’‚‹›"
_MARKS = _DOUBLE_MARKS + _SINGLE_MARKS
_DOUBLE_RE = re.compile(r"[\"“”„‟«»]")
_SINGLE_RE = re.compile(r"['‘’‚‹›]")
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


@dataclass
class QuoteSpan:
    """A top-level quoted stretch of one paragraph: marks at outer, words at inner.

    `continues` says it carries on a quote left open in the previous paragraph,
    `open_end` that it is itself left open at the paragraph's end.
    """

    outer_start: int
    outer_end: int
    start: int
    end: int
    continues: bool = False
    open_end: bool = False


def _flanks(text: str, i: int) -> tuple[bool, bool]:
    """Whether the mark at i can open (word follows) and can close (word precedes)."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    can_open = not nxt.isspace() and (prev.isspace() or prev in _OPEN_BEFORE or prev in _MARKS)
    can_close = not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_AFTER or nxt in _MARKS)
    return can_open, can_close


def _inner(text: str, outer_start: int, outer_end: int, open_len: int, close_len: int) -> QuoteSpan:
    start, end = outer_start + open_len, outer_end - close_len
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return QuoteSpan(outer_start, outer_end, start, end)


def _double_spans(text: str, carried: bool) -> tuple[list[QuoteSpan], bool]:
    """Pair double marks in one paragraph; returns spans and whether one is left open.

    A stack of open marks lets `« … “compromise” … »` nest; a mark that cannot close
    anything and cannot open is ignored, and an opener repeated at the top level
    replaces a stray earlier one.
    """
    spans: list[QuoteSpan] = []
    stack: list[tuple[int, str]] = []
    virtual = carried
    escaped = -1
    for match in _DOUBLE_RE.finditer(text):
        ch, i = match.group(), match.start()
        if i == escaped:
            continue
        if ch == '"' and text[i + 1 : i + 2] == '"':
            # `""` is an escaped mark (CSV, spreadsheet formulas) or an empty quote: no mark.
            escaped = i + 1
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


def _single_spans(text: str, doubles: Sequence[QuoteSpan]) -> list[QuoteSpan]:
    """Pair single marks outside double quotes (British style and headlines).

    A double quote between two single marks keeps them apart (every double quote holds
    a mark of its own)."""
    spans: list[QuoteSpan] = []
    open_at, open_char = -1, ""
    blocks = iter(doubles)
    block = next(blocks, None)
    for match in _SINGLE_RE.finditer(text):
        ch, i = match.group(), match.start()
        while block is not None and block.outer_end <= i:
            block = next(blocks, None)
            open_char = ""
        if block is not None and block.outer_start <= i:
            open_char = ""
            continue
        if _is_apostrophe(text, i):
            continue
        can_open, can_close = _flanks(text, i)
        if open_char and ch in _CLOSERS[open_char] and (can_close or not can_open):
            spans.append(_inner(text, open_at, i + 1, 1, 1))
            open_char = ""
        elif ch in "'‘‚‹" and can_open and not can_close:
            open_at, open_char = i, ch
    return [s for s in spans if s.end > s.start]


def paragraph_spans(paragraphs: Sequence[str]) -> list[list[QuoteSpan]]:
    """Top-level quote spans per paragraph; an unclosed quote may run into the next."""
    result: list[list[QuoteSpan]] = []
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
