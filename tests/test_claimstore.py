"""Claims through the database, as the writer records them: same answers as the pure layer."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.claims import ClaimIndex, claim_sentences
from newsclaims.claims.article_keys import CLAIM_KINDS, quote_sentence_keys
from newsclaims.records import Article, Paragraph, Quote
from newsclaims.storage.claims import ClaimableQuote, record_batch
from newsclaims.storage.writer import write_batch_in_session
from newsclaims.text import normalize

DATA = Path(__file__).parent / "data"
NOW = datetime(2014, 12, 3, tzinfo=UTC)


def _article(name: str, body: str, quotes: list[tuple[int, str, str, str | None]]) -> Article:
    """An extracted article with the given (position, quote, kind, speaker) quotes.

    Positions label the quotes (unique per article, as stored); claims never read them.
    """
    url = f"https://example.org/{name}"
    return Article(
        url=url,
        canonical_url=url,
        source="seeds",
        fetched_at=NOW,
        paragraphs=[Paragraph(position=0, text=body)],
        quotes=[
            Quote(
                quote=text, kind=kind, speaker=speaker, paragraph=position, start=0, end=len(text)
            )
            for position, text, kind, speaker in quotes
        ],
    )


def _gold_by_seed() -> dict[str, list[dict[str, str]]]:
    by_seed: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (DATA / "seed_quotes.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                gold = json.loads(line)
                by_seed[gold["seed"]].append(gold)
    return by_seed


def _store_seeds(session: Session) -> dict[str, int]:
    """Every seed as an article with its gold quotes, written as one batch by the writer;
    seed 001's first two quotes twice. The article id by seed."""
    batch = []
    for seed, golds in sorted(_gold_by_seed().items()):
        quotes = [(i, g["quote"], g["kind"], g["speaker"]) for i, g in enumerate(golds)]
        if seed.startswith("001"):
            quotes += [
                (100 + i, g["quote"], g["kind"], g["speaker"]) for i, g in enumerate(golds[:2])
            ]
        batch.append(_article(seed, (DATA / "seeds" / seed).read_text(encoding="utf-8"), quotes))
    write_batch_in_session(session, batch, None)
    ids = dict(session.execute(select(models.Article.url, models.Article.id)).all())
    return {seed: ids[f"https://example.org/{seed}"] for seed in _gold_by_seed()}


def _stored_claimable(session: Session) -> list[ClaimableQuote]:
    """The stored attributed direct and partial quotes, as ``record_batch`` takes them."""
    quotes = session.scalars(
        select(models.Quote).where(
            models.Quote.speaker_id.is_not(None), models.Quote.kind.in_(CLAIM_KINDS)
        )
    )
    return [
        ClaimableQuote(q.id, q.speaker_id, quote_sentence_keys(q.text), q.text)
        for q in quotes
        if q.speaker_id is not None
    ]


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
        assert outlets[claim_id] == {articles[s] for s in group["seeds"]}
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
    seed_001 = articles["001_10c5a8d22f52db77.txt"]
    assert ("replace", "impact", "commitment", seed_001) in {tuple(e) for e in edits}


def test_mentions_point_at_sentences_of_their_quote(session: Session) -> None:
    _store_seeds(session)
    for mention in session.scalars(select(models.ClaimMention)):
        quote = session.get(models.Quote, mention.quote_id)
        assert quote.text[mention.sentence_start : mention.sentence_end] == mention.wording
        assert 0.85 <= mention.similarity <= 1.0


def test_recording_the_stored_quotes_again_adds_nothing(session: Session) -> None:
    _store_seeds(session)
    before = _counts(session)
    assert before[2] > 0
    record_batch(session, _stored_claimable(session))
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
    quotes = [(0, "deconflict", "optional", "John Kerry"), (1, "We will strike.", "direct", None)]
    write_batch_in_session(session, [_article("a", "text", quotes)], None)
    assert session.scalar(select(func.count()).select_from(models.Quote)) == 2
    assert _counts(session) == (0, 0, 0, 0)


def test_same_words_by_another_speaker_are_another_claim(session: Session) -> None:
    words = "We are flying missions over Iraq."
    quotes = [(0, words, "direct", "John Kerry"), (1, words, "direct", "John Kirby")]
    write_batch_in_session(session, [_article("a", "text", quotes)], None)
    assert session.scalar(select(func.count()).select_from(models.Claim)) == 2
