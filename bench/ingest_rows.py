"""What an ingest stored, as counts and one hash, independent of row ids and write order.

For comparing two versions of the code on the same archive (``bench/results/pipeline.txt``
cites it): every table joined to its natural keys (article URL, speaker name, claim text)
instead of ids, rows sorted, run ids and the run's own timestamps left out.

Run: python bench/ingest_rows.py DB.sqlite
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys

QUERIES = {
    "articles": """
        SELECT a.url, a.canonical_url, a.url_hash, s.name, a.title, a.byline, a.published_at,
               a.fetched_at, a.language, a.site_name, a.text, a.content_hash, a.http_status,
               a.topic_score, a.topic, o.url, a.near_duplicate_similarity, hex(a.minhash),
               a.version
        FROM articles a JOIN sources s ON s.id = a.source_id
        LEFT JOIN articles o ON o.id = a.near_duplicate_of_id""",
    "paragraphs": """
        SELECT a.url, p.position, p.text FROM paragraphs p JOIN articles a ON a.id = p.article_id""",
    "quotes": """
        SELECT a.url, q.paragraph_position, q.start, q."end", q.text, q.kind, s.name,
               q.speaker_mention, q.role, q.cue, q.inferred, q.resolution, p.position
        FROM quotes q JOIN articles a ON a.id = q.article_id
        LEFT JOIN speakers s ON s.id = q.speaker_id
        LEFT JOIN paragraphs p ON p.id = q.paragraph_id""",
    "speakers": "SELECT name, speaker_type FROM speakers",
    "speaker_roles": """
        SELECT s.name, r.role FROM speaker_roles r JOIN speakers s ON s.id = r.speaker_id""",
    "claims": """
        SELECT s.name, c.canonical_text, c.match_text FROM claims c
        LEFT JOIN speakers s ON s.id = c.speaker_id""",
    "claim_mentions": """
        SELECT s.name, c.canonical_text, a.url, q.start, q.paragraph_position, m.sentence_start,
               m.sentence_end, m.wording, m.similarity
        FROM claim_mentions m JOIN claims c ON c.id = m.claim_id
        LEFT JOIN speakers s ON s.id = c.speaker_id
        JOIN quotes q ON q.id = m.quote_id JOIN articles a ON a.id = q.article_id""",
    "wording_edits": """
        SELECT c.canonical_text, a.url, q.start, m.sentence_start, w.position, w.operation,
               w.canonical_words, w.outlet_words
        FROM wording_edits w JOIN claim_mentions m ON m.id = w.mention_id
        JOIN claims c ON c.id = m.claim_id JOIN quotes q ON q.id = m.quote_id
        JOIN articles a ON a.id = q.article_id""",
    "article_signatures": """
        SELECT a.url, g.band, g.bucket FROM article_signatures g
        JOIN articles a ON a.id = g.article_id""",
    "claim_signatures": """
        SELECT s.name, c.canonical_text, g.band, g.bucket FROM claim_signatures g
        JOIN claims c ON c.id = g.claim_id LEFT JOIN speakers s ON s.id = g.speaker_id""",
    "fetch_errors": "SELECT url, reason, status, attempts FROM fetch_errors",
}


def digest(path: str) -> tuple[dict[str, int], str]:
    connection = sqlite3.connect(path)
    counts: dict[str, int] = {}
    total = hashlib.sha256()
    for table, query in QUERIES.items():
        rows = sorted(repr(row) for row in connection.execute(query))
        counts[table] = len(rows)
        for row in rows:
            total.update(f"{table}\t{row}\n".encode())
    connection.close()
    return counts, total.hexdigest()


if __name__ == "__main__":
    counts, hexdigest = digest(sys.argv[1])
    print(" ".join(f"{table} {n}" for table, n in counts.items()))
    print(f"sha256 {hexdigest}")
