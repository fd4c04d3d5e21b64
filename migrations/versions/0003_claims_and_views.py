"""Claims, syndicated copies, the topic of each article, and the analyst views.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 16:51:11.478651
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from newsclaims.storage.views import create_views, drop_views

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("canonical_text", sa.Text(), nullable=False),
        sa.Column("match_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name=op.f("fk_claims_speaker_id_speakers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_speaker_id"), ["speaker_id"], unique=False)

    op.create_table(
        "article_signatures",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_signatures_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "band", name=op.f("pk_article_signatures")),
    )
    with op.batch_alter_table("article_signatures", schema=None) as batch_op:
        batch_op.create_index("ix_article_signatures_band_key", ["band", "bucket"], unique=False)

    op.create_table(
        "claim_signatures",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_signatures_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name=op.f("fk_claim_signatures_speaker_id_speakers")
        ),
        sa.PrimaryKeyConstraint("claim_id", "band", name=op.f("pk_claim_signatures")),
    )
    with op.batch_alter_table("claim_signatures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_claim_signatures_lookup", ["speaker_id", "band", "bucket"], unique=False
        )

    op.create_table(
        "claim_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("sentence_start", sa.Integer(), nullable=False),
        sa.Column("sentence_end", sa.Integer(), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_mentions_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_claim_mentions_quote_id_quotes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_mentions")),
        sa.UniqueConstraint(
            "quote_id", "sentence_start", name=op.f("uq_claim_mentions_quote_id_sentence_start")
        ),
    )
    with op.batch_alter_table("claim_mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_mentions_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "wording_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mention_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=10), nullable=False),
        sa.Column("canonical_words", sa.Text(), nullable=False),
        sa.Column("outlet_words", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["claim_mentions.id"],
            name=op.f("fk_wording_edits_mention_id_claim_mentions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wording_edits")),
    )
    with op.batch_alter_table("wording_edits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wording_edits_mention_id"), ["mention_id"], unique=False
        )

    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("topic", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("near_duplicate_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("near_duplicate_similarity", sa.Float(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_articles_near_duplicate_of_id"), ["near_duplicate_of_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_articles_topic"), ["topic"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_articles_near_duplicate_of_id_articles"),
            "articles",
            ["near_duplicate_of_id"],
            ["id"],
        )

    create_views(op.execute, op.get_bind().dialect.name)


def downgrade() -> None:
    drop_views(op.execute)
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_articles_near_duplicate_of_id_articles"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_articles_topic"))
        batch_op.drop_index(batch_op.f("ix_articles_near_duplicate_of_id"))
        batch_op.drop_column("near_duplicate_similarity")
        batch_op.drop_column("near_duplicate_of_id")
        batch_op.drop_column("topic")

    with op.batch_alter_table("wording_edits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wording_edits_mention_id"))

    op.drop_table("wording_edits")
    with op.batch_alter_table("claim_mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_mentions_claim_id"))

    op.drop_table("claim_mentions")
    with op.batch_alter_table("claim_signatures", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_signatures_lookup")

    op.drop_table("claim_signatures")
    with op.batch_alter_table("article_signatures", schema=None) as batch_op:
        batch_op.drop_index("ix_article_signatures_band_key")

    op.drop_table("article_signatures")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_speaker_id"))

    op.drop_table("claims")
