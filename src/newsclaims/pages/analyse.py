"""One analysis path: a fetched page in, the analysed article out.

Every way a page enters newsclaims (the crawl, ``newsclaims extract``, ``newsclaims quotes``
on a saved page, an archive) calls ``analyse_page`` and nothing else, so what a command
prints is exactly what a crawl stores. It is pure and CPU-bound: the crawl runs it in a
worker process, so the event loop only moves bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsclaims import settings
from newsclaims.config.sources import DEFAULT_TOPIC, TopicProfile
from newsclaims.pages.detection import PageSignals
from newsclaims.pages.extraction import extract_page
from newsclaims.pages.paragraphs import drop_repeated_paragraphs
from newsclaims.pages.topic import TopicVerdict, score_topic
from newsclaims.quotes import extract_quotes
from newsclaims.records import Article, FetchedPage


@dataclass(frozen=True)
class AnalysisOptions:
    """What the sources file (or a command's flags) decide about analysis."""

    topic: TopicProfile = DEFAULT_TOPIC
    min_words: int = settings.NEWSCLAIMS_MIN_WORDS
    quotes_off_topic: bool = False
    """Find quotes in off-topic articles too (``newsclaims quotes``); a crawl drops them."""


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


def analyse_page(page: FetchedPage, options: AnalysisOptions = AnalysisOptions()) -> Analysis:
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
    )
    article = extraction.article
    if article.published is None and page.feed_published is not None:
        article.published = page.feed_published
    article.paragraphs, repeated = drop_repeated_paragraphs(article.paragraphs)
    verdict = score_topic(article.title, article.text, options.topic)
    article.topic_score = verdict.score
    article.topic = options.topic.name
    if verdict.on_topic or options.quotes_off_topic:
        article.quotes = extract_quotes([p.text for p in article.paragraphs], article.title)
    return Analysis(
        article=article,
        on_topic=verdict.on_topic,
        repeated_paragraphs=repeated,
        signals=extraction.signals,
        topic=verdict,
    )
