"""Quotes and speakers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speakers")),
        sa.UniqueConstraint("name", name=op.f("uq_speakers_name")),
    )
    op.create_table(
        "speaker_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["speakers.id"],
            name=op.f("fk_speaker_roles_speaker_id_speakers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_roles")),
        sa.UniqueConstraint("speaker_id", "role", name=op.f("uq_speaker_roles_speaker_id_role")),
    )
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("paragraph_id", sa.Integer(), nullable=True),
        sa.Column("paragraph_position", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("speaker_mention", sa.String(length=300), nullable=True),
        sa.Column("role", sa.String(length=300), nullable=True),
        sa.Column("cue", sa.String(length=50), nullable=True),
        sa.Column("inferred", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_quotes_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["paragraph_id"],
            ["paragraphs.id"],
            name=op.f("fk_quotes_paragraph_id_paragraphs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name=op.f("fk_quotes_speaker_id_speakers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
        sa.UniqueConstraint(
            "article_id",
            "paragraph_position",
            "start",
            name=op.f("uq_quotes_article_id_paragraph_position_start"),
        ),
    )
    op.create_index(op.f("ix_quotes_paragraph_id"), "quotes", ["paragraph_id"])
    op.create_index(op.f("ix_quotes_speaker_id"), "quotes", ["speaker_id"])


def downgrade() -> None:
    op.drop_table("quotes")
    op.drop_table("speaker_roles")
    op.drop_table("speakers")
