"""Who a quote is credited to: the cue next to it, its sentence, or the last speaker.

The rules are tried in order of reliability (`"…," Kerry said` before a cue
elsewhere in the sentence, before a headline-style `Kerry: "…"`), and a quote
with no cue of its own continues the remarks of whoever spoke last.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from newsclaims.quotes.cues import SOURCE_CUES, WINDOW
from newsclaims.quotes.paragraph import Cue, Para, sentence_initial, sentence_start
from newsclaims.quotes.phrases import NounPhrase, read_backward, read_forward
from newsclaims.records import Resolution as QuoteResolution
from newsclaims.speakers.mentions import Mention, is_personal, is_speaker
from newsclaims.speakers.registry import Person, PersonRegistry, Position

How = Literal["after", "before", "sentence", "colon", "dash", "sign", "continued", "none"]
"""Which rule credited the quote (`none`: none did)."""

_SIGN_VERBS = frozenset({"read", "reads", "reading"})


@dataclass(frozen=True)
class Attribution:
    """Who a quote is credited to and how that was decided."""

    person: Person | None
    mention: Mention | None
    cue: str | None
    inferred: bool
    how: How
    resolved: QuoteResolution = "named"
    """How the speaker was found from the mention (`registry.How`, or `continuation`)."""
    source_only: bool = False
    """`…, the BBC reported`: an organisation reporting, weaker than a person cue."""


NOBODY = Attribution(None, None, None, False, "none")

Found = dict[tuple[int, int], Attribution]
"""Attributions so far, by (paragraph, quote token)."""


def _from_cue(cue: Cue, how: How) -> Attribution:
    resolution = cue.resolution
    person = resolution.person if resolution else None
    inferred = resolution.inferred if resolution else False
    resolved = resolution.how if resolution else "named"
    return Attribution(
        person,
        cue.mention,
        cue.text,
        inferred and person is not None,
        how,
        resolved,
        cue.base in SOURCE_CUES and not _is_person_cue(cue),
    )


def _continuing(person: Person | None, mention: Mention | None) -> Attribution:
    return Attribution(person, mention, None, True, "continued", "continuation")


def _is_person_cue(cue: Cue) -> bool:
    return is_personal(cue.mention)


def _is_speaker_cue(cue: Cue) -> bool:
    """A cue whose subject is a person, an organisation or an unnamed source."""
    return (
        is_speaker(cue.mention) and cue.resolution is not None and cue.resolution.person is not None
    )


def _is_source_only(cue: Cue) -> bool:
    """`…, the BBC reported` credits a news outlet, not the speaker of the quote."""
    return cue.base in SOURCE_CUES and not _is_speaker_cue(cue)


def _cue_at(para: Para, index: int) -> Cue | None:
    k = bisect_left(para.cue_positions, index)
    if k < len(para.cue_positions) and para.cue_positions[k] == index:
        return para.cues[k]
    return None


def _next_word(para: Para, qi: int) -> int:
    k = qi + 1
    tokens = para.tokens
    while k < len(tokens) and k <= qi + 3 and not tokens[k].word and tokens[k].quote < 0:
        if tokens[k].text not in ",—–-;:":
            return -1
        k += 1
    return k if k < len(tokens) and tokens[k].word else -1


def _words_only(para: Para, k: int, cue: Cue) -> bool:
    """`"…" state news agency NTA reported`: only a few words between quote and cue."""
    if not 0 < cue.index - k <= 6 or cue.subject_start < k:
        return False
    return all(t.word for t in para.tokens[k : cue.index])


def _short_tail(para: Para, cue: Cue) -> bool:
    """After a quote closed by a full stop, only a short `Kerry told reporters.` attributes."""
    tokens = para.tokens
    sentence = tokens[cue.index].sentence
    k = cue.index + 1
    while k < len(tokens) and tokens[k].sentence == sentence and k - cue.index <= 8:
        if tokens[k].text.casefold() == "that" or tokens[k].quote >= 0:
            return False
        k += 1
    return k >= len(tokens) or tokens[k].sentence != sentence


def after_quote(para: Para, qi: int) -> Attribution | None:
    """`"…," Kerry said.` / `"…," said Kerry.` / `"…," according to Kerry.`"""
    k = _next_word(para, qi)
    if k < 0:
        return None
    cue = _cue_at(para, k)
    if cue is None:
        first = bisect_left(para.cue_positions, k)
        following = para.cues[first : first + 2]
        cue = next((c for c in following if c.subject_start == k or _words_only(para, k, c)), None)
    if cue is None or _is_source_only(cue):
        return None
    closed_by_stop = para.tokens[qi].text.rstrip()[-1:] == "."
    next_sentence = para.tokens[k].sentence != para.tokens[qi].sentence
    if closed_by_stop and next_sentence and not _short_tail(para, cue):
        return None
    return _from_cue(cue, "after")


def _sentence_cues(para: Para, qi: int) -> tuple[list[Cue], list[Cue]]:
    """Cues of the quote's sentence before and after it, nearest first (bounded)."""
    sentence = para.tokens[qi].sentence
    k = bisect_left(para.cue_positions, qi)
    before = []
    for cue in reversed(para.cues[max(0, k - 4) : k]):
        if para.tokens[cue.index].sentence == sentence and qi - cue.index <= 3 * WINDOW:
            before.append(cue)
    after = []
    for cue in para.cues[k : k + 4]:
        if para.tokens[cue.index].sentence == sentence and cue.index - qi <= WINDOW:
            after.append(cue)
    return before, after


