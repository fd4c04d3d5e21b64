"""The ``news`` spider: feeds, news sitemaps and followed links of the configured sources."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newsclaims import runstats
from newsclaims.config.sources import Source, SourcesFile
from newsclaims.crawl import incremental
from newsclaims.crawl.configuration import crawl_depth, load_config
from newsclaims.crawl.responses import take_scrapy_text
from newsclaims.discovery.feeds import Entry, parse_feed, parse_sitemap
from newsclaims.discovery.urls import host_name, in_scope
from newsclaims.pages.decoding import decoded
from newsclaims.records import CrawledPage, FetchFailure
from newsclaims.spiders.links import Links

# Feed/sitemap entries outside the source's domains or allow/deny (Scrapy's stats only).
OUT_OF_SCOPE = "newsclaims/out_of_scope_entries"
ROBOTS_REFUSAL = "Forbidden by robots.txt"
# fetch_errors.url is a unique key: PostgreSQL's btree refuses entries over ~2,700 bytes.
RECORDED_URL_CHARS = 2000


def recorded_url(url: str) -> str:
    """The URL as recorded in fetch_errors: cut, with its length, when it is too long."""
    if len(url) <= RECORDED_URL_CHARS:
        return url
    return f"{url[:RECORDED_URL_CHARS]}…({len(url)} characters)"


def describe_failure(failure: Failure) -> str:
    """'ExceptionName: message', with the exception's own summary when it has no message."""
    name = failure.type.__name__ if failure.type else "Error"
    message = failure.getErrorMessage().strip()
    if not message and failure.type and failure.type.__doc__:
        message = failure.type.__doc__.strip().splitlines()[0]
    return f"{name}: {message}" if message else name


