-- newsclaims analyst cookbook. Every query runs unchanged on SQLite and PostgreSQL
-- (tests/test_queries.py runs each one against both). Parameters are written :name.
-- Tables and views are described in docs/schema.md.
-- Times are UTC. Write them as ISO 8601 text with a Z, '2014-12-03T00:00:00Z': SQLite
-- stores times in exactly that form, so comparisons give the same rows as PostgreSQL.

-- name: statements_by_speaker
-- Every statement by one person, with outlet and date, oldest first.
SELECT speaker, outlet, published, kind, quote, article_url
FROM quote_details
WHERE speaker = :speaker AND kind IN ('direct', 'partial')
ORDER BY published, outlet, paragraph, start_offset;

-- name: multi_outlet_claims
-- Claims carried by more than one outlet (syndicated copies are not counted as outlets).
SELECT claim_id, speaker, outlets, mentions, first_seen, last_seen, outlet_names, text
FROM claim_summary
WHERE outlets > 1
ORDER BY outlets DESC, first_seen;

-- name: wording_variants
-- How each outlet worded each multi-outlet claim, next to the canonical wording.
SELECT w.claim_id, w.outlet, w.published, w.edits, w.wording, w.canonical_text
FROM claim_wordings w
JOIN claim_summary c ON c.claim_id = w.claim_id
WHERE c.outlets > 1
ORDER BY w.claim_id, w.published, w.outlet;

-- name: word_changes
-- Word-level differences from the canonical wording: candidate misquotes and edits.
SELECT claim_id, outlet, operation, canonical_words, outlet_words
FROM claim_wording_edits
ORDER BY claim_id, outlet, position;

-- name: outlets_that_changed_words
-- Which outlets most often quote with different words than the canonical wording.
SELECT outlet, COUNT(DISTINCT mention_id) AS mentions_with_edits, COUNT(*) AS edits
FROM claim_wording_edits
GROUP BY outlet
ORDER BY edits DESC;

-- name: top_speakers
-- Who is quoted most, in how many outlets.
SELECT speaker, COUNT(*) AS quotes, COUNT(DISTINCT outlet) AS outlets
FROM quote_details
WHERE speaker IS NOT NULL
GROUP BY speaker
ORDER BY quotes DESC, speaker;

-- name: speaker_roles
-- The roles each speaker has been given across outlets.
SELECT s.name AS speaker, r.role
FROM speakers s
JOIN speaker_roles r ON r.speaker_id = s.id
ORDER BY s.name, r.role;

-- name: unattributed_quotes
-- Quoted statements no speaker could be found for (never guessed).
SELECT outlet, article_url, paragraph, quote
FROM quote_details
WHERE speaker IS NULL AND kind IN ('direct', 'partial')
ORDER BY outlet, article_url, paragraph;

-- name: syndicated_copies
-- Articles recognised as copies of another outlet's story.
SELECT outlet, url, syndicated_from_url, syndication_similarity
FROM article_overview
WHERE syndicated_from_article_id IS NOT NULL;

-- name: articles_since
-- Articles published since a date, per outlet.
SELECT outlet, COUNT(*) AS articles, SUM(quotes) AS quotes
FROM article_overview
WHERE published >= :since
GROUP BY outlet
ORDER BY articles DESC, outlet;

-- name: claims_in_period
-- Claims first reported in a period, with how many outlets carried them.
SELECT claim_id, speaker, outlets, mentions, first_seen, outlet_names, text
FROM claim_summary
WHERE first_seen >= :since AND first_seen < :until
ORDER BY first_seen, claim_id;

-- name: latest_run_errors
-- What failed (or was left out, with its reason) in the latest crawl run that saw any
-- failure: an incremental run that found nothing new records none of its own.
SELECT e.url, e.reason, e.status, e.attempts, e.last_run_id
FROM fetch_errors e
WHERE e.last_run_id = (SELECT MAX(last_run_id) FROM fetch_errors)
ORDER BY e.url;
