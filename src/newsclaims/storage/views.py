"""The analyst views (docs/schema.md): their current SQL, columns and column types.

This module is the one home of the views as they are now. Migrations do not import
it: each revision holds the literal SQL it creates, so editing a view here means a
new revision that drops and recreates it (``tests/test_views.py`` notices when the
two disagree). The column declarations let ``export`` read the views with proper
types (aware UTC times, booleans) without restating them.

One SQL text serves both databases except where string aggregation differs
(``group_concat`` on SQLite, ``string_agg`` on PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Column, Float, Integer, MetaData, String, Table
from sqlalchemy.types import TypeEngine

from newsclaims.models import UtcDateTime


@dataclass(frozen=True)
class View:
    """A view's name, its ``SELECT`` (``{placeholders}`` per dialect) and its columns."""

    name: str
    select: str
    columns: tuple[tuple[str, TypeEngine[Any]], ...]
    dialect_parts: dict[str, dict[str, str]] | None = None

    def sql(self, dialect: str) -> str:
        """The ``SELECT`` for one dialect (``sqlite`` or ``postgresql``)."""
        parts = (self.dialect_parts or {}).get(_dialect(dialect), {})
        return self.select.format(**parts).strip()

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def table(self, metadata: MetaData) -> Table:
        """A table object over the view, for building typed queries against it."""
        return Table(self.name, metadata, *(Column(name, type_) for name, type_ in self.columns))


def _dialect(name: str) -> str:
    return "postgresql" if name == "postgresql" else "sqlite"


_OUTLET_NAMES_FROM = """
            SELECT DISTINCT os.name FROM claim_mentions om
            JOIN quotes oq ON oq.id = om.quote_id
            JOIN articles oa ON oa.id = oq.article_id
            JOIN sources os ON os.id = oa.source_id
            WHERE om.claim_id = c.id"""

_VIEWS = (
    View(
        "article_overview",
        """
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
        (
            ("article_id", Integer()), ("url", String()), ("title", String()),
            ("outlet", String()), ("outlet_name", String()), ("byline", String()),
            ("published", UtcDateTime()), ("fetched", UtcDateTime()), ("language", String()),
            ("topic", String()), ("topic_score", Float()), ("paragraphs", Integer()),
            ("quotes", Integer()), ("syndicated_from_article_id", Integer()),
            ("syndicated_from_url", String()), ("syndication_similarity", Float()),
        ),
    ),
    View(
        "quote_details",
        """
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
""",
        (
            ("quote_id", Integer()), ("article_id", Integer()), ("article_url", String()),
            ("article_title", String()), ("outlet", String()), ("outlet_name", String()),
            ("published", UtcDateTime()), ("topic", String()), ("speaker", String()),
            ("speaker_id", Integer()), ("speaker_mention", String()), ("role", String()),
            ("kind", String()), ("quote", String()), ("cue", String()),
            ("paragraph", Integer()), ("start_offset", Integer()), ("end_offset", Integer()),
            ("inferred", Boolean()), ("syndicated_from_article_id", Integer()),
            ("speaker_type", String()), ("resolution", String()),
        ),
    ),
    View(
        "claim_summary",
        """
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
""",
        (
            ("claim_id", Integer()), ("speaker", String()), ("speaker_id", Integer()),
            ("text", String()), ("outlets", Integer()), ("mentions", Integer()),
            ("syndicated_mentions", Integer()), ("first_seen", UtcDateTime()),
            ("last_seen", UtcDateTime()), ("outlet_names", String()),
            ("speaker_type", String()),
        ),
        {
            # Alphabetical (byte order) on both. SQLite before 3.44 has no ORDER BY inside
            # an aggregate; group_concat takes the rows of the ordered subquery in order.
            "sqlite": {
                "outlet_names": "(SELECT group_concat(n.name, ',') FROM ("
                + _OUTLET_NAMES_FROM
                + "\n            ORDER BY os.name) n)"
            },
            "postgresql": {
                "outlet_names": "(SELECT string_agg(n.name, ',' ORDER BY n.name COLLATE \"C\") FROM ("
                + _OUTLET_NAMES_FROM
                + ") n)"
            },
        },
    ),
    View(
        "claim_wordings",
        """
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
        (
            ("mention_id", Integer()), ("claim_id", Integer()), ("speaker", String()),
            ("canonical_text", String()), ("wording", String()), ("similarity", Float()),
            ("outlet", String()), ("article_url", String()), ("published", UtcDateTime()),
            ("quote_id", Integer()), ("edits", Integer()), ("syndicated", Integer()),
        ),
    ),
    View(
        "claim_wording_edits",
        """
SELECT e.id AS edit_id, m.claim_id, e.mention_id, s.name AS outlet, e.position, e.operation,
       e.canonical_words, e.outlet_words
FROM wording_edits e
JOIN claim_mentions m ON m.id = e.mention_id
JOIN quotes q ON q.id = m.quote_id
JOIN articles a ON a.id = q.article_id
JOIN sources s ON s.id = a.source_id
""",
        (
            ("edit_id", Integer()), ("claim_id", Integer()), ("mention_id", Integer()),
            ("outlet", String()), ("position", Integer()), ("operation", String()),
            ("canonical_words", String()), ("outlet_words", String()),
        ),
    ),
)  # fmt: skip

VIEWS: dict[str, View] = {view.name: view for view in _VIEWS}


def view_sql(name: str, dialect: str) -> str:
    return VIEWS[name].sql(dialect)


def create_view_statement(name: str, dialect: str) -> str:
    """``CREATE VIEW`` exactly as the latest revision issues it."""
    return f"CREATE VIEW {name} AS\n{view_sql(name, dialect)}"


def view_tables(metadata: MetaData) -> dict[str, Table]:
    """Every view as a typed table object in ``metadata``."""
    return {name: view.table(metadata) for name, view in VIEWS.items()}
