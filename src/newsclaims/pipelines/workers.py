"""What the crawl's analysis worker processes run, in a module that imports no Scrapy.

A worker imports the module of every function it is sent; sent from
``pipelines.analyse``, the initializer loaded Scrapy and Twisted into every worker
(~26 MB each, for nothing).
"""

from __future__ import annotations

import signal
from dataclasses import dataclass

from newsclaims.pages.decoding import crawled_text
from newsclaims.pages.options import AnalysisOptions
from newsclaims.processes import exit_with
from newsclaims.records import Article, CrawledPage, FetchedPage


@dataclass(frozen=True)
class AnalysedPage:
    """What the crawl needs of ``pages.analyse.Analysis``: a class the parent can unpickle
    without importing the analysis (trafilatura, the quote finder: ~30 MB it never runs)."""

    article: Article
    on_topic: bool
    repeated_paragraphs: int


def fetched_page(page: CrawledPage) -> FetchedPage:
    """The crawled page as text, decoded here in the worker rather than in the crawl's
    process, exactly as the spider decoded it before (``pages.decoding.crawled_text``)."""
    html, encoding = crawled_text(page.body, page.encoding, page.text)
    fetch = {name: getattr(page, name) for name in _FETCH_FIELDS}
    return FetchedPage.model_construct(**fetch, html=html, encoding=encoding)


_FETCH_FIELDS = tuple(
    name for name in CrawledPage.model_fields if name not in ("body", "encoding", "text")
)


def analyse(page: CrawledPage, options: AnalysisOptions) -> AnalysedPage:
    """``analyse_page`` in a worker (imported here, not at the top, to keep it out of the
    crawl's own process; the forkserver has it loaded already, see ``pages.preload``)."""
    from newsclaims.pages.analyse import analyse_page

    analysis = analyse_page(fetched_page(page), options)
    return AnalysedPage(analysis.article, analysis.on_topic, analysis.repeated_paragraphs)


def start_worker(crawl_pid: int) -> None:
    """Worker initializer: the crawl handles Ctrl-C and shuts the pool down; the worker
    dies with the crawl."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with(crawl_pid)
