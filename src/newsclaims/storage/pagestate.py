"""What each URL's last fetch found, so a later run skips it or re-fetches conditionally.

Rows are written only once a page's item is done (stored, skipped or failed), so a run
killed mid-crawl never marks a page it had not finished; the links a page had are kept
so a skipped page's links are still followed (a resumed run reaches what it had not).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from newsclaims import models
from newsclaims.discovery.urls import url_hash


@dataclass(frozen=True)
class PageRecord:
    """A finished page as the crawl saw it (written by ``record``)."""

    url: str
    outcome: str
    checked_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    entry_updated: datetime | None = None
    links: tuple[str, ...] = ()
    article_url: str | None = None
    """The stored article's canonical URL, when the page became one."""


@dataclass(frozen=True)
class KnownPage:
    outcome: str
    checked_at: datetime
    etag: str | None
    last_modified: str | None
    entry_updated: datetime | None
    links: tuple[str, ...] = field(default=(), repr=False)


def key(url: str) -> str:
    """The lookup key of a URL: the same hash articles use (tracking, www, scheme folded)."""
    return url_hash(url)


def load(sessions: sessionmaker[Session]) -> dict[str, KnownPage]:
    """Every known page by ``key``: read once when a crawl starts (about 1 KB a page)."""
    query = select(
        models.PageState.url_hash,
        models.PageState.outcome,
        models.PageState.checked_at,
        models.PageState.etag,
        models.PageState.last_modified,
        models.PageState.entry_updated,
        models.PageState.links,
    )
    with sessions() as session:
        known = {
            row.url_hash: KnownPage(
                row.outcome,
                row.checked_at,
                row.etag,
                row.last_modified,
                row.entry_updated,
                tuple(row.links.split("\n")) if row.links else (),
            )
            for row in session.execute(query)
        }
        # A stored article is known even without its page row (stored before revision
        # 0006, or killed between the two writes): its text is here, nothing to fetch.
        articles = select(models.Article.url_hash, models.Article.fetched_at)
        for row in session.execute(articles):
            known.setdefault(row.url_hash, KnownPage("stored", row.fetched_at, None, None, None))
        return known


def record(
    sessions: sessionmaker[Session], records: Iterable[PageRecord], run_id: int | None
) -> None:
    """Insert or replace each page's row, in one transaction."""
    with sessions.begin() as session:
        insert = (
            postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        )
        for page in records:
            article_id = None
            if page.article_url:
                article_id = session.scalar(
                    select(models.Article.id).where(
                        models.Article.url_hash == url_hash(page.article_url)
                    )
                )
            values = {
                "url": page.url,
                "outcome": page.outcome,
                "article_id": article_id,
                "etag": page.etag,
                "last_modified": page.last_modified,
                "entry_updated": page.entry_updated,
                "checked_at": page.checked_at,
                "links": "\n".join(page.links) or None,
                "run_id": run_id,
            }
            statement = insert(models.PageState).values(url_hash=key(page.url), **values)
            session.execute(
                statement.on_conflict_do_update(index_elements=["url_hash"], set_=values)
            )


def confirm(
    sessions: sessionmaker[Session],
    urls: Iterable[str],
    checked_at: datetime,
    run_id: int | None,
    entry_updated: datetime | None = None,
) -> None:
    """A 304: the page is as stored; only the time it was confirmed moves."""
    hashes = [key(url) for url in urls]
    values: dict[str, object] = {"checked_at": checked_at, "run_id": run_id}
    if entry_updated is not None:
        values["entry_updated"] = entry_updated
    with sessions.begin() as session:
        session.execute(
            update(models.PageState).where(models.PageState.url_hash.in_(hashes)).values(**values)
        )


def note_entry(sessions: sessionmaker[Session], url: str, updated: datetime) -> None:
    """The feed/sitemap date of a page stored without one (or with an older one seen
    while it was being fetched): later dates are compared with it."""
    state = models.PageState
    with sessions.begin() as session:
        session.execute(
            update(state)
            .where(
                state.url_hash == key(url),
                (state.entry_updated.is_(None)) | (state.entry_updated < updated),
            )
            .values(entry_updated=updated)
        )
