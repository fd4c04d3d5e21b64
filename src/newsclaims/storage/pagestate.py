"""What each URL's last fetch found, so a later run skips it or re-fetches conditionally.

Rows are written only once a page's item is done (stored, skipped or failed), so a run
killed mid-crawl never marks a page it had not finished (the writers take the caller's
session: the crawl's recorder writes what is queued in one transaction); the links a page
had are kept so a skipped page's links are still followed (a resumed run reaches what it
had not).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select, update
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


def record(session: Session, records: Iterable[PageRecord], run_id: int | None) -> None:
    """Insert or replace each page's row, in the caller's transaction.

    One look-up for the batch's article ids and one executemany upsert (the crawl's
    recorder writes whatever is queued at once); a URL recorded twice keeps its last
    record, as one upsert after the other would."""
    pages = {key(page.url): page for page in records}  # the last record of a URL wins
    if not pages:
        return
    wanted = {url_hash(p.article_url) for p in pages.values() if p.article_url}
    article_ids: dict[str, int] = {}
    for chunk in _chunks(sorted(wanted)):
        found = session.execute(
            select(models.Article.url_hash, models.Article.id).where(
                models.Article.url_hash.in_(chunk)
            )
        )
        article_ids.update({row.url_hash: row.id for row in found})
    table = cast(Table, models.PageState.__table__)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    columns = ("url", "outcome", "article_id", "etag", "last_modified", "entry_updated",
               "checked_at", "links", "run_id")  # fmt: skip
    statement = insert.on_conflict_do_update(
        index_elements=["url_hash"], set_={name: insert.excluded[name] for name in columns}
    )
    rows = [
        {
            "url_hash": page_key,
            "url": page.url,
            "outcome": page.outcome,
            "article_id": article_ids.get(url_hash(page.article_url)) if page.article_url else None,
            "etag": page.etag,
            "last_modified": page.last_modified,
            "entry_updated": page.entry_updated,
            "checked_at": page.checked_at,
            "links": "\n".join(page.links) or None,
            "run_id": run_id,
        }
        for page_key, page in pages.items()
    ]
    session.execute(statement, rows)


def _chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def confirm(
    session: Session,
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
    session.execute(
        update(models.PageState).where(models.PageState.url_hash.in_(hashes)).values(**values)
    )


def note_entry(session: Session, url: str, updated: datetime) -> None:
    """The feed/sitemap date of a page stored without one (or with an older one seen
    while it was being fetched): later dates are compared with it."""
    state = models.PageState
    session.execute(
        update(state)
        .where(
            state.url_hash == key(url),
            (state.entry_updated.is_(None)) | (state.entry_updated < updated),
        )
        .values(entry_updated=updated)
    )
