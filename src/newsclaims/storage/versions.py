"""Earlier texts of an article: a changed page keeps its identity and gains a version.

The article row always holds the latest text (its paragraphs, quotes and claims follow
it); each text it replaced is kept in ``article_versions``, queryable by article and
version number.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Integer, func, insert, literal, select
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.models import UtcDateTime
from newsclaims.storage.upsert import table_of


def keep_previous(session: Session, article_ids: list[int], run_id: int | None) -> None:
    """Copy the articles' current texts into ``article_versions``, in one INSERT … SELECT.

    The caller then replaces the text and bumps ``articles.version``.
    """
    article = table_of(models.Article)
    copied = ("title", "byline", "published_at", "text", "content_hash", "fetched_at")
    current = select(
        article.c.id,
        func.coalesce(article.c.version, 1),
        *(article.c[name] for name in copied),
        literal(datetime.now(UTC), UtcDateTime()),
        literal(run_id, Integer()),
    ).where(article.c.id.in_(article_ids))
    columns = ["article_id", "version", *copied, "replaced_at", "replaced_by_run_id"]
    session.execute(insert(table_of(models.ArticleVersion)).from_select(columns, current))


def history(session: Session, article_id: int) -> list[models.ArticleVersion]:
    """The article's earlier versions, oldest first."""
    query = (
        select(models.ArticleVersion)
        .where(models.ArticleVersion.article_id == article_id)
        .order_by(models.ArticleVersion.version)
    )
    return list(session.scalars(query))
