"""Crawl-run bookkeeping: when a run started and ended, what it counted, what failed.

Each call is its own short transaction, apart from any article being written.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from newsclaims import models
from newsclaims import records as items
from newsclaims.storage.owners import owner_is_dead
from newsclaims.storage.upsert import insert_ignore


def start_run(sessions: sessionmaker[Session], spider: str, owner: str | None = None) -> int:
    """A new ``running`` crawl run; returns its id for the rows the run writes."""
    with sessions.begin() as session:
        now = datetime.now(UTC)
        run = models.CrawlRun(
            started_at=now, spider=spider, status="running", owner=owner, heartbeat_at=now
        )
        session.add(run)
        session.flush()
        return run.id


def finish_run(
    sessions: sessionmaker[Session],
    run_id: int,
    status: str,
    counts: dict[str, int],
    stats: dict[str, Any] | None = None,
) -> None:
    """Close the run with its end status, counts (column name → value) and stats."""
    extra = {"stats": json.dumps(stats, default=str, sort_keys=True)} if stats else {}
    with sessions.begin() as session:
        session.execute(
            update(models.CrawlRun)
            .where(models.CrawlRun.id == run_id)
            .values(finished_at=datetime.now(UTC), status=status[:20], **counts, **extra)
        )


def heartbeat(sessions: sessionmaker[Session], run_id: int) -> None:
    """The run is alive (``close_dead_runs`` reads it)."""
    with sessions.begin() as session:
        session.execute(
            update(models.CrawlRun)
            .where(models.CrawlRun.id == run_id, models.CrawlRun.status == "running")
            .values(heartbeat_at=datetime.now(UTC))
        )


def close_dead_runs(sessions: sessionmaker[Session], ttl: float) -> list[int]:
    """Close as ``interrupted`` every ``running`` run whose process died: a dead process
    of this host, or no heartbeat for ``ttl`` seconds. Returns their ids."""
    cutoff = datetime.now(UTC) - timedelta(seconds=ttl)
    closed = []
    with sessions.begin() as session:
        running = session.scalars(
            select(models.CrawlRun).where(models.CrawlRun.status == "running")
        ).all()
        for run in running:
            beat = run.heartbeat_at or run.started_at
            if (run.owner and owner_is_dead(run.owner)) or beat < cutoff:
                run.status = "interrupted"
                run.finished_at = beat
                closed.append(run.id)
    return closed


def record_error(
    sessions: sessionmaker[Session], failure: items.FetchFailure, run_id: int | None
) -> None:
    """One row per URL: the latest reason, how often, first and last run."""
    record_errors(sessions, [failure], run_id)


def record_errors(
    sessions: sessionmaker[Session], failures: list[items.FetchFailure], run_id: int | None
) -> None:
    """``record_error`` for several failures in one transaction (the crawl's batch: one
    commit, not one per skipped page), in URL order so that two writers' transactions lock
    shared rows in the same order."""
    with sessions.begin() as session:
        for failure in sorted(failures, key=lambda f: f.url):
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


def date_coverage(sessions: sessionmaker[Session], run_id: int) -> tuple[int, int]:
    """(articles with a publication date, articles) among those this run stored or updated."""
    article = models.Article
    with sessions() as session:
        total = session.scalar(
            select(func.count()).select_from(article).where(article.last_run_id == run_id)
        )
        dated = session.scalar(
            select(func.count())
            .select_from(article)
            .where(article.last_run_id == run_id, article.published_at.is_not(None))
        )
    return int(dated or 0), int(total or 0)
