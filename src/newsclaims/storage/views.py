"""SQL views for analysts (documented in docs/schema.md), created by the Alembic migrations.

One definition for both databases; only string aggregation differs between SQLite
(``group_concat``) and PostgreSQL (``string_agg``).
"""

from __future__ import annotations

_AGGREGATE = {
    "sqlite": "group_concat(DISTINCT {expr})",
    "postgresql": "string_agg(DISTINCT {expr}, ',' ORDER BY {expr})",
}

VIEWS: dict[str, str] = {
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
    "claim_summary": """
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


def view_sql(name: str, dialect: str) -> str:
    aggregate = _AGGREGATE["postgresql" if dialect == "postgresql" else "sqlite"]
    return VIEWS[name].format(outlet_names=aggregate.format(expr="s.name")).strip()


def create_views(execute, dialect: str) -> None:  # type: ignore[no-untyped-def]
    for name in VIEWS:
        execute(f"CREATE VIEW {name} AS\n{view_sql(name, dialect)}")


def drop_views(execute) -> None:  # type: ignore[no-untyped-def]
    for name in reversed(list(VIEWS)):
        execute(f"DROP VIEW IF EXISTS {name}")
