"""The ingest pool's entry points and what they return, light enough for the parent.

The parent process (reading the archive, writing to the database) names these to submit
pages and unpickles what comes back, but never analyses a page: importing
``archives.analyse`` there cost ~0.3 s of CPU and ~30 MB (trafilatura, the quote finder).
The worker imports the analysis on its first task; forked from the ingest's forkserver,
it finds it loaded already (``ingest.driver``, ``pages.preload``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from newsclaims.archives.records import ArchivedPage
from newsclaims.archives.sources import SourceMatcher
from newsclaims.pages.options import AnalysisOptions
from newsclaims.processes import exit_with
from newsclaims.records import Article

Verdict = Literal["article", "off_topic", "not_article", "not_html", "error"]


@dataclass(frozen=True)
class PageResult:
    verdict: Verdict
    origin: str
    url: str | None = None
    source: str | None = None
    article: Article | None = None
    reason: str | None = None
    repeated_paragraphs: int = 0


@dataclass(frozen=True)
class Crashed:
    """A page whose analysis raised (a bug, not a bad page): the exception's type and
    message as plain strings, which always travel back to the parent."""

    kind: str
    message: str


_WORKER: tuple[AnalysisOptions, SourceMatcher] | None = None


def init_worker(options: AnalysisOptions, matcher: SourceMatcher, ingest_pid: int) -> None:
    """Pool initializer: the options travel once per worker, not once per page; the
    worker ends with the ingest that started it, even a SIGKILLed one."""
    global _WORKER
    _WORKER = (options, matcher)
    exit_with(ingest_pid)


def analyse_in_worker(pages: list[ArchivedPage]) -> list[PageResult | Crashed]:
    """One pool task: its pages analysed in order, one result each."""
    from newsclaims.archives.analyse import analyse_pages  # preloaded in the forkserver

    assert _WORKER is not None, "init_worker() runs first"
    return analyse_pages(pages, *_WORKER)
