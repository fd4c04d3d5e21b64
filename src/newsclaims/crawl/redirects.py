"""Redirects that go nowhere useful end as a recorded refusal, not a silent drop.

Scrapy drops a redirect back to an already requested URL in its duplicate filter and a
redirect off the site in its offsite filter, both with a debug line at most, so the page
disappears unrecorded. Here a loop (a target already in the request's redirect chain)
and an off-site target raise ``IgnoreRequest``, which sends the request to the spider's
errback, which records the reason in ``fetch_errors``; any other target is followed even
when requested before (it ends as a stored article or a duplicate of one).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import get_meta_refresh as scrapy_meta_refresh
from w3lib.html import get_base_url, get_meta_refresh

from newsclaims.crawl.responses import scrapy_text
from newsclaims.discovery.urls import in_scope
from newsclaims.pages.decoding import head_text


class RecordedRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirect handling, refusing loops and off-site targets with a reason."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            hops = " → ".join([*chain[chain.index(redirected.url) :], redirected.url])
            raise IgnoreRequest(f"redirect loop: {hops}")
        if not request.meta.get("allow_offsite") and not self._on_site(redirected, request):
            raise IgnoreRequest(f"redirect off the source's domains to {redirected.url}")
        followed = super()._redirect(redirected, request, reason)
        # The target may be a URL the crawl requested before: the duplicate filter would
        # drop it without a word. Loops are caught above, chains by REDIRECT_MAX_TIMES.
        followed.dont_filter = True
        return followed

    def _on_site(self, redirected: Request, request: Request) -> bool:
        spider = self.crawler.spider
        config = getattr(spider, "config", None)
        name = request.meta.get("nc_source")
        if config is None or name is None:
            return True  # not one of the news spider's pages: Scrapy's filters decide
        return in_scope(redirected.url, config.source(name).domains, [], [])


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta refresh redirects, reading only the page's first 4,096 characters.

    Scrapy's reads the same characters but through ``response.text``, which decodes the
    whole page and keeps the text on the response for as long as the page waits for its
    analysis; the analysis worker decodes the page itself (``records.CrawledPage``).
    The checks and the redirect are Scrapy's (``tests/test_meta_refresh.py``).
    """

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if (
            request.meta.get("dont_redirect", False)
            or request.method == "HEAD"
            or not isinstance(response, HtmlResponse)
            or urlparse_cached(request).scheme not in {"http", "https"}
        ):
            return response
        if scrapy_text(response) is not None:
            # Scrapy decoded the page to guess its encoding: its own reading, from that text.
            interval, url = scrapy_meta_refresh(response, ignore_tags=self._ignore_tags)
        else:
            encoding = response.encoding
            head = head_text(response.body, encoding)
            base = get_base_url(head, response.url, encoding)
            interval, url = get_meta_refresh(head, base, encoding, ignore_tags=self._ignore_tags)
        if not url:
            return response
        redirected = self._redirect_request_using_get(request, response, url)
        if urlparse_cached(redirected).scheme not in {"http", "https"}:
            return response
        if interval is not None and interval < self._maxdelay:
            return self._redirect(redirected, request, "meta refresh")
        return response
