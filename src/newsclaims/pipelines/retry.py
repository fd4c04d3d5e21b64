"""Bounded retries with backoff for a write that met a database outage.

A PostgreSQL restart or fail-over is over in seconds; spooling every page it touches
would leave them all for the next run. So a write that fails with ``DatabaseUnavailable``
is tried again after ``backoff``, then twice that, … (at most ``MAX_DELAY`` apart), up to
``retries`` times; only then does the caller spool the item. A refused value
(``DataRejected``) is no outage and is never retried, nor is a misconfigured database
(``DatabaseMisconfigured``: schema not migrated, read-only file, login refused), which
waiting cannot mend: the caller gets it at once (the store pipeline stops the crawl). Once a write has spent its retries
the database counts as down, and later writes are tried once each until one succeeds: a
long outage costs every page one attempt, not the whole backoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from newsclaims.storage.errors import DatabaseMisconfigured, DatabaseUnavailable, DataRejected

logger = logging.getLogger(__name__)

T = TypeVar("T")
MAX_DELAY = 30.0


class WriteRetry:
    def __init__(self, retries: int, backoff: float) -> None:
        self.retries = max(0, retries)
        self.backoff = max(0.0, backoff)
        self.down = False
        """The last write spent its retries and none has succeeded since."""

    def delay(self, attempt: int) -> float:
        """Seconds before retry number ``attempt`` (1, 2, …)."""
        return min(self.backoff * 2 ** (attempt - 1), MAX_DELAY)

    async def run(
        self, write: Callable[[], Awaitable[T]], retried: Callable[[], object] | None = None
    ) -> T:
        """``write()``'s result, retried on an outage; the last ``DatabaseUnavailable``
        when every attempt failed. ``retried`` is called before each retry (a counter)."""
        retries = 0 if self.down else self.retries
        attempt = 0
        while True:
            try:
                result = await write()
            except (DataRejected, DatabaseMisconfigured):
                raise
            except DatabaseUnavailable as exc:
                if attempt == retries:
                    self.down = True
                    raise
                attempt += 1
                delay = self.delay(attempt)
                logger.warning(
                    "database unavailable, write retry %d of %d in %.1f s: %s",
                    attempt, retries, delay, exc,
                )  # fmt: skip
                if retried is not None:
                    retried()
                await asyncio.sleep(delay)
            else:
                self.down = False
                return result
