"""Which lock a crawl holds, the same for ``newsclaims crawl`` and ``scrapy crawl news``.

A run on its own holds the ``crawl`` lease as itself: a second run against the database
exits (``LockHeld``, exit 4) instead of doing the same work again. Distributed workers are
meant to run together, so the workers of one Redis frontier hold that same lease under the
frontier's name, shared: they never stop each other, while a run on its own (or workers of
another frontier) cannot start beside them, nor they beside it. The last worker to leave
releases it (the others' heartbeats are in Redis); a crashed one leaves it to expire.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from newsclaims.storage.locks import Lease


def frontier_owner(redis_url: str, prefix: str) -> str:
    """The lease owner every worker of one frontier shares (no password in it)."""
    parts = urlsplit(redis_url)
    where = f"{parts.hostname or 'localhost'}:{parts.port or 6379}{parts.path or '/0'}"
    return f"redis frontier {prefix} at {where}"[:200]


def crawl_lease(settings: Any, url: str, owner: str, spider_name: str = "news") -> Lease:
    """The lease this crawl (``owner``: host:pid:token) holds while it runs."""
    ttl = settings.getfloat("NEWSCLAIMS_LOCK_TTL")
    redis_url = settings.get("NEWSCLAIMS_REDIS_URL")
    if not redis_url:
        return Lease(url, owner, ttl)
    # Here, not at the top: scrapy-redis is the optional `redis` extra, and a crawl
    # without --redis must run where it is not installed.
    from newsclaims.crawl import distributed

    return Lease(
        url,
        frontier_owner(redis_url, settings.get("NEWSCLAIMS_REDIS_PREFIX")),
        ttl,
        shared=True,
        release_if=lambda: distributed.other_live_workers(settings, spider_name) == 0,
    )
