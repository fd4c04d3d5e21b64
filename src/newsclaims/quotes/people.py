"""The two passes that fill an article's person registry before attribution.

All full names are registered first, so that a surname written before the full
name still finds its person; then mentions are resolved in reading order,
which is what pronouns and role nouns depend on.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from newsclaims.quotes.paragraph import Para
from newsclaims.speakers.lexicon import PRONOUN_GENDER
from newsclaims.speakers.names import is_known_first_name
from newsclaims.speakers.registry import Person, PersonRegistry, Position
from newsclaims.speakers.words import bare, is_acronym, is_capitalised


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


_JOINERS = frozenset({"&", "and", "at", "of", "for", "from", "with", "in", "to", "by", "on"})


def _after_preposition(para: Para, start: int) -> bool:
    """`Analysts at Barclay & Finch said`: a lone name after `&`/`at` is not the subject."""
    return start > 0 and bare(para.tokens[start - 1].text) in _JOINERS


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
            if person is not None:
                registry.see(person, pos, salient=_opens_sentence(para, start))
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


def _initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def full_name_pairs(paras: Sequence[Para]) -> dict[str, set[str]]:
    """Surname → the first names written right before it anywhere in the article.

    `Donald Trump’s gains`, a title-case headline, `a speech of Hillary Clinton`: places
    where no mention is registered, but which still spell a surname-only speaker out.
    """
    pairs: dict[str, set[str]] = {}
    for para in paras:
        tokens = para.tokens
        cues = set(para.cue_positions)
        for k in range(len(tokens) - 1):
            first = tokens[k]
            if not first.word or not is_known_first_name(first.text) or "." in first.text:
                continue
            if k in cues:
                continue
            j = k + 1
            if j + 1 < len(tokens) and tokens[j].word and _initial(tokens[j].text):
                j += 1
            last = tokens[j]
            if not last.word or not is_capitalised(last.text) or is_acronym(last.text):
                continue
            surname = bare(last.text)
            if surname and surname != bare(first.text):
                pairs.setdefault(surname, set()).add(first.text)
    return pairs
