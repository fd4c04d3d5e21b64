"""Incremental crawling, article versions, run bookkeeping and the crawl lock.

* ``page_states``: per requested URL, what its last fetch found (outcome, ETag,
  Last-Modified, feed/sitemap date, its links), so later runs skip or ask conditionally.
* ``article_versions`` and ``articles.version``: a changed text keeps the old one.
* ``crawl_runs`` gains ``updated``, ``not_modified``, ``skipped``, ``replayed``, the
  ``owner`` process, its ``heartbeat_at`` and the crawl's ``stats`` (JSON).
* ``locks``: named leases (the crawl lock) that work the same on SQLite and PostgreSQL.

Plain ``ADD COLUMN`` on both databases (the views read ``articles``; a batch rebuild
would trip over them).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)

RUN_COUNTERS = ("updated", "not_modified", "skipped", "replayed")


def upgrade() -> None:
    op.add_column(
        "articles", sa.Column("version", sa.Integer(), server_default="1", nullable=False)
    )
    for name in RUN_COUNTERS:
        op.add_column(
            "crawl_runs", sa.Column(name, sa.Integer(), server_default="0", nullable=False)
        )
    op.add_column("crawl_runs", sa.Column("owner", sa.String(length=200), nullable=True))
    op.add_column("crawl_runs", sa.Column("heartbeat_at", UTC_DATETIME, nullable=True))
    op.add_column("crawl_runs", sa.Column("stats", sa.Text(), nullable=True))
    op.create_table(
        "article_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("byline", sa.Text(), nullable=True),
        sa.Column("published_at", UTC_DATETIME, nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=40), nullable=False),
        sa.Column("fetched_at", UTC_DATETIME, nullable=False),
        sa.Column("replaced_at", UTC_DATETIME, nullable=False),
        sa.Column("replaced_by_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_versions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_article_versions_replaced_by_run_id_crawl_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_versions")),
        sa.UniqueConstraint(
            "article_id", "version", name=op.f("uq_article_versions_article_id_version")
        ),
    )
    op.create_table(
        "page_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url_hash", sa.String(length=40), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.String(length=64), nullable=True),
        sa.Column("entry_updated", UTC_DATETIME, nullable=True),
        sa.Column("checked_at", UTC_DATETIME, nullable=False),
        sa.Column("links", sa.Text(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_page_states_article_id_articles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"], name=op.f("fk_page_states_run_id_crawl_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_states")),
        sa.UniqueConstraint("url_hash", name=op.f("uq_page_states_url_hash")),
    )
    op.create_index(op.f("ix_page_states_article_id"), "page_states", ["article_id"])
    op.create_table(
        "locks",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("acquired_at", UTC_DATETIME, nullable=True),
        sa.Column("expires_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_locks")),
    )


def downgrade() -> None:
    op.drop_table("locks")
    op.drop_index(op.f("ix_page_states_article_id"), table_name="page_states")
    op.drop_table("page_states")
    op.drop_table("article_versions")
    for name in ("stats", "heartbeat_at", "owner", *RUN_COUNTERS):
        op.drop_column("crawl_runs", name)
    op.drop_column("articles", "version")
