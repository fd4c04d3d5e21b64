"""Distributed crawling: workers on any number of machines share one Redis frontier.

Built on scrapy-redis 0.9.1's ``Scheduler`` and queue, thinly extended (docs/choices.md):

* Our own spider's ``async def start()`` yields the configured feeds, sitemaps and start
  pages; scrapy-redis's ``RedisSpider`` (only ``start_requests``, start URLs read from a
  Redis list) is not used.
* **A run** begins when a worker opens on an idle cluster (no live worker, nothing queued
  or in flight): the duplicate filter is cleared then, so each scheduled run reads the
  feeds again while the workers of one run never fetch a URL twice.
* **The duplicate filter is bounded**: a sorted set of fingerprints scored by the time
  seen; entries older than ``NEWSCLAIMS_REDIS_SEEN_TTL`` count as unseen and are trimmed.
* **Nothing is lost with a worker**: a popped request is kept in an in-flight hash (one
  Lua call, atomic) until its page is done; a worker whose heartbeat key expired has its
  in-flight requests pushed back by the survivors.
* **Workers close by themselves** once the frontier (queue and in-flight) has been empty
  for ``NEWSCLAIMS_REDIS_IDLE_CLOSE`` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from newsclaims.records import Article, CrawledPage, FetchFailure

logger = logging.getLogger(__name__)

INFLIGHT = "nc_inflight"  # meta: this request's field in the in-flight hash
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"

_POP = """
local popped = redis.call('ZRANGE', KEYS[1], 0, 0)
if #popped == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('HSET', KEYS[2], ARGV[1], popped[1])
return popped[1]
"""
_SEEN = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) >= tonumber(ARGV[2]) - tonumber(ARGV[3]) then return 1 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 0
"""


def keys(spider: Any) -> dict[str, str]:
    """Every Redis key of this crawl, under ``NEWSCLAIMS_REDIS_PREFIX:spider``."""
    return frontier_keys(spider.settings.get("NEWSCLAIMS_REDIS_PREFIX"), spider.name)


def frontier_keys(base: str, spider_name: str) -> dict[str, str]:
    prefix = f"{base}:{spider_name}"
    return {
        "queue": f"{prefix}:requests",
        "seen": f"{prefix}:seen",
        "inflight": f"{prefix}:inflight",
        "workers": f"{prefix}:workers",
        "worker": f"{prefix}:worker:",
        "open": f"{prefix}:open-lock",
    }


class TrackedQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop keeps the request in flight until done."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.inflight_key = keys(spider)["inflight"]
        self._pop = server.register_script(_POP)
        self._count = 0

    def pop(self, timeout: int = 0) -> Request | None:
        self._count += 1
        field = f"{WORKER_ID}|{self._count}"
        data = self._pop(keys=[self.key, self.inflight_key], args=[field])
        if not data:
            return None
        request: Request = self._decode_request(data)
        request.meta[INFLIGHT] = field
        return request


