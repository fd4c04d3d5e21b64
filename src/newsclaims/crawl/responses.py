"""The text Scrapy decoded of a response, the one place that reads or drops it.

A page waits for its analysis as bytes (``records.CrawledPage``). Scrapy decodes a page
itself only to guess the encoding of a page that declares none (no BOM, HTTP charset or meta
charset: ``TextResponse._body_inferred_encoding``), and keeps that text on the response as
the cache ``response.text`` returns; every other page is still bytes in the crawl's process.
"""

from __future__ import annotations

from scrapy.http import TextResponse


def scrapy_text(response: TextResponse) -> str | None:
    """The page's text if Scrapy decoded it already, else None."""
    response.encoding  # noqa: B018  (settles the encoding: a guess decodes the page)
    return response._cached_ubody


def take_scrapy_text(response: TextResponse) -> str | None:
    """``scrapy_text``, dropped from the response (``response.text`` would decode anew)."""
    text = scrapy_text(response)
    response._cached_ubody = None
    return text
