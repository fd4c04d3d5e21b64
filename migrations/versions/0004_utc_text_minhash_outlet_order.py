"""ISO 8601 UTC times on SQLite, stored article MinHash, outlet_names in alphabetical order.

* SQLite: every datetime value is rewritten from SQLAlchemy's default text
  (``2014-12-03 09:00:00.000000``) to ``2014-12-03T09:00:00Z``, so comparing with an
  ISO 8601 literal in SQL selects the same rows as on PostgreSQL. Nothing to do on
  PostgreSQL (``timestamptz``).
* ``articles.minhash``: the article's MinHash values, so near-duplicate checks stop
  recomputing every candidate's signature from its text. NULL for existing rows;
  filled the first time a row is compared.
* ``claim_summary``: ``outlet_names`` sorted (byte order) on both databases.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATETIME_COLUMNS = (
    ("crawl_runs", "started_at"),
    ("crawl_runs", "finished_at"),
    ("articles", "published_at"),
    ("articles", "fetched_at"),
    ("fetch_errors", "first_seen_at"),
    ("fetch_errors", "last_seen_at"),
    ("claims", "created_at"),
)
NEW_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
OLD_FORMAT = "%Y-%m-%d %H:%M:%S.%f"

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
# What revision 0003 created, for the downgrade.
OUTLET_NAMES_0003 = {
    "sqlite": "group_concat(DISTINCT s.name)",
    "postgresql": "string_agg(DISTINCT s.name, ',' ORDER BY s.name)",
}


def _dialect() -> str:
    return "postgresql" if op.get_bind().dialect.name == "postgresql" else "sqlite"


def _recreate_claim_summary(outlet_names: dict[str, str]) -> None:
    op.execute("DROP VIEW IF EXISTS claim_summary")
    sql = _CLAIM_SUMMARY.format(outlet_names=outlet_names[_dialect()]).strip()
    op.execute(f"CREATE VIEW claim_summary AS\n{sql}")


def _to_new(value: str) -> str:
    """Any time SQLite holds (naive = UTC, fraction dropped) as ``YYYY-MM-DDTHH:MM:SSZ``."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    utc = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return utc.strftime(NEW_FORMAT)


def _to_old(value: str) -> str:
    return datetime.strptime(value, NEW_FORMAT).strftime(OLD_FORMAT)


def _rewrite_sqlite_times(convert: Callable[[str], str]) -> None:
    bind = op.get_bind()
    for table, column in DATETIME_COLUMNS:
        rows = bind.execute(
            sa.text(f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL")
        ).all()
        changes = []
        for rowid, value in rows:
            try:
                new = convert(value)
            except (TypeError, ValueError):
                continue  # not a time this schema ever wrote; leave it for a human to see
            if new != value:
                changes.append({"rowid": rowid, "value": new})
        if changes:
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE rowid = :rowid"), changes
            )


def upgrade() -> None:
    if _dialect() == "sqlite":
        _rewrite_sqlite_times(_to_new)
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("minhash", sa.LargeBinary(), nullable=True))
    _recreate_claim_summary(OUTLET_NAMES)


def downgrade() -> None:
    _recreate_claim_summary(OUTLET_NAMES_0003)
    # Plain ALTER TABLE (SQLite 3.35+): a batch rebuild of articles would trip over the
    # views that read it.
    op.drop_column("articles", "minhash")
    if _dialect() == "sqlite":
        _rewrite_sqlite_times(_to_old)
