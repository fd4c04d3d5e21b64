"""Claims through the database: same answers as the pure layer."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.claims import ClaimIndex, claim_band_keys, claim_sentences, match_form
from newsclaims.storage.claims import find_claim, record_claims
from newsclaims.text import normalize

from .conftest import stored_article

DATA = Path(__file__).parent / "data"
NOW = datetime(2014, 12, 3, tzinfo=UTC)


def _speaker(session: Session, name: str) -> models.Speaker:
    speaker = session.scalar(select(models.Speaker).where(models.Speaker.name == name))
    if speaker is None:
        speaker = models.Speaker(name=name)
        session.add(speaker)
        session.flush()
    return speaker


def _quote(
    session: Session,
    article: models.Article,
    position: int,
    quote: str,
    kind: str,
    speaker: str | None,
) -> models.Quote:
    row = models.Quote(
        article_id=article.id,
        paragraph_position=position,
        start=0,
        end=len(quote),
        text=quote,
        kind=kind,
        speaker_id=_speaker(session, speaker).id if speaker else None,
    )
    session.add(row)
    session.flush()
    return row


def _gold_by_seed() -> dict[str, list[dict[str, str]]]:
    by_seed: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (DATA / "seed_quotes.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                gold = json.loads(line)
                by_seed[gold["seed"]].append(gold)
    return by_seed


def _store_seeds(session: Session) -> dict[str, models.Article]:
    """Every seed as an article with its gold quotes; seed 001's repeated quotes twice."""
    articles = {}
    for seed, golds in sorted(_gold_by_seed().items()):
        article = stored_article(session, seed, (DATA / "seeds" / seed).read_text(encoding="utf-8"))
        rows = [
            _quote(session, article, i, g["quote"], g["kind"], g["speaker"])
            for i, g in enumerate(golds)
        ]
        if seed.startswith("001"):
            rows += [
                _quote(session, article, 100 + i, g["quote"], g["kind"], g["speaker"])
                for i, g in enumerate(golds[:2])
            ]
        record_claims(session, rows, article)
        articles[seed] = article
    return articles


def _counts(session: Session) -> tuple[int, ...]:
    tables = (models.Claim, models.ClaimSignature, models.ClaimMention, models.WordingEdit)
    return tuple(session.scalar(select(func.count()).select_from(t)) for t in tables)


def _outlets_by_claim(session: Session) -> dict[int, set[int]]:
    rows = session.execute(
        select(models.ClaimMention.claim_id, models.Quote.article_id).join(models.Quote)
    ).all()
    outlets: dict[int, set[int]] = defaultdict(set)
    for claim_id, article_id in rows:
        outlets[claim_id].add(article_id)
    return outlets


def test_seed_groups_come_out_as_claims_with_each_outlet(session: Session) -> None:
    articles = _store_seeds(session)
    outlets = _outlets_by_claim(session)
    groups = json.loads((DATA / "seed_claims.json").read_text(encoding="utf-8"))["claims"]
    expected = {}
    for group in groups:
        wanted = normalize(group["wording_example"])
        mentions = session.scalars(select(models.ClaimMention)).all()
        (claim_id,) = {m.claim_id for m in mentions if normalize(m.wording) == wanted}
        assert outlets[claim_id] == {articles[s].id for s in group["seeds"]}
        expected[claim_id] = group
    assert {c for c, o in outlets.items() if len(o) > 1} == set(expected)


def test_outlet_wording_is_stored_as_edits(session: Session) -> None:
    articles = _store_seeds(session)
    edits = session.execute(
        select(
            models.WordingEdit.operation,
            models.WordingEdit.canonical_words,
            models.WordingEdit.outlet_words,
            models.Quote.article_id,
        )
        .join(models.ClaimMention, models.WordingEdit.mention_id == models.ClaimMention.id)
        .join(models.Quote, models.ClaimMention.quote_id == models.Quote.id)
    ).all()
    seed_001 = articles["001_10c5a8d22f52db77.txt"].id
    assert ("replace", "impact", "commitment", seed_001) in {tuple(e) for e in edits}


