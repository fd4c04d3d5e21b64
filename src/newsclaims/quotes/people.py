"""The two passes that fill an article's person registry before attribution.

All full names are registered first, so that a surname written before the full
name still finds its person; then mentions are resolved in reading order,
which is what pronouns and role nouns depend on.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from newsclaims.quotes.paragraph import Para
from newsclaims.speakers.lexicon import PRONOUN_GENDER
from newsclaims.speakers.names import is_known_first_name
from newsclaims.speakers.registry import Person, PersonRegistry, Position
from newsclaims.speakers.words import bare, is_acronym


def register_names(paras: Sequence[Para], registry: PersonRegistry) -> None:
    """First pass: every multi-word name in the article, with the roles stated for it."""
    for para in paras:
        for start, _, mention in para.names:
            position = Position(para.index, start)
            if mention.kind == "org" and mention.name:
                org = registry.orgs.register(mention.name, position)
                if start in para.aliases:
                    registry.orgs.alias(org, para.aliases[start])
                continue
            person = registry.register(mention, position)
            if person is not None and start in para.aliases:
                registry.alias(person, para.aliases[start])
        for cue in para.cues:
            if cue.mention is not None and cue.mention.kind == "name":
                registry.register(cue.mention, Position(para.index, cue.index))


def _learn_gender(
    para: Para, end: int, next_name: int, person: Person, registry: PersonRegistry
) -> None:
    """The first he/his or she/her after a name, before any other name, tells its gender."""
    k = bisect_left(para.pronouns, end)
    if k >= len(para.pronouns):
        return
    index = para.pronouns[k]
    if index < next_name and para.tokens[index].sentence == para.tokens[end - 1].sentence:
        registry.learn_gender(person, PRONOUN_GENDER[bare(para.tokens[index].text)])


def _opens_sentence(para: Para, start: int) -> bool:
    """A name that heads its sentence is its subject, the likely `he` of the next one."""
    return para.sentence_heads[para.tokens[start].sentence] == start


def _is_subject(para: Para, start: int, end: int) -> bool:
    """Heading the sentence, or `with Hillary Clinton lambasting the plan`: the agent of
    an absolute clause is as likely a `she` as a sentence's subject."""
    if _opens_sentence(para, start):
        return True
    tokens = para.tokens
    if start == 0 or bare(tokens[start - 1].text) != "with":
        return False
    sentence = tokens[start].sentence
    for k in range(end, min(end + 12, len(tokens))):
        token = tokens[k]
        if token.sentence != sentence or token.quote >= 0:
            return False
        if token.word and token.text.islower() and token.text.endswith("ing"):
            return True
    return False


_JOINERS = frozenset({"&", "and", "at", "of", "for", "from", "with", "in", "to", "by", "on"})


def _after_preposition(para: Para, start: int) -> bool:
    """`Analysts at Barclay & Finch said`: a lone name after `&`/`at` is not the subject."""
    return start > 0 and bare(para.tokens[start - 1].text) in _JOINERS


def _first_name_subject(para: Para, start: int, end: int, name: str | None) -> bool:
    """`Melanie thought it outrageous.`: a lone first name heading its sentence before
    a verb is a person the article calls by first name, the likely `she` of what follows."""
    if name is None or end - start != 1 or not _opens_sentence(para, start):
        return False
    if not is_known_first_name(name) or name.lower() in para.common:
        return False
    return end < len(para.tokens) and para.tokens[end].word and para.tokens[end].text.islower()


def resolve_mentions(para: Para, registry: PersonRegistry) -> None:
    """Second pass, in reading order: names seen, cue subjects resolved, speakers noted."""
    events: list[tuple[int, int, int]] = []
    for n, (start, _end, _mention) in enumerate(para.names):
        events.append((start, 0, n))
    for c, cue in enumerate(para.cues):
        events.append((cue.index, 1, c))
    events.sort()
    for index, kind, item in events:
        pos = Position(para.index, index)
        if kind == 0:
            start, end, mention = para.names[item]
            person = registry.resolve(mention, pos).person
            if person is None and _first_name_subject(para, start, end, mention.name):
                person = registry.register_single(mention, pos)
            if person is not None:
                registry.see(person, pos, salient=_is_subject(para, start, end))
                if person.kind != "person":
                    continue
                nxt = para.names[item + 1][0] if item + 1 < len(para.names) else len(para.tokens)
                _learn_gender(para, end, nxt, person, registry)
            continue
        cue = para.cues[item]
        if cue.mention is None:
            continue
        cue.resolution = registry.resolve(cue.mention, pos)
        lone = cue.mention.name or ""
        if (
            cue.resolution.person is None
            and cue.mention.kind == "name"
            and lone.casefold() not in para.common
            and (not _opens_sentence(para, cue.subject_start) or is_known_first_name(lone))
            and not _after_preposition(para, cue.subject_start)
        ):
            single = registry.register_single(cue.mention, pos)
            cue.resolution = replace(cue.resolution, person=single)
        if cue.resolution.person is not None:
            registry.see(cue.resolution.person, pos, salient=True)


_FULL_NAME_RE = re.compile(r"([A-Z](?<!\w[A-Z])[a-z]+)(?=\s+(?:[A-Z]\.\s+)?([A-Z][\w'’-]*\w))")
"""A capitalised word starting a word, an optional initial, a capitalised word; the rest a
look-ahead, so that `Cheer Samuel Okonkwo` yields both pairs. Starting on the capital (not
on `\b(?=…)`) lets the regex engine skip to capitals: the same matches, ~1.8x faster."""


def full_name_pairs(paras: Sequence[Para]) -> dict[str, set[str]]:
    """Surname → the first names written right before it anywhere in the article.

    `Donald Trump’s gains`, a title-case headline, a name inside a quote: places where no
    mention is registered, but which still spell a surname-only speaker out.
    """
    pairs: dict[str, set[str]] = {}
    for para in paras:
        cue_starts = {para.tokens[i].start for i in para.cue_positions}
        for match in _FULL_NAME_RE.finditer(para.text):
            first, last = match.group(1), match.group(2)
            if match.start() in cue_starts or not is_known_first_name(first):
                continue
            if first.lower() in para.common:  # `The`, `Will`: words the article also writes
                continue
            if is_acronym(last):
                continue
            surname = bare(last)
            if surname and surname != bare(first):
                pairs.setdefault(surname, set()).add(first)
    return pairs


_LONG_FORM_RE = re.compile(
    r"((?:[A-Z][\w'’-]*\s+(?:(?:of|for|the|and|on|in)\s+)*)+[A-Z][\w'’-]*)\s*\(([A-Z]{2,})\)"
)
"""`Organization for the Prohibition of Chemical Weapons (OPCW)`, quotes included."""


def acronym_long_forms(paras: Sequence[Para]) -> dict[str, str]:
    """Acronym → the capitalised name written before it in brackets, anywhere."""
    forms: dict[str, str] = {}
    for para in paras:
        if "(" not in para.text:
            continue
        for match in _LONG_FORM_RE.finditer(para.text):
            words = match.group(1).split()
            while words and words[0].casefold() in {"the", "a", "an"}:
                words = words[1:]
            if words:
                forms.setdefault(match.group(2), " ".join(words))
    return forms
