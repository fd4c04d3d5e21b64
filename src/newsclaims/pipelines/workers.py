"""What the crawl's analysis worker processes run, in a module that imports no Scrapy.

A worker imports the module of every function it is sent; sent from
``pipelines.analyse``, the initializer loaded Scrapy and Twisted into every worker
(~26 MB each, for nothing).
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time
from dataclasses import dataclass

from newsclaims.pages.options import AnalysisOptions
from newsclaims.records import Article, FetchedPage
from newsclaims.storage.owners import pid_alive


@dataclass(frozen=True)
class AnalysedPage:
    """What the crawl needs of ``pages.analyse.Analysis``: a class the parent can unpickle
    without importing the analysis (trafilatura, the quote finder: ~30 MB it never runs)."""

    article: Article
    on_topic: bool
    repeated_paragraphs: int


def analyse(page: FetchedPage, options: AnalysisOptions) -> AnalysedPage:
    """``analyse_page`` in a worker (imported here, not at the top, to keep it out of the
    crawl's own process; the forkserver has it loaded already, see ``pages.preload``)."""
    from newsclaims.pages.analyse import analyse_page

    analysis = analyse_page(page, options)
    return AnalysedPage(analysis.article, analysis.on_topic, analysis.repeated_paragraphs)


def start_worker(crawl_pid: int) -> None:
    """Worker initializer: the crawl handles Ctrl-C and shuts the pool down; the worker
    dies with the crawl."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with(crawl_pid)


def _exit_with(crawl_pid: int) -> None:
    """End this worker as soon as the crawl process is gone, however it died.

    A SIGKILLed crawl cannot stop its pool, and a worker's parent is the forkserver, not
    the crawl; a worker busy on a page reads no pipe that would tell it, and kept running
    (with the forkserver and resource tracker waiting on it) until the page was done,
    unbounded once the crawl's time limit could no longer kill it. A thread waits on the
    crawl's pidfd (Linux), elsewhere polls for it every second.
    """
    try:
        handle: int | None = os.pidfd_open(crawl_pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd_open here
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
        else:
            while pid_alive(crawl_pid):
                time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="newsclaims-crawl-watch", daemon=True).start()
