"""Claims, syndicated copies, the topic of each article, and the analyst views.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 16:51:11.478651
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The views as this revision created them: literal SQL, so later edits to the live
# definitions (newsclaims.storage.views) cannot rewrite history. Order matters for drops.
_CLAIM_SUMMARY = """
SELECT c.id AS claim_id, sp.name AS speaker, c.speaker_id, c.canonical_text AS text,
       COUNT(DISTINCT CASE WHEN a.near_duplicate_of_id IS NULL THEN a.source_id END) AS outlets,
       COUNT(m.id) AS mentions,
       SUM(CASE WHEN a.near_duplicate_of_id IS NULL THEN 0 ELSE 1 END) AS syndicated_mentions,
       MIN(COALESCE(a.published_at, a.fetched_at)) AS first_seen,
       MAX(COALESCE(a.published_at, a.fetched_at)) AS last_seen,
       {outlet_names} AS outlet_names
FROM claims c
JOIN speakers sp ON sp.id = c.speaker_id
JOIN claim_mentions m ON m.claim_id = c.id
JOIN quotes q ON q.id = m.quote_id
JOIN articles a ON a.id = q.article_id
JOIN sources s ON s.id = a.source_id
GROUP BY c.id, sp.name, c.speaker_id, c.canonical_text
"""
_OUTLET_NAMES = {
    "sqlite": "group_concat(DISTINCT s.name)",
    "postgresql": "string_agg(DISTINCT s.name, ',' ORDER BY s.name)",
}
_VIEWS: dict[str, str] = {
    "article_overview": """
SELECT a.id AS article_id, a.canonical_url AS url, a.title, s.name AS outlet,
       s.display_name AS outlet_name, a.byline, a.published_at AS published, a.fetched_at AS fetched,
       a.language, a.topic, a.topic_score,
       (SELECT COUNT(*) FROM paragraphs p WHERE p.article_id = a.id) AS paragraphs,
       (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) AS quotes,
       a.near_duplicate_of_id AS syndicated_from_article_id,
       o.canonical_url AS syndicated_from_url, a.near_duplicate_similarity AS syndication_similarity
FROM articles a
JOIN sources s ON s.id = a.source_id
LEFT JOIN articles o ON o.id = a.near_duplicate_of_id
""",
    "quote_details": """
SELECT q.id AS quote_id, a.id AS article_id, a.canonical_url AS article_url,
       a.title AS article_title, s.name AS outlet, s.display_name AS outlet_name,
       a.published_at AS published, a.topic, sp.name AS speaker, q.speaker_id,
       q.speaker_mention, q.role, q.kind, q.text AS quote, q.cue,
       q.paragraph_position AS paragraph, q.start AS start_offset, q."end" AS end_offset,
       q.inferred, a.near_duplicate_of_id AS syndicated_from_article_id
FROM quotes q
JOIN articles a ON a.id = q.article_id
JOIN sources s ON s.id = a.source_id
LEFT JOIN speakers sp ON sp.id = q.speaker_id
""",
    "claim_wordings": """
SELECT m.id AS mention_id, m.claim_id, sp.name AS speaker, c.canonical_text, m.wording,
       m.similarity, s.name AS outlet, a.canonical_url AS article_url,
       a.published_at AS published, m.quote_id,
       (SELECT COUNT(*) FROM wording_edits e WHERE e.mention_id = m.id) AS edits,
       CASE WHEN a.near_duplicate_of_id IS NULL THEN 0 ELSE 1 END AS syndicated
FROM claim_mentions m
JOIN claims c ON c.id = m.claim_id
JOIN speakers sp ON sp.id = c.speaker_id
JOIN quotes q ON q.id = m.quote_id
JOIN articles a ON a.id = q.article_id
JOIN sources s ON s.id = a.source_id
""",
    "claim_wording_edits": """
SELECT e.id AS edit_id, m.claim_id, e.mention_id, s.name AS outlet, e.position, e.operation,
       e.canonical_words, e.outlet_words
FROM wording_edits e
JOIN claim_mentions m ON m.id = e.mention_id
JOIN quotes q ON q.id = m.quote_id
JOIN articles a ON a.id = q.article_id
JOIN sources s ON s.id = a.source_id
""",
}
_VIEW_ORDER = (
    "article_overview",
    "quote_details",
    "claim_summary",
    "claim_wordings",
    "claim_wording_edits",
)


def _view_sql(name: str, dialect: str) -> str:
    if name == "claim_summary":
        aggregate = _OUTLET_NAMES["postgresql" if dialect == "postgresql" else "sqlite"]
        return _CLAIM_SUMMARY.format(outlet_names=aggregate).strip()
    return _VIEWS[name].strip()


def _create_views() -> None:
    dialect = op.get_bind().dialect.name
    for name in _VIEW_ORDER:
        op.execute(f"CREATE VIEW {name} AS\n{_view_sql(name, dialect)}")


def _drop_views() -> None:
    for name in reversed(_VIEW_ORDER):
        op.execute(f"DROP VIEW IF EXISTS {name}")


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

    _create_views()


def downgrade() -> None:
    _drop_views()
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
