"""Which lock a crawl holds, the same for ``newsclaims crawl`` and ``scrapy crawl news``.

A run on its own holds the ``crawl`` lease as itself: a second run against the database
exits (``LockHeld``, exit 4) instead of doing the same work again. Distributed workers are
meant to run together, so the workers of one Redis frontier hold that same lease under the
frontier's name, shared: they never stop each other, while a run on its own (or workers of
another frontier) cannot start beside them, nor they beside it. Each worker is a holder in
the database from the moment it takes the lease; the last live one to leave releases it, a
crashed one's share expires.

A crawl whose lease was lost while it ran (expired, then taken by another run) stops: its
spider closes as ``lost_lock`` (exit 1), since the other run is doing the same work.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from newsclaims.storage.locks import Lease

LOST_LOCK = "lost_lock"
"""The close reason, and run status, of a crawl that lost its lease while it ran."""


def frontier_owner(redis_url: str, prefix: str) -> str:
    """The lease owner every worker of one frontier shares (no password in it)."""
    parts = urlsplit(redis_url)
    where = f"{parts.hostname or 'localhost'}:{parts.port or 6379}{parts.path or '/0'}"
    return f"redis frontier {prefix} at {where}"[:200]


def crawl_lease(settings: Any, url: str, owner: str) -> Lease:
    """The lease this crawl (``owner``: host:pid:token) holds while it runs."""
    ttl = settings.getfloat("NEWSCLAIMS_LOCK_TTL")
    redis_url = settings.get("NEWSCLAIMS_REDIS_URL")
    if not redis_url:
        return Lease(url, owner, ttl)
    return Lease(
        url, frontier_owner(redis_url, settings.get("NEWSCLAIMS_REDIS_PREFIX")), ttl, shared=True
    )


def stop_when_lost(lease: Lease, process: Any) -> None:
    """Close every spider of the Scrapy ``process`` if ``lease`` is lost (from the lease's
    heartbeat thread, so the close is handed to the reactor's)."""

    def close_all() -> None:
        from scrapy.utils.defer import deferred_from_coro

        for crawler in process.crawlers:
            engine = crawler.engine
            if engine is not None and engine.spider is not None:
                deferred_from_coro(engine.close_spider_async(reason=LOST_LOCK))

    def lost() -> None:
        from twisted.internet import reactor

        reactor.callFromThread(close_all)

    lease.on_lost = lost
