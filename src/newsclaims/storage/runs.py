"""Crawl-run bookkeeping: when a run started and ended, what it counted, what failed.

Each call is its own short transaction, apart from any article being written.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from newsclaims import models
from newsclaims import records as items
from newsclaims.storage.upsert import insert_ignore


def start_run(sessions: sessionmaker[Session], spider: str) -> int:
    """A new ``running`` crawl run; returns its id for the rows the run writes."""
    with sessions.begin() as session:
        run = models.CrawlRun(started_at=datetime.now(UTC), spider=spider, status="running")
        session.add(run)
        session.flush()
        return run.id


def finish_run(
    sessions: sessionmaker[Session], run_id: int, status: str, counts: dict[str, int]
) -> None:
    """Close the run with its end status and counts (column name → value)."""
    with sessions.begin() as session:
        session.execute(
            update(models.CrawlRun)
            .where(models.CrawlRun.id == run_id)
            .values(finished_at=datetime.now(UTC), status=status[:20], **counts)
        )


def record_error(
    sessions: sessionmaker[Session], failure: items.FetchFailure, run_id: int | None
) -> None:
    """One row per URL: the latest reason, how often, first and last run."""
    with sessions.begin() as session:
        insert_ignore(
            session,
            models.FetchError,
            {
                "url": failure.url,
                "reason": failure.reason,
                "status": failure.status,
                "first_run_id": run_id,
                "last_run_id": run_id,
                "first_seen_at": failure.fetched_at,
                "last_seen_at": failure.fetched_at,
                "attempts": 0,
            },
            ["url"],
        )
        session.execute(
            update(models.FetchError)
            .where(models.FetchError.url == failure.url)
            .values(
                reason=failure.reason,
                status=failure.status,
                last_run_id=run_id,
                last_seen_at=failure.fetched_at,
                attempts=models.FetchError.attempts + 1,
            )
        )
