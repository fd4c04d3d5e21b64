"""The article: quote spans, then cues and names, the registry, then attribution.

Every step looks at a bounded window around a mark or a cue, so the whole run
is linear in the length of the text whatever marks it contains.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from newsclaims.quotes.attribution import (
    NOBODY,
    Attribution,
    Found,
    after_quote,
    continued,
    explicit,
)
from newsclaims.quotes.kinds import quote_kind
from newsclaims.quotes.marks import paragraph_spans
from newsclaims.quotes.names import find_names
from newsclaims.quotes.paragraph import Para, build_para, ends_its_sentence, sentence_initial
from newsclaims.quotes.people import (
    acronym_long_forms,
    full_name_pairs,
    register_names,
    resolve_mentions,
)
from newsclaims.quotes.subjects import find_cues
from newsclaims.records import Quote, QuoteKind
from newsclaims.speakers.registry import AFTER_END, PersonRegistry, Position
from newsclaims.speakers.words import is_title_case

_LETTERS_RE = re.compile(r"[^\W\d_]+")


def _common_words(paragraphs: Sequence[str]) -> set[str]:
    """Words the article writes in lower case (quotes included): not names at a sentence start."""
    return set(filter(str.islower, set(_LETTERS_RE.findall("\n".join(paragraphs)))))


def _title_case_headline(title: Para) -> bool:
    """`Black Lawmakers Rip Donald Trump As A Fraud`: every word capitalised."""
    words = [t.text for t in title.tokens[1:] if t.word and len(t.text) > 1]
    return len(words) >= 3 and is_title_case(words, share=0.8)


def _to_quote(para: Para, qi: int, found: Attribution, kind: QuoteKind) -> Quote:
    span = para.spans[para.tokens[qi].quote]
    person = found.person
    mention = found.mention
    role = person.role if person is not None else None
    if role is None and mention is not None:
        role = mention.role
    shown = mention.text if mention is not None and mention.text else None
    return Quote(
        quote=para.text[span.start : span.end],
        kind=kind,
        speaker=person.name if person is not None else None,
        speaker_type=person.kind if person is not None else None,
        resolution=found.resolved if person is not None else None,
        speaker_mention=shown,
        role=role,
        cue=found.cue,
        paragraph=para.index,
        start=span.start,
        end=span.end,
        inferred=found.inferred and person is not None,
    )


def _group_tail(paras: Sequence[Para], p: int, qi: int) -> tuple[Para, int]:
    """The last paragraph piece of a quote that runs on across paragraphs."""
    para = paras[p]
    while para.spans[para.tokens[qi].quote].open_end and para.index + 1 < len(paras):
        nxt = paras[para.index + 1]
        if not nxt.quote_tokens or not nxt.spans[nxt.tokens[nxt.quote_tokens[0]].quote].continues:
            break
        para, qi = nxt, nxt.quote_tokens[0]
    return para, qi


def _attribute_body(paras: Sequence[Para], registry: PersonRegistry) -> list[Quote]:
    """Body quotes in reading order; a quote running on from the last paragraph keeps its speaker."""
    results: Found = {}
    quotes: list[Quote] = []
    for para in paras:
        previous = paras[para.index - 1] if para.index > 0 else None
        for qi in para.quote_tokens:
            span = para.spans[para.tokens[qi].quote]
            if span.continues and previous is not None and previous.quote_tokens:
                head = results.get((previous.index, previous.quote_tokens[-1]))
                if head is not None and previous.spans[-1].open_end:
                    results[(para.index, qi)] = head
                    quotes.append(_to_quote(para, qi, head, "direct"))
                    continue
            tail_para, tail_qi = _group_tail(paras, para.index, qi)
            found = after_quote(tail_para, tail_qi) if tail_para is not para else None
            found = found or explicit(para, qi, registry, Position(para.index, qi))
            if found is None and sentence_initial(para, qi) and ends_its_sentence(para, qi):
                found = continued(para, qi, previous, results)
            found = found or NOBODY
            results[(para.index, qi)] = found
            quotes.append(_to_quote(para, qi, found, quote_kind(para, qi, found)))
    return quotes


def _headline_quotes(headline: str, registry: PersonRegistry) -> list[Quote]:
    """Headline quotes are kept apart (paragraph -1) and never count as statements.

    The headline is read last, knowing every person of the body.
    """
    para = build_para(-1, headline, paragraph_spans([headline])[0], headline=True)
    find_cues(para)
    for cue in para.cues:
        if cue.mention is not None:
            cue.resolution = registry.resolve(cue.mention, AFTER_END)
    quotes = []
    for qi in para.quote_tokens:
        found = explicit(para, qi, registry, AFTER_END) or NOBODY
        quotes.append(_to_quote(para, qi, found, "optional"))
    return quotes


def extract_quotes(paragraphs: Sequence[str], headline: str | None = None) -> list[Quote]:
    """Every quote in the article with its kind, canonical speaker and exact offsets.

    Headline quotes come first with paragraph -1 and kind `optional`; body quotes
    follow in reading order.
    """
    all_spans = paragraph_spans(paragraphs)
    paras = [build_para(i, text, all_spans[i], False) for i, text in enumerate(paragraphs)]
    common = _common_words(paragraphs)
    for para in paras:
        para.common = common
        find_cues(para)
        find_names(para)
    registry = PersonRegistry()
    titles = [build_para(-1, headline, paragraph_spans([headline])[0], True)] if headline else []
    for title in titles:
        # A Title Case headline runs names and words together (`Lawmakers Rip Donald
        # Trump`): it only completes surnames, through `full_name_pairs` below.
        title.common = common
        if not _title_case_headline(title):
            find_names(title)
            register_names([title], registry)
    register_names(paras, registry)
    for para in paras:
        resolve_mentions(para, registry)
    registry.complete_surnames(full_name_pairs([*paras, *titles]))
    registry.orgs.spell_out(acronym_long_forms(paras))
    body = _attribute_body(paras, registry)
    head = _headline_quotes(headline, registry) if headline else []
    return head + body


HEADLINE_MAX_WORDS = 20
_SENTENCE_END = (".", "!", "?", "…", ":", ";", ",")
_CLOSERS = "\"'”’»)]"


def looks_like_headline(line: str) -> bool:
    """Short and not a sentence: no final sentence punctuation (inside closing quotes too),
    so `"We will win," coach Ana Ruiz said.` is body text and `Kerry Hails Air Strikes` is not."""
    words = line.split()
    return 0 < len(words) <= HEADLINE_MAX_WORDS and not line.rstrip(_CLOSERS).endswith(
        _SENTENCE_END
    )


ARTICLE_PARAGRAPHS = 2_000
"""No article has more paragraphs: a longer text is read in pieces of this many."""


def extract_quotes_streaming(
    paragraphs: Sequence[str], headline: str | None = None, piece: int = ARTICLE_PARAGRAPHS
) -> Iterator[Quote]:
    """`extract_quotes` for texts of any length, in bounded memory, yielding as it goes.

    A text longer than any article (a transcript dump, a 20 MB file) is read `piece`
    paragraphs at a time, each piece with its own people; paragraph numbers stay those of
    the whole text. An article-sized text gives exactly what `extract_quotes` gives.
    """
    for offset in range(0, max(len(paragraphs), 1), piece):
        found = extract_quotes(paragraphs[offset : offset + piece], headline)
        for quote in found:
            if quote.paragraph < 0:
                if offset == 0:
                    yield quote
                continue
            yield quote.model_copy(update={"paragraph": quote.paragraph + offset})


def read_text_document(text: str, headline: bool | None = True) -> tuple[str | None, list[str]]:
    """A plain-text article: non-empty lines are paragraphs; the first is the headline when
    ``headline`` is True, never when False, and when it looks like one when None."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return None, []
    if headline or (headline is None and looks_like_headline(lines[0])):
        return lines[0], lines[1:]
    return None, lines