def _colon_intro(
    para: Para, qi: int, registry: PersonRegistry, pos: Position
) -> Attribution | None:
    """`Kerry: "…"` (headline style): a bare name and a colon introduce the quote."""
    tokens = para.tokens
    if qi < 2 or tokens[qi - 1].text != ":":
        return None
    np = read_backward(para, qi - 2, sentence_start(para, qi))
    if np is None or np.start != sentence_start(para, qi) or np.mention.kind != "name":
        np = _colon_sentence_subject(para, qi)
    if np is None:
        return None
    mention = np.mention
    resolution = registry.resolve(mention, pos)
    return Attribution(resolution.person, mention, None, False, "colon")


def _colon_sentence_subject(para: Para, qi: int) -> NounPhrase | None:
    """`President Obama is rolling out a new message: "It's about me."`: the named subject
    of the sentence a colon ends introduces the quote, when no cue verb is there."""
    start = sentence_start(para, qi)
    tokens = para.tokens
    if any(start <= c < qi for c in para.cue_positions):
        return None
    for first, end, mention in para.names:
        if first < start or end >= qi - 1:
            continue
        before = tokens[first - 1].text.casefold() if first > start else ""
        if mention.kind == "name" and before not in _PREPOSITIONS and tokens[end].text.islower():
            return NounPhrase(first, end, mention)
    return None


_PREPOSITIONS = frozenset({"of", "for", "with", "by", "to", "at", "from", "about", "on", "in"})


_DASHES = frozenset({"—", "–", "―", "-", "--"})


def _dash_credit(
    para: Para, qi: int, registry: PersonRegistry, pos: Position
) -> Attribution | None:
    """`"…" ― Ana Ruiz`: a dash and a bare name after a quote credit it (letters, vox pops)."""
    tokens = para.tokens
    k = qi + 1
    if k >= len(tokens) or tokens[k].text not in _DASHES:
        return None
    np = read_forward(para, k + 1)
    if np is None or np.mention.kind not in ("name", "org"):
        return None
    rest = tokens[np.end :]
    if any(t.word or t.quote >= 0 for t in rest[:1]):
        return None
    resolution = registry.resolve(np.mention, pos)
    person = resolution.person
    if person is None and np.mention.kind == "name":
        person = registry.register_single(np.mention, pos)
    return Attribution(person, np.mention, None, False, "dash")


def _sign_text(para: Para, qi: int) -> Attribution | None:
    """`A banner read "…"`, `placards reading "…"`: written words nobody is quoted as saying."""
    prev = para.tokens[qi - 1] if qi > 0 else None
    if prev is None or not prev.word or prev.text.casefold() not in _SIGN_VERBS:
        return None
    return Attribution(None, Mention("other", ""), prev.text, False, "sign")


def explicit(para: Para, qi: int, registry: PersonRegistry, pos: Position) -> Attribution | None:
    """Attribution from the quote's own sentence, in order of reliability."""
    sign = _sign_text(para, qi)
    if sign is not None:
        return sign
    adjacent = after_quote(para, qi)
    named = (
        adjacent is not None
        and is_speaker(adjacent.mention)
        and adjacent.person is not None
        and not adjacent.source_only
    )
    if adjacent is not None and (named or sentence_initial(para, qi)):
        return adjacent
    before, after = _sentence_cues(para, qi)
    for cue in before:
        if not _is_source_only(cue) and (
            adjacent is None or _is_person_cue(cue) or _is_speaker_cue(cue)
        ):
            return _from_cue(cue, "before")
    if adjacent is not None:
        return adjacent
    for cue in after:
        if _is_speaker_cue(cue) or _is_person_cue(cue):
            return _from_cue(cue, "sentence")
    return _colon_intro(para, qi, registry, pos) or _dash_credit(para, qi, registry, pos)


def _last_person_cue(cues: Sequence[Cue]) -> Attribution | None:
    """The last cue whose subject was resolved to a person, as a continuation."""
    for cue in reversed(cues):
        if _is_speaker_cue(cue) and cue.resolution is not None and cue.resolution.person:
            return _continuing(cue.resolution.person, cue.mention)
    return None


def _last_speaker(para: Para, results: Found) -> Attribution:
    """Who a following stand-alone quote paragraph continues: the last one to speak here.

    A paragraph ending in a colon (`Kerry then said:`) hands over to its last cue's
    subject even when it quoted someone else before.
    """
    introduces = bool(para.tokens) and para.tokens[-1].text == ":"
    handed_over = _last_person_cue(para.cues) if introduces else None
    if handed_over is not None:
        return handed_over
    for qi in reversed(para.quote_tokens):
        found = results.get((para.index, qi))
        if found is not None and found.how != "none":
            return _continuing(found.person, found.mention)
    return _last_person_cue(para.cues) or NOBODY


def continued(para: Para, qi: int, previous: Para | None, results: Found) -> Attribution:
    """A quote opening its sentence with no cue continues the last speaker's remarks."""
    q = bisect_left(para.quote_tokens, qi)
    earlier_quote = para.quote_tokens[q - 1] if q > 0 else -1
    c = bisect_left(para.cue_positions, qi)
    earlier_cue = next(
        (cue for cue in reversed(para.cues[max(0, c - 4) : c]) if _is_speaker_cue(cue)), None
    )
    person = earlier_cue.resolution.person if earlier_cue and earlier_cue.resolution else None
    if earlier_cue is not None and person is not None and earlier_cue.index > earlier_quote:
        return _continuing(person, earlier_cue.mention)
    found = results.get((para.index, earlier_quote))
    if found is not None and found.how != "none":
        return _continuing(found.person, found.mention)
    if previous is not None and para.first_content == qi:
        return _last_speaker(previous, results)
    return NOBODY