class ExpiringDupeFilter(RFPDupeFilter):
    """Fingerprints in a sorted set scored by time: seen within the TTL, else new."""

    def __init__(self, server: Any, key: str, ttl: float, debug: bool = False) -> None:
        super().__init__(server, key, debug)
        self.ttl = ttl
        self._seen = server.register_script(_SEEN)
        self._adds = 0

    @classmethod
    def from_spider(cls, spider: Any) -> ExpiringDupeFilter:
        from scrapy_redis.connection import get_redis_from_settings

        settings = spider.settings
        server = get_redis_from_settings(settings)
        ttl = settings.getfloat("NEWSCLAIMS_REDIS_SEEN_TTL")
        return cls(server, keys(spider)["seen"], ttl, settings.getbool("DUPEFILTER_DEBUG"))

    def request_seen(self, request: Request) -> bool:
        now = time.time()
        fingerprint = self.request_fingerprint(request)
        seen = self._seen(keys=[self.key], args=[fingerprint, now, self.ttl])
        self._adds += 1
        if self._adds % 500 == 0:
            self.server.zremrangebyscore(self.key, "-inf", now - self.ttl)
        return bool(seen)

    def close(self, reason: str = "") -> None:
        """Shared by every worker: one closing must not clear it for the others."""


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler on our queue and filter; it clears the filter when a new
    run begins and never flushes the shared frontier when one worker closes."""

    def open(self, spider: Any) -> None:
        names = keys(spider)
        self.queue_key = names["queue"]
        self.persist = True
        with self.server.lock(names["open"], timeout=30, blocking_timeout=60):
            live = [w for w in self.server.smembers(names["workers"]) if self._alive(names, w)]
            super().open(spider)
            if not live and not len(self.queue) and not self.server.hlen(names["inflight"]):
                self.server.delete(names["seen"])
                logger.info("a new distributed run begins: duplicate filter cleared")
            heartbeat(self.server, spider, spider.settings.getfloat("NEWSCLAIMS_LOCK_TTL"))

    def _alive(self, names: dict[str, str], worker: bytes) -> bool:
        alive = bool(self.server.exists(names["worker"] + worker.decode()))
        if not alive:
            self.server.srem(names["workers"], worker)
        return alive


def heartbeat(server: Any, spider: Any, ttl: float) -> None:
    names = keys(spider)
    server.set(names["worker"] + WORKER_ID, "1", ex=max(1, int(ttl)))
    server.sadd(names["workers"], WORKER_ID)


class Frontier:
    """Extension: in-flight bookkeeping, requeueing a dead worker's requests, and closing
    once the shared frontier has been empty for ``NEWSCLAIMS_REDIS_IDLE_CLOSE`` seconds."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        if not settings.get("NEWSCLAIMS_REDIS_URL"):
            raise NotConfigured
        from scrapy_redis.connection import get_redis_from_settings

        self.crawler = crawler
        self.server = get_redis_from_settings(settings)
        self.idle_close = settings.getfloat("NEWSCLAIMS_REDIS_IDLE_CLOSE")
        self.ttl = settings.getfloat("NEWSCLAIMS_LOCK_TTL")
        self.names: dict[str, str] = {}
        self.idle_since: float | None = None
        self.task: asyncio.Task[None] | None = None
        for handler, signal in (
            (self.spider_opened, signals.spider_opened),
            (self.spider_closed, signals.spider_closed),
            (self.spider_idle, signals.spider_idle),
            (self.response_received, signals.response_received),
            (self.item_done, signals.item_scraped),
            (self.item_done, signals.item_dropped),
            (self.item_done, signals.item_error),
            (self.request_dropped, signals.request_dropped),
        ):
            crawler.signals.connect(handler, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Any) -> Frontier:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.names = keys(spider)
        self.task = asyncio.get_event_loop().create_task(self._beat(spider))

    async def _beat(self, spider: Any) -> None:
        while True:
            await asyncio.sleep(self.ttl / 3)
            try:
                heartbeat(self.server, spider, self.ttl)
            except Exception as exc:
                logger.warning("could not renew the worker's heartbeat in Redis: %s", exc)

    def spider_closed(self, spider: Any) -> None:
        if self.task is not None:
            self.task.cancel()
        self._forget_own()
        self.server.delete(self.names["worker"] + WORKER_ID)
        self.server.srem(self.names["workers"], WORKER_ID)

    # -- done ---------------------------------------------------------------------------
    def _done(self, meta: Any) -> None:
        field = meta.get(INFLIGHT) if meta is not None else None
        if field:
            self.server.hdel(self.names["inflight"], field)

    def response_received(self, response: Response, request: Request, spider: Any) -> None:
        """Feeds, sitemaps, known pages and failures are done when answered; an HTML page
        when its item is (``item_done``)."""
        page = getattr(request.callback, "__name__", "") == "parse_page"
        html = b"html" in (response.headers.get("Content-Type") or b"html")
        if not (page and html and 200 <= response.status < 300) or request.meta.get("nc_known"):
            self._done(request.meta)

    def item_done(self, item: Any, response: Any, spider: Any, **_: Any) -> None:
        if isinstance(item, CrawledPage | Article | FetchFailure):
            if isinstance(response, Response):
                self._done(response.meta)
            elif hasattr(response, "request"):  # an errback's Failure
                self._done(response.request.meta)

    def request_dropped(self, request: Request, spider: Any) -> None:
        self._done(request.meta)

    # -- idle ---------------------------------------------------------------------------
    def _forget_own(self) -> None:
        """Idle or closing, this worker has nothing in flight: drop its leftovers."""
        inflight = self.names["inflight"]
        own = [f for f in self.server.hkeys(inflight) if f.decode().startswith(WORKER_ID + "|")]
        if own:
            self.server.hdel(inflight, *own)

    def _requeue_dead(self) -> int:
        """Push back what dead workers (heartbeat expired) had in flight."""
        inflight, queue = self.names["inflight"], self.names["queue"]
        moved = 0
        for field, data in self.server.hgetall(inflight).items():
            worker = field.decode().rsplit("|", 1)[0]
            if worker == WORKER_ID or self.server.exists(self.names["worker"] + worker):
                continue
            if self.server.hdel(inflight, field):  # only one survivor requeues it
                self.server.execute_command("ZADD", queue, 0, data)
                moved += 1
        if moved:
            logger.warning("requeued %d requests of a dead worker", moved)
        return moved

    def spider_idle(self, spider: Any) -> None:
        self._forget_own()
        busy = self._requeue_dead() or self.server.zcard(self.names["queue"])
        busy = busy or self.server.hlen(self.names["inflight"])
        now = time.monotonic()
        if busy:
            self.idle_since = None
            raise DontCloseSpider
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_close:
            raise DontCloseSpider
