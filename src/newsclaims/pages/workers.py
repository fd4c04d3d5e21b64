"""What the crawl's analysis worker processes run, importable without Scrapy.

A worker imports the module of every function it is sent; sent from
``pipelines.analyse``, it loaded Scrapy and Twisted too (~26 MB per worker, for nothing).
"""

from __future__ import annotations

import signal


def start_worker() -> None:
    """Worker initializer: ignore Ctrl-C (the parent handles it and shuts the pool down)
    and load the analysis before the first page, so no page's time limit pays for it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import newsclaims.pages.analyse  # noqa: F401
