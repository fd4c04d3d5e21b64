"""One analysis path: a fetched page in, the analysed article out.

Every way a page enters newsclaims (the crawl, ``newsclaims extract``, ``newsclaims quotes``
on a saved page, an archive) calls ``analyse_page`` and nothing else, so what a command
prints is exactly what a crawl stores. It is pure and CPU-bound: the crawl runs it in a
worker process, so the event loop only moves bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsclaims import settings
from newsclaims.claims.article_keys import match_keys
from newsclaims.pages.detection import PageSignals
from newsclaims.pages.extraction import extract_page
from newsclaims.pages.options import AnalysisOptions
from newsclaims.pages.paragraphs import drop_repeated_paragraphs
from newsclaims.pages.topic import TopicVerdict, score_topic
from newsclaims.quotes import extract_quotes
from newsclaims.records import Article, FetchedPage, Quote

# Double quote marks of every script's style: a paragraph with hundreds of them is not
# prose with quotes (a "paragraph" of 60,000 marks gave 60,000 junk quotes).
__all__ = ["Analysis", "AnalysisOptions", "analyse_page", "bounded_quotes"]

_DOUBLE_MARKS = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')


@dataclass(frozen=True)
class Analysis:
    """The analysed article and what the stages decided along the way."""

    article: Article
    on_topic: bool
    repeated_paragraphs: int
    signals: PageSignals
    """Why the page counted as an article."""
    topic: TopicVerdict
    """Why it is on or off topic: the terms that scored."""


_DEFAULT_OPTIONS = AnalysisOptions()


def analyse_page(page: FetchedPage, options: AnalysisOptions = _DEFAULT_OPTIONS) -> Analysis:
    """Extraction, furniture, paragraph dedup, topic score, date fallback, quotes.

    Raises ``ExtractionError`` (or its subclass ``NotAnArticle``) with a reason when the
    page yields no article.
    """
    extraction = extract_page(
        page.html,
        str(page.url),
        page.source,
        http_status=page.status,
        fetched_at=page.fetched_at,
        min_words=options.min_words,
        listed=page.feed_title is not None or page.discovered_via == "feed",
        feed_published=page.feed_published,
    )
    article = extraction.article
    article.paragraphs, repeated = drop_repeated_paragraphs(article.paragraphs)
    verdict = score_topic(article.title, article.text, options.topic)
    article.topic_score = verdict.score
    article.topic = options.topic.name
    if verdict.on_topic or options.quotes_off_topic:
        article.quotes, article.notes = bounded_quotes(
            [p.text for p in article.paragraphs], article.title
        )
    if verdict.on_topic:
        # What storage matches on, computed here in the worker (see claims.article_keys).
        article.match_keys = match_keys(article)
    return Analysis(
        article=article,
        on_topic=verdict.on_topic,
        repeated_paragraphs=repeated,
        signals=extraction.signals,
        topic=verdict,
    )


def bounded_quotes(paragraphs: list[str], headline: str | None) -> tuple[list[Quote], list[str]]:
    """The article's quotes, bounded on degenerate pages, and a note for each bound hit.

    Paragraphs with more than ``NEWSCLAIMS_MAX_MARKS_PER_PARAGRAPH`` quote marks are not
    searched; quotes with no letter or digit are dropped; at most
    ``NEWSCLAIMS_MAX_QUOTES_PER_PARAGRAPH`` quotes per paragraph and
    ``NEWSCLAIMS_MAX_QUOTES_PER_PAGE`` per page are kept (the first, in reading order).
    """
    notes: list[str] = []
    marks_limit = settings.NEWSCLAIMS_MAX_MARKS_PER_PARAGRAPH
    marked = [sum(text.count(m) for m in _DOUBLE_MARKS) for text in paragraphs]
    skipped = [i for i, count in enumerate(marked) if count > marks_limit]
    if skipped:
        notes.append(
            f"quotes not searched in {len(skipped)} paragraph(s) of more than "
            f"{marks_limit} quote marks (paragraph {skipped[0]}: {marked[skipped[0]]} marks)"
        )
        dropped = set(skipped)
        paragraphs = ["" if i in dropped else text for i, text in enumerate(paragraphs)]
    found = [q for q in extract_quotes(paragraphs, headline) if any(c.isalnum() for c in q.quote)]
    per_paragraph = settings.NEWSCLAIMS_MAX_QUOTES_PER_PARAGRAPH
    kept: list[Quote] = []
    counts: dict[int, int] = {}
    for quote in found:
        counts[quote.paragraph] = counts.get(quote.paragraph, 0) + 1
        if counts[quote.paragraph] <= per_paragraph:
            kept.append(quote)
    if len(kept) < len(found):
        crowded = sum(1 for n in counts.values() if n > per_paragraph)
        notes.append(
            f"quotes capped: {len(found) - len(kept)} dropped in {crowded} paragraph(s) "
            f"of more than {per_paragraph} quotes"
        )
    per_page = settings.NEWSCLAIMS_MAX_QUOTES_PER_PAGE
    if len(kept) > per_page:
        notes.append(f"quotes capped: {len(kept)} found, the first {per_page} kept")
        kept = kept[:per_page]
    return kept, notes
