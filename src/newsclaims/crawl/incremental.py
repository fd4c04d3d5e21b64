"""Incremental crawling: a later run fetches only what is new or changed.

Feeds and sitemaps are read every run. A page a previous run finished (an article
stored, a section page, an off-topic story) is not fetched again unless its feed or
sitemap entry carries a later date than the one last seen, or ``NEWSCLAIMS_REVISIT_AFTER``
passed (section and listing pages, where new links appear: ``NEWSCLAIMS_REVISIT_LISTINGS_AFTER``;
failed pages: ``NEWSCLAIMS_RETRY_ERRORS_AFTER``); start pages are always asked for. Every re-fetch is conditional (``If-None-Match``/``If-Modified-Since`` from the
stored ETag and Last-Modified). A skipped page and a 304 answer become a small synthetic
response listing the links the page had, so the spider still follows them: a run killed
mid-way is resumed by the next one without fetching what it had finished.

A page is recorded (``storage.pagestate``) once its item is done, never on download, so
a killed run never marks a page it had not stored. The records are written on the
recorder's own thread, what is queued in one transaction (up to ``RECORD_BATCH``
operations, the first waiting at most ``RECORD_INTERVAL`` seconds): one commit per page
was most of the records' cost in the crawl's process. A record lost to a kill before its
batch was written only costs a re-fetch (a stored article is known by its article row).
"""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response

from newsclaims import runstats
from newsclaims.crawl.configuration import database_url
from newsclaims.discovery.feeds import Entry
from newsclaims.records import Article, CrawledPage, FetchFailure
from newsclaims.storage import database as db
from newsclaims.storage import pagestate
from newsclaims.storage.errors import DataRejected, TransactionConflict
from newsclaims.storage.pagestate import KnownPage, PageRecord

logger = logging.getLogger(__name__)

KNOWN = "nc_known"  # meta: the response is synthetic, the page's outcome last time
LINKS = "nc_links"  # meta: the in-scope links the spider found on the page
CONDITIONAL = "nc_conditional"
RECORD_BATCH = 500
"""At most this many page-state operations in one transaction (setting
``NEWSCLAIMS_PAGESTATE_BATCH``)."""
RECORD_INTERVAL = 1.0
"""Seconds the first queued operation waits for others to join its transaction (setting
``NEWSCLAIMS_PAGESTATE_INTERVAL``); the close writes at once."""

Operation = tuple[Callable[..., None], tuple[Any, ...]]
"""A page-state write (``pagestate.record``, ``confirm``, ``note_entry``) and its
arguments after the session."""


@functools.lru_cache(maxsize=4096)
def _key(url: str) -> str:
    """``pagestate.key`` (a canonicalisation and a hash, ~20 us) once for a URL met again
    soon: a page's request is looked up when it is sent and recorded when its item is
    done, by the same URL; the cache holds the last few thousand."""
    return pagestate.key(url)


def _page_request(request: Request) -> bool:
    return getattr(request.callback, "__name__", "") == "parse_page"


