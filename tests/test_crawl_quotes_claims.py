"""Quotes, speakers, claims and syndicated copies as the crawl stores them (both databases).

Expectations come from the shared spec (tests/data/seed_quotes.jsonl, seed_claims.json)
and the fixture site's design (fixtures/site/expected.json).
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from sqlalchemy import select, text

from newsclaims import models
from newsclaims.discovery.urls import url_key
from newsclaims.text import normalize

from .conftest import DATA, ROOT
from .quote_scoring import texts_match

EXPECTED = json.loads((ROOT / "fixtures" / "site" / "expected.json").read_text())
SEED_URLS = {e["seed"]: e["canonical_url"] for e in EXPECTED if e.get("seed")}
GOLD_QUOTES = [
    json.loads(line) for line in (DATA / "seed_quotes.jsonl").read_text().splitlines() if line
]
SEED_CLAIMS = json.loads((DATA / "seed_claims.json").read_text())["claims"]


def article_id(session, seed: str) -> int:
    key = url_key(SEED_URLS[seed])
    (found,) = [
        a.id
        for a in session.execute(select(models.Article)).scalars()
        if url_key(a.canonical_url) == key
    ]
    return found


def stored_quotes(session, article: int) -> list[tuple[str, str | None, str]]:
    rows = session.execute(
        select(models.Quote.text, models.Speaker.name, models.Quote.kind)
        .outerjoin(models.Speaker, models.Speaker.id == models.Quote.speaker_id)
        .where(models.Quote.article_id == article, models.Quote.paragraph_position >= 0)
    ).all()
    return [tuple(row) for row in rows]


@pytest.mark.parametrize("seed", sorted(SEED_URLS))
def test_seed_quotes_are_stored_with_their_speakers(crawled_session, seed):
    quotes = stored_quotes(crawled_session, article_id(crawled_session, seed))
    statements = [(q, s) for q, s, kind in quotes if kind in ("direct", "partial")]
    gold = [g for g in GOLD_QUOTES if g["seed"] == seed and g["kind"] != "optional"]
    for expected in gold:
        speakers = {s for q, s in statements if texts_match(q, expected["quote"])}
        assert expected["speaker"] in speakers, expected["quote"]
    extras = [q for q, _ in statements if not any(texts_match(q, g["quote"]) for g in gold)]
    assert extras == []


def test_stored_offsets_point_at_the_quote(crawled_session):
    rows = crawled_session.execute(
        select(models.Quote, models.Paragraph).join(
            models.Paragraph, models.Paragraph.id == models.Quote.paragraph_id
        )
    ).all()
    assert rows
    for quote, paragraph in rows:
        assert paragraph.text[quote.start : quote.end] == quote.text


def test_one_speaker_row_per_person_with_roles(crawled_session):
    names = [s.name for s in crawled_session.execute(select(models.Speaker)).scalars()]
    assert len(names) == len(set(names))
    assert "John Kerry" in names and "Kerry" not in names
    kerry = crawled_session.execute(
        select(models.Speaker).where(models.Speaker.name == "John Kerry")
    ).scalar_one()
    roles = set(
        crawled_session.execute(
            select(models.SpeakerRole.role).where(models.SpeakerRole.speaker_id == kerry.id)
        ).scalars()
    )
    assert any("Secretary of State" in role for role in roles)


def test_seed_claims_come_out_as_exactly_the_multi_outlet_claims(crawled_session):
    rows = crawled_session.execute(
        text(
            "SELECT claim_id, speaker, text, outlets, outlet_names FROM claim_summary WHERE outlets > 1"
        )
    ).all()
    by_outlet_count = {row.claim_id: row for row in rows}
    matched = set()
    for expected in SEED_CLAIMS:
        wording = normalize(expected["wording_example"])
        hits = [
            row for row in rows
            if row.speaker == expected["speaker"] and _similar(normalize(row.text), wording)
        ]  # fmt: skip
        assert len(hits) == 1, expected["wording_example"]
        row = hits[0]
        assert row.outlets == len(expected["seeds"]), (row.text, row.outlet_names)
        matched.add(row.claim_id)
    assert matched == set(by_outlet_count), "a multi-outlet claim that the spec does not list"


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) >= 85


def test_each_outlet_wording_is_kept(crawled_session):
    rows = crawled_session.execute(
        text("SELECT claim_id, outlet, wording FROM claim_wordings")
    ).all()
    wordings = defaultdict(set)
    for row in rows:
        wordings[row.claim_id].add((row.outlet, row.wording))
    impact = [
        c for c, w in wordings.items() if any("Our impact will be measured" in x for _, x in w)
    ]
    (claim,) = impact
    outlets = {outlet: wording for outlet, wording in wordings[claim]}
    assert "Our impact" in outlets["ibtimes"] and "Our commitment" in outlets["dailystar"]
    edits = crawled_session.execute(
        text("SELECT canonical_words, outlet_words FROM claim_wording_edits WHERE claim_id = :c"),
        {"c": claim},
    ).all()
    assert {tuple(sorted((e.canonical_words.lower(), e.outlet_words.lower()))) for e in edits} & {
        ("commitment", "impact")
    }


def test_syndicated_copy_is_linked_to_the_first_copy(crawled_session):
    (copy,) = [e for e in EXPECTED if e["kind"] == "syndicated_copy"]
    articles = {
        url_key(a.canonical_url): a
        for a in crawled_session.execute(select(models.Article)).scalars()
    }
    stored_copy = articles[url_key(copy["canonical_url"])]
    original = crawled_session.get(models.Article, stored_copy.near_duplicate_of_id)
    assert original is not None
    assert url_key(original.canonical_url) == url_key(copy["syndicated_from"])
    assert stored_copy.near_duplicate_similarity >= 0.5
    others = [a for a in articles.values() if a.id != stored_copy.id]
    assert all(a.near_duplicate_of_id is None for a in others)