def test_mentions_point_at_sentences_of_their_quote(session: Session) -> None:
    _store_seeds(session)
    for mention in session.scalars(select(models.ClaimMention)):
        quote = session.get(models.Quote, mention.quote_id)
        assert quote.text[mention.sentence_start : mention.sentence_end] == mention.wording
        assert 0.85 <= mention.similarity <= 1.0


def test_record_claims_is_idempotent(session: Session) -> None:
    articles = _store_seeds(session)
    before = _counts(session)
    for article in articles.values():
        quotes = session.scalars(
            select(models.Quote).where(models.Quote.article_id == article.id)
        ).all()
        record_claims(session, quotes, article)
    assert _counts(session) == before


def test_store_groups_like_the_in_memory_index(session: Session) -> None:
    _store_seeds(session)
    index = ClaimIndex()
    memory_groups: dict[int, set[str]] = defaultdict(set)
    for golds in _gold_by_seed().values():
        for gold in golds:
            if gold["kind"] in {"direct", "partial"}:
                for span in claim_sentences(gold["quote"]):
                    claim_id, _, _ = index.add_or_match(gold["speaker"], span.text)
                    memory_groups[claim_id].add(normalize(span.text))
    stored_groups: dict[int, set[str]] = defaultdict(set)
    for mention in session.scalars(select(models.ClaimMention)):
        stored_groups[mention.claim_id].add(normalize(mention.wording))
    assert sorted(map(sorted, memory_groups.values())) == sorted(
        map(sorted, stored_groups.values())
    )


def test_optional_and_unattributed_quotes_make_no_claims(session: Session) -> None:
    article = stored_article(session, "a", "text")
    rows = [
        _quote(session, article, 0, "deconflict", "optional", "John Kerry"),
        _quote(session, article, 1, "We will strike.", "direct", None),
    ]
    record_claims(session, rows, article)
    assert _counts(session) == (0, 0, 0, 0)


def test_quotes_of_another_article_are_refused(session: Session) -> None:
    first, second = stored_article(session, "a", "one"), stored_article(session, "b", "two")
    row = _quote(session, first, 0, "We will strike.", "direct", "John Kerry")
    with pytest.raises(ValueError, match="not from article"):
        record_claims(session, [row], second)


def test_same_words_by_another_speaker_are_another_claim(session: Session) -> None:
    article = stored_article(session, "a", "text")
    rows = [
        _quote(session, article, 0, "We are flying missions over Iraq.", "direct", "John Kerry"),
        _quote(session, article, 1, "We are flying missions over Iraq.", "direct", "John Kirby"),
    ]
    record_claims(session, rows, article)
    assert session.scalar(select(func.count()).select_from(models.Claim)) == 2


def test_find_claim_returns_none_without_candidates(session: Session) -> None:
    speaker = _speaker(session, "John Kerry")
    form = match_form("We are flying missions over Iraq.")
    assert find_claim(session, speaker.id, form, claim_band_keys(form)) is None


def test_candidate_lookup_uses_the_signature_index(session: Session) -> None:
    """The lookup must be an index search per band key, never a scan of all signatures."""
    statements: list[tuple[str, object]] = []
    engine = session.get_bind()

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append((statement, parameters))

    form = match_form("We are flying missions over Iraq.")
    event.listen(engine, "before_cursor_execute", capture)
    try:
        find_claim(session, 1, form, claim_band_keys(form))
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = statements[-1]
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        details = [row[-1] for row in plan]
        assert not any(d.startswith("SCAN claim_signatures") for d in details)
    else:
        # An empty table is cheapest to scan; ask the planner what it does when it must not.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
        details = [row[0] for row in plan]
        assert not any("Seq Scan on claim_signatures" in d for d in details)
    assert any("ix_claim_signatures_lookup" in d for d in details), details