def _is_html(response: Response) -> bool:
    content_type = response.headers.get("Content-Type") or b"html"
    return response.status == 304 or b"html" in content_type


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class Incremental:
    """Downloader middleware deciding what to fetch, and the recorder of finished pages."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        if not settings.getbool("NEWSCLAIMS_INCREMENTAL"):
            raise NotConfigured
        self.crawler = crawler
        self.stats = crawler.stats
        self.url = database_url(settings)
        self.revisit_after = settings.getfloat("NEWSCLAIMS_REVISIT_AFTER")
        self.retry_errors_after = settings.getfloat("NEWSCLAIMS_RETRY_ERRORS_AFTER")
        self.revisit_listings_after = settings.getfloat("NEWSCLAIMS_REVISIT_LISTINGS_AFTER")
        self.known: dict[str, KnownPage] = {}
        self.entry_dates: dict[str, datetime] = {}
        """The feed/sitemap date of each URL this run, however the page was reached."""
        self.recorded: set[str] = set()
        self.skipped: set[str] = set()
        self.batch_size = max(1, settings.getint("NEWSCLAIMS_PAGESTATE_BATCH", RECORD_BATCH))
        self.batch_interval = settings.getfloat("NEWSCLAIMS_PAGESTATE_INTERVAL", RECORD_INTERVAL)
        self.queue: queue.SimpleQueue[Operation | None] = queue.SimpleQueue()
        self.batches = 0
        """Transactions the recorder committed (for tests and the bench)."""
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsclaims-pages")
        self.recorder: threading.Thread | None = None
        self.engine: Any = None
        self.sessions: Any = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> Incremental:
        return cls(crawler)

    # -- state -------------------------------------------------------------------------
    async def spider_opened(self, spider: Any) -> None:
        await asyncio.get_running_loop().run_in_executor(self.executor, self._load)
        # A daemon: a crawl that dies without closing loses only what was queued.
        self.recorder = threading.Thread(
            target=self._record_queued, name="newsclaims-pagestate", daemon=True
        )
        self.recorder.start()

    def _load(self) -> None:
        try:
            self.engine = db.make_engine(self.url)
            self.sessions = db.make_sessionmaker(self.engine)
            with db.database_errors(self.url):
                self.known = pagestate.load(self.sessions)
        except Exception as exc:  # no state (database down): this run fetches everything
            logger.warning("incremental state unavailable, fetching every page: %s", exc)
            self.known = {}
        logger.info("incremental: %d known pages", len(self.known))

    async def spider_closed(self, spider: Any) -> None:
        self.queue.put(None)  # the recorder writes what is queued and returns
        await asyncio.get_running_loop().run_in_executor(self.executor, self._dispose)
        self.executor.shutdown(wait=False)

    def _dispose(self) -> None:
        if self.recorder is not None:
            self.recorder.join()
        if self.engine is not None:
            self.engine.dispose()

    def _submit(self, func: Any, *args: Any) -> None:
        """Queue a write for the recorder; a failed write only costs a re-fetch later."""
        self.queue.put((func, args))

    def _record_queued(self) -> None:
        """The recorder: wait for an operation, gather what follows for at most
        ``batch_interval`` seconds (or ``batch_size`` operations), write them in one
        transaction; return at the close, once what was queued before it is written."""
        closed = False
        while not closed:
            first = self.queue.get()
            if first is None:
                return
            batch = [first]
            deadline = time.monotonic() + self.batch_interval
            while len(batch) < self.batch_size:
                try:
                    operation = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if operation is None:
                    closed = True
                    break
                batch.append(operation)
            self._write(batch)

    def _write(self, batch: list[Operation]) -> None:
        if self.sessions is None:
            return
        try:
            try:
                self._transaction(batch)
            except TransactionConflict:  # another worker's transaction: run it again
                self._transaction(batch)
        except DataRejected as exc:  # one bad record: the others are written one by one
            if len(batch) == 1:
                logger.warning("could not record page state: %s", exc)
                return
            for operation in batch:
                self._write([operation])
        except Exception as exc:  # an outage: these pages are fetched again next time
            logger.warning("could not record the state of %d pages: %s", len(batch), exc)

    def _transaction(self, batch: list[Operation]) -> None:
        with db.database_errors(self.url), self.sessions.begin() as session:
            for func, args in _merged(batch):
                func(session, *args)
        self.batches += 1

    def _run_id(self) -> int | None:
        value = self.stats.get_value(runstats.RUN_ID)
        return int(value) if value is not None else None

    # -- deciding ----------------------------------------------------------------------
    def _changed(self, known: KnownPage, entry: Entry | None, page: str) -> bool:
        """The feed or sitemap gives a later date than the one seen when it was stored.

        The date is the request's own entry's, else the one noted for the page this run: a
        sitemap's request that came as a duplicate of a link request still waiting in the
        scheduler carries the only date, and the link request has none.
        """
        updated = entry.updated if entry is not None else None
        if updated is None:
            updated = self.entry_dates.get(page)
        if updated is None:
            return False
        return updated > (known.entry_updated or known.checked_at)

    def _note_entry(self, request: Request) -> None:
        """Remember the entry's date; a page stored without one (reached by a link) gets
        it, so the next change of the date is seen."""
        entry: Entry | None = request.meta.get("nc_entry")
        if entry is None or entry.updated is None:
            return
        page = _key(request.url)
        if page in self.entry_dates and self.entry_dates[page] >= entry.updated:
            return
        self.entry_dates[page] = entry.updated
        known = self.known.get(page)
        if page in self.recorded or (known is not None and known.entry_updated is None):
            self._submit(pagestate.note_entry, request.url, entry.updated)

    def process_request(self, request: Request) -> Response | None:
        if not _page_request(request) or request.meta.get(KNOWN):
            return None
        page = _key(request.url)
        known = self.known.get(page)
        if known is None:
            self._note_entry(request)
            return None
        age = (datetime.now(UTC) - known.checked_at).total_seconds()
        if known.outcome == "error":
            return None if age >= self.retry_errors_after else self._skip(request, known)
        entry: Entry | None = request.meta.get("nc_entry")
        revisit = (
            self.revisit_listings_after if known.outcome == "not_article" else self.revisit_after
        )
        due = (
            age >= revisit
            or self._changed(known, entry, page)
            or request.meta.get("nc_via") == "start"
        )
        if not due:
            self._note_entry(request)
            return self._skip(request, known)
        self._note_entry(request)
        if known.etag:
            request.headers["If-None-Match"] = known.etag
        if known.last_modified:
            request.headers["If-Modified-Since"] = known.last_modified
        request.meta[CONDITIONAL] = known
        return None

    def _skip(self, request: Request, known: KnownPage) -> Response:
        self.stats.inc_value(runstats.SKIPPED_KNOWN)
        self.skipped.add(_key(request.url))
        self._record_redirect(request)  # a redirect to a page this run already finished
        return self._links_response(request, known)

    def _links_response(self, request: Request, known: KnownPage) -> Response:
        """What the spider sees instead of the page: its links, nothing to analyse."""
        request.meta[KNOWN] = known.outcome
        anchors = "".join(
            f'<a href="{html.escape(link)}">{i}</a>' for i, link in enumerate(known.links)
        )
        body = f"<html><body>{anchors}</body></html>".encode()
        return HtmlResponse(
            url=request.url, status=200, body=body, encoding="utf-8", request=request
        )

    def process_response(self, request: Request, response: Response) -> Response:
        known: KnownPage | None = request.meta.get(CONDITIONAL)
        if _page_request(request) and not request.meta.get(KNOWN) and not _is_html(response):
            if 200 <= response.status < 300:  # a binary: nothing to analyse or follow
                record = PageRecord(
                    url=request.url, outcome="not_html", checked_at=datetime.now(UTC)
                )
                self._submit(pagestate.record, [record], self._run_id())
            return response
        if response.status != 304 or known is None:
            return response
        self.stats.inc_value(runstats.NOT_MODIFIED)
        entry: Entry | None = request.meta.get("nc_entry")
        urls = {request.url, *(request.meta.get("redirect_urls") or [])}
        updated = entry.updated if entry else None
        self._submit(pagestate.confirm, urls, datetime.now(UTC), self._run_id(), updated)
        return self._links_response(request, known)

    # -- recording ---------------------------------------------------------------------
    def item_scraped(self, item: Any, response: Any, spider: Any) -> None:
        if isinstance(item, Article):
            self._record(response, "stored", str(item.canonical_url))
        elif isinstance(item, FetchFailure) and item.skipped:
            # Left out on purpose and recorded (issue 10): a page like any other, not an error.
            outcome = _skip_outcome(item.reason)
            if outcome is not None:
                self._record(response, outcome, None)
        elif isinstance(item, FetchFailure):
            urls = {item.url}
            if isinstance(response, Response):
                urls |= {response.url, *(response.meta.get("redirect_urls") or [])}
            now = datetime.now(UTC)
            records = [PageRecord(url=u, outcome="error", checked_at=now) for u in urls]
            self._submit(pagestate.record, records, self._run_id())

    def request_dropped(self, request: Request, spider: Any) -> None:
        """A duplicate request: keep its feed/sitemap date; a redirect to a page already
        crawled: record where it leads, so it is known."""
        if _page_request(request):
            self._note_entry(request)
            self._fetch_if_changed(request)
            self._record_redirect(request)

    def _record_redirect(self, request: Request) -> None:
        """A redirect whose target is not fetched (a duplicate, or known): the URLs it came
        from are recorded as leading there, so the next run knows them."""
        sources = request.meta.get("redirect_urls") or []
        if not sources:
            return
        now = datetime.now(UTC)
        records = [PageRecord(u, "redirect", now, links=(request.url,)) for u in sources]
        self._submit(pagestate.record, records, self._run_id())

    def _fetch_if_changed(self, request: Request) -> None:
        """A feed said "unchanged" and was followed first; the sitemap's later date for the
        same page came as a duplicate: fetch the page after all."""
        page = _key(request.url)
        known = self.known.get(page)
        if page not in self.skipped or known is None:
            return
        if self._changed(known, request.meta.get("nc_entry"), page):
            self.skipped.discard(page)
            self.stats.inc_value(runstats.SKIPPED_KNOWN, -1)
            retry = request.replace(dont_filter=True)
            retry.meta.pop(KNOWN, None)
            self.crawler.engine.crawl(retry)

    def item_dropped(self, item: Any, response: Any, exception: Any, spider: Any) -> None:
        if isinstance(item, CrawledPage):
            outcome = "off_topic" if str(exception).startswith("off topic") else "not_article"
            self._record(response, outcome, None)

    def _record(self, response: Any, outcome: str, article_url: str | None) -> None:
        if not isinstance(response, Response) or response.meta.get(KNOWN):
            return
        entry: Entry | None = response.meta.get("nc_entry")
        urls = {response.url, *(response.meta.get("redirect_urls") or [])}
        dates = [self.entry_dates.get(_key(u)) for u in urls]
        dates.append(entry.updated if entry else None)
        fields = {
            "outcome": outcome,
            "checked_at": datetime.now(UTC),
            "etag": _header(response, "ETag"),
            "last_modified": _header(response, "Last-Modified"),
            "entry_updated": max((d for d in dates if d is not None), default=None),
            "links": tuple(response.meta.get(LINKS) or ()),
            "article_url": article_url,
        }
        records = [PageRecord(url=url, **fields) for url in sorted(urls)]  # type: ignore[arg-type]
        for record in records:
            page = _key(record.url)
            self.recorded.add(page)
            self.known[page] = KnownPage(
                outcome, record.checked_at, record.etag, record.last_modified,
                record.entry_updated, record.links,
            )  # fmt: skip
        self._submit(pagestate.record, records, self._run_id())


def _merged(batch: list[Operation]) -> list[Operation]:
    """Consecutive records of one run as one ``pagestate.record`` (one look-up, one
    executemany); the order of the operations is kept, so a later write still wins."""
    merged: list[Operation] = []
    for func, args in batch:
        if func is pagestate.record and merged and merged[-1][0] is pagestate.record:
            records, run_id = merged[-1][1]
            if run_id == args[1]:
                merged[-1] = (func, ([*records, *args[0]], run_id))
                continue
        merged.append((func, args))
    return merged


def _skip_outcome(reason: str) -> str | None:
    """The page state of a page the pipelines left out on purpose; None for a note on a
    stored article or a link never requested (their own records say what they are)."""
    if reason.startswith("not an article"):
        return "not_article"
    if reason.startswith("off topic"):
        return "off_topic"
    return None