class NewsSpider(scrapy.Spider):
    """Crawl every source in the sources file; yield each HTML page for the pipelines.

    Run with ``scrapy crawl news -a sources=FILE`` or ``newsclaims crawl``.
    """

    name = "news"

    def __init__(self, sources: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sources_arg = sources
        self.config: SourcesFile | None = None
        self.allowed_domains: list[str] = []
        self._extractors: dict[str, Links] = {}
        self.follow_links = True

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider._sources_arg:
            # `-a sources=FILE`: the pipelines read the same file through the settings.
            crawler.settings.set("NEWSCLAIMS_SOURCES", spider._sources_arg, priority="cmdline")
        spider.config = load_config(crawler.settings)
        # Scrapy's offsite filter takes host names only (it ignores an entry with a port).
        spider.allowed_domains = sorted(
            {host_name(d) for s in spider.config.sources for d in s.domains}
        )
        if (
            "DEPTH_LIMIT" not in crawler.settings.attributes
            or (crawler.settings.getpriority("DEPTH_LIMIT") or 0) <= 0
        ):
            depth = crawl_depth(crawler.settings, spider.config)
            crawler.settings.set("DEPTH_LIMIT", depth, priority="spider")
        # Depth 0 means the entry points only (start pages, feeds, sitemaps and the
        # articles they list), not Scrapy's "no limit": no link is followed at all.
        spider.follow_links = crawler.settings.getint("DEPTH_LIMIT") > 0
        if (crawler.settings.getpriority("SCRAPER_SLOT_MAX_ACTIVE_SIZE") or 0) <= 0:
            # Scrapy's 5 MB, unless set: enough pages waiting for the workers, no more.
            waiting = crawler.settings.getint("NEWSCLAIMS_WAITING_BYTES_PER_WORKER")
            workers = max(1, crawler.settings.getint("NEWSCLAIMS_EXTRACT_WORKERS"))
            crawler.settings.set("SCRAPER_SLOT_MAX_ACTIVE_SIZE", waiting * workers, "spider")
        # Scrapy's LinkExtractor(allow, deny, allow_domains), its answers at a fraction of
        # the cost (spiders.links).
        spider._extractors = {
            s.name: Links(allow=s.allow, deny=s.deny, domains=s.domains)
            for s in spider.config.sources
        }
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        assert self.config is not None
        for source in self.config.sources:
            for feed in source.feeds:
                yield self._request(str(feed), source, self.parse_feed, via="feed", offsite=True)
            for sitemap in source.sitemaps:
                yield self._request(
                    str(sitemap), source, self.parse_sitemap, via="sitemap", offsite=True
                )
            for page in source.start_pages:
                yield self._request(str(page), source, self.parse_page, via="start")

    def _request(
        self,
        url: str,
        source: Source,
        callback: Any,
        via: str,
        entry: Entry | None = None,
        *,
        offsite: bool = False,
    ) -> scrapy.Request:
        """``offsite``: a configured feed or sitemap, fetched wherever it is hosted
        (feeds.bbci.co.uk for www.bbc.com); the article links it lists obey ``domains``."""
        meta: dict[str, Any] = {"nc_source": source.name, "nc_via": via}
        if offsite:
            meta["allow_offsite"] = True
        if entry is not None:
            meta["nc_entry"] = entry
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)

    def _source(self, response: Response) -> Source:
        assert self.config is not None
        return self.config.source(response.meta["nc_source"])

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        source = self._source(response)
        for entry in parse_feed(response.body):
            url = response.urljoin(entry.url)
            if self._in_scope(url, source):
                yield self._request(url, source, self.parse_page, "feed", entry)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        source = self._source(response)
        content = parse_sitemap(response.body)
        for child in content.child_sitemaps:
            yield self._request(
                response.urljoin(child), source, self.parse_sitemap, "sitemap", offsite=True
            )
        for entry in content.entries:
            url = response.urljoin(entry.url)
            if self._in_scope(url, source):
                yield self._request(url, source, self.parse_page, "sitemap", entry)

    def _in_scope(self, url: str, source: Source) -> bool:
        """Feed and sitemap entries obey the source's domains and allow/deny, as links do."""
        if in_scope(url, source.domains, source.allow, source.deny):
            return True
        self.crawler.stats.inc_value(OUT_OF_SCOPE)
        return False

    def parse_page(self, response: Response) -> Iterator[Any]:
        """Hand HTML to the pipelines and follow the source's links; skip binaries.

        A page a previous run finished arrives as its links only (``crawl.incremental``):
        they are followed, nothing is analysed again.
        """
        source = self._source(response)
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        if not isinstance(response, TextResponse) or "html" not in (content_type or "html"):
            self.crawler.stats.inc_value(runstats.SKIPPED_NOT_HTML)
            yield FetchFailure(
                url=recorded_url(response.url),
                reason=f"not HTML ({content_type.split(';')[0].strip() or 'no content type'})",
                status=response.status,
                source=source.name,
                skipped=True,
            )
            return
        limit = self.crawler.settings.getint("URLLENGTH_LIMIT")
        extracted = [link.url for link in self._extractors[source.name].extract_links(response)]
        links = [url for url in extracted if not limit or len(url) <= limit]
        if response.meta.get(incremental.KNOWN):
            if self.follow_links:
                for url in links:
                    yield self._request(url, source, self.parse_page, "link")
            return
        response.meta[incremental.LINKS] = links  # recorded with the page once it is done
        entry: Entry | None = response.meta.get("nc_entry")
        redirects = response.meta.get("redirect_urls") or [response.url]
        yield CrawledPage(
            url=response.url,
            requested_url=redirects[0],
            source=source.name,
            status=response.status,
            body=response.body,
            encoding=response.encoding,
            text=_text_to_hand_on(response),
            discovered_via=response.meta.get("nc_via", "link"),
            feed_title=entry.title if entry else None,
            feed_published=entry.published if entry else None,
        )
        if not self.follow_links:
            return
        for url in extracted:
            if limit and len(url) > limit:
                # Scrapy's UrlLengthMiddleware would drop it with a log line only.
                self.crawler.stats.inc_value(runstats.REFUSED)
                yield FetchFailure(
                    url=recorded_url(url),
                    reason=f"not requested: URL of {len(url)} characters is longer than "
                    f"URLLENGTH_LIMIT ({limit}), linked from {response.url}",
                    source=source.name,
                    skipped=True,
                )
                continue
            yield self._request(url, source, self.parse_page, "link")

    def on_error(self, failure: Failure) -> Iterator[FetchFailure]:
        """Record what failed so the operator sees it; robots.txt refusals are not failures.

        Other refusals (a body over DOWNLOAD_MAXSIZE after decompression, a redirect loop,
        a redirect off the source's domains) are recorded with Scrapy's reason.
        """
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            if str(failure.value) == ROBOTS_REFUSAL:
                self.crawler.stats.inc_value(runstats.IGNORED)
                return
            first = (request.meta.get("redirect_urls") or [request.url])[0]
            yield FetchFailure(
                url=recorded_url(first),
                reason=f"refused: {failure.getErrorMessage() or 'ignored by a middleware'}",
                source=request.meta.get("nc_source"),
            )
            return
        error = failure.value
        status = error.response.status if isinstance(error, HttpError) else None
        reason = f"HTTP {status}" if status else describe_failure(failure)
        yield FetchFailure(
            url=recorded_url(request.url),
            reason=reason,
            status=status,
            source=request.meta.get("nc_source"),
        )


def _text_to_hand_on(response: TextResponse) -> str | None:
    """The page waits for its analysis as bytes, which the worker decodes
    (``records.CrawledPage``). A text Scrapy made to guess the encoding is dropped from the
    response, and handed on only where the encoding's name would not give it back."""
    text = take_scrapy_text(response)
    if text is None or decoded(response.body, response.encoding) == text:
        return None
    return text
