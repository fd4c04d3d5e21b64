"""Earlier texts of an article: a changed page keeps its identity and gains a version.

The article row always holds the latest text (its paragraphs, quotes and claims follow
it); each text it replaced is kept in ``article_versions``, queryable by article and
version number.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsclaims import models


def keep_previous(session: Session, row: models.Article, run_id: int | None) -> None:
    """Copy the row's current text into ``article_versions`` and bump its version."""
    session.add(
        models.ArticleVersion(
            article_id=row.id,
            version=row.version or 1,
            title=row.title,
            byline=row.byline,
            published_at=row.published_at,
            text=row.text,
            content_hash=row.content_hash,
            fetched_at=row.fetched_at,
            replaced_at=datetime.now(UTC),
            replaced_by_run_id=run_id,
        )
    )
    row.version = (row.version or 1) + 1


def history(session: Session, article_id: int) -> list[models.ArticleVersion]:
    """The article's earlier versions, oldest first."""
    query = (
        select(models.ArticleVersion)
        .where(models.ArticleVersion.article_id == article_id)
        .order_by(models.ArticleVersion.version)
    )
    return list(session.scalars(query))
