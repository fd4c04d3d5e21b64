"""Speaker types and how each quote's speaker was found.

* ``speakers.speaker_type``: ``person``, ``organisation`` or ``unnamed`` (a described
  source such as ``a rebel commander``). Every existing speaker becomes ``person``:
  until now only people were stored as speakers.
* ``quotes.resolution``: how the speaker was found (``named``, ``pronoun``, ``role``,
  ``organisation_reference``, ``description``, ``continuation``). NULL for existing
  quotes: nothing recorded it.
* ``quote_details`` gains ``speaker_type`` and ``resolution``; ``claim_summary`` gains
  ``speaker_type`` (both at the end, so existing column positions stay).

Plain ``ALTER TABLE`` on both databases: a batch rebuild (SQLite) of ``speakers`` or
``quotes`` would trip over the views that read them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OUTLET_NAMES_FROM = """
            SELECT DISTINCT os.name FROM claim_mentions om
            JOIN quotes oq ON oq.id = om.quote_id
            JOIN articles oa ON oa.id = oq.article_id
            JOIN sources os ON os.id = oa.source_id
            WHERE om.claim_id = c.id"""
OUTLET_NAMES = {
    "sqlite": "(SELECT group_concat(n.name, ',') FROM ("
    + _OUTLET_NAMES_FROM
    + "\n            ORDER BY os.name) n)",
    "postgresql": "(SELECT string_agg(n.name, ',' ORDER BY n.name COLLATE \"C\") FROM ("
    + _OUTLET_NAMES_FROM
    + ") n)",
}

# The views as this revision creates them.
_QUOTE_DETAILS = """
SELECT q.id AS quote_id, a.id AS article_id, a.canonical_url AS article_url,
       a.title AS article_title, s.name AS outlet, s.display_name AS outlet_name,
       a.published_at AS published, a.topic, sp.name AS speaker, q.speaker_id,
       q.speaker_mention, q.role, q.kind, q.text AS quote, q.cue,
       q.paragraph_position AS paragraph, q.start AS start_offset, q."end" AS end_offset,
       q.inferred, a.near_duplicate_of_id AS syndicated_from_article_id,
       sp.speaker_type, q.resolution
FROM quotes q
JOIN articles a ON a.id = q.article_id
JOIN sources s ON s.id = a.source_id
LEFT JOIN speakers sp ON sp.id = q.speaker_id
"""
_CLAIM_SUMMARY = """
SELECT c.id AS claim_id, sp.name AS speaker, c.speaker_id, c.canonical_text AS text,
       COUNT(DISTINCT CASE WHEN a.near_duplicate_of_id IS NULL THEN a.source_id END) AS outlets,
       COUNT(m.id) AS mentions,
       SUM(CASE WHEN a.near_duplicate_of_id IS NULL THEN 0 ELSE 1 END) AS syndicated_mentions,
       MIN(COALESCE(a.published_at, a.fetched_at)) AS first_seen,
       MAX(COALESCE(a.published_at, a.fetched_at)) AS last_seen,
       {outlet_names} AS outlet_names,
       sp.speaker_type
FROM claims c
JOIN speakers sp ON sp.id = c.speaker_id
JOIN claim_mentions m ON m.claim_id = c.id
JOIN quotes q ON q.id = m.quote_id
JOIN articles a ON a.id = q.article_id
JOIN sources s ON s.id = a.source_id
GROUP BY c.id, sp.name, c.speaker_id, c.canonical_text, sp.speaker_type
"""

# What revisions 0003 (quote_details) and 0004 (claim_summary) created, for the downgrade.
_QUOTE_DETAILS_0003 = """
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
"""
_CLAIM_SUMMARY_0004 = """
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


def _dialect() -> str:
    return "postgresql" if op.get_bind().dialect.name == "postgresql" else "sqlite"


def _create_views(quote_details: str, claim_summary: str) -> None:
    op.execute(f"CREATE VIEW quote_details AS\n{quote_details.strip()}")
    sql = claim_summary.format(outlet_names=OUTLET_NAMES[_dialect()]).strip()
    op.execute(f"CREATE VIEW claim_summary AS\n{sql}")


def _drop_views() -> None:
    op.execute("DROP VIEW IF EXISTS claim_summary")
    op.execute("DROP VIEW IF EXISTS quote_details")


def upgrade() -> None:
    _drop_views()
    op.add_column("speakers", sa.Column("speaker_type", sa.String(length=20), nullable=True))
    op.add_column("quotes", sa.Column("resolution", sa.String(length=30), nullable=True))
    op.execute("UPDATE speakers SET speaker_type = 'person'")
    _create_views(_QUOTE_DETAILS, _CLAIM_SUMMARY)


def downgrade() -> None:
    # The views go first: they read the columns being dropped (PostgreSQL refuses otherwise).
    _drop_views()
    op.drop_column("quotes", "resolution")
    op.drop_column("speakers", "speaker_type")
    _create_views(_QUOTE_DETAILS_0003, _CLAIM_SUMMARY_0004)
