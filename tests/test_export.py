"""CSV export: round trip against the database, filters, spreadsheet safety, errors."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import datetime

import pytest
from sqlalchemy import select

from newsclaims import models
from newsclaims.export.csv import cell
from newsclaims.export.datasets import columns
from newsclaims.records import Article, Paragraph, Quote
from newsclaims.storage import database as db
from newsclaims.storage.articles import ArticleStore
from newsclaims.storage.writer import write_article

from .conftest import news_article, run_cli

REQUIRED = {
    "claims": ["claim_id", "speaker", "text", "outlets", "mentions", "first_seen", "last_seen"],
    "quotes": [
        "quote_id",
        "article_url",
        "outlet",
        "published",
        "speaker",
        "kind",
        "quote",
        "claim_id",
    ],
}


def export(url: str, *args: str) -> list[dict[str, str]]:
    result = subprocess.run(
        [sys.executable, "-m", "newsclaims.cli.main", "export", *args, "--db", url],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.endswith(b"\r\n")  # RFC 4180 line ends
    return list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"), newline="")))


@pytest.mark.parametrize("dataset", sorted(REQUIRED))
def test_required_columns_lead_in_documented_order(dataset):
    assert columns(dataset)[: len(REQUIRED[dataset])] == REQUIRED[dataset]


def test_quotes_round_trip(crawl, crawled_session):
    rows = export(crawl.url, "quotes")
    stored = crawled_session.execute(select(models.Quote).order_by(models.Quote.id)).scalars().all()
    assert [int(r["quote_id"]) for r in rows] == [q.id for q in stored]
    first_claim: dict[int, int] = {}
    mentions = crawled_session.execute(
        select(models.ClaimMention).order_by(models.ClaimMention.sentence_start.desc())
    ).scalars()
    for mention in mentions:
        first_claim[mention.quote_id] = mention.claim_id
    assert any(r["claim_id"] for r in rows)
    for row, quote in zip(rows, stored, strict=True):
        assert row["quote"] == cell(quote.text)
        assert row["kind"] == quote.kind
        assert row["claim_id"] == str(first_claim.get(quote.id, ""))
        assert (row["speaker"] or None) == (
            crawled_session.get(models.Speaker, quote.speaker_id).name if quote.speaker_id else None
        )
        article = crawled_session.get(models.Article, quote.article_id)
        assert row["article_url"] == article.canonical_url
        if article.published_at:
            assert row["published"].endswith("Z")
            parsed = datetime.fromisoformat(row["published"].replace("Z", "+00:00"))
            assert article.published_at.tzinfo is not None
            assert parsed == article.published_at.replace(microsecond=0)


def test_claims_round_trip(crawl, crawled_session):
    rows = export(crawl.url, "claims")
    claims = {c.id: c for c in crawled_session.execute(select(models.Claim)).scalars()}
    assert {int(r["claim_id"]) for r in rows} == set(claims)
    for row in rows:
        claim = claims[int(row["claim_id"])]
        assert row["text"] == cell(claim.canonical_text)
        mentions = (
            crawled_session.execute(
                select(models.ClaimMention).where(models.ClaimMention.claim_id == claim.id)
            )
            .scalars()
            .all()
        )
        assert int(row["mentions"]) == len(mentions)
    assert any(int(r["outlets"]) >= 3 for r in rows)


@pytest.mark.parametrize("dataset", ["articles", "paragraphs", "speakers"])
def test_other_datasets_round_trip(crawl, crawled_session, dataset):
    rows = export(crawl.url, dataset)
    model = {
        "articles": models.Article,
        "paragraphs": models.Paragraph,
        "speakers": models.Speaker,
    }[dataset]
    ids = {r[f"{dataset[:-1]}_id"] for r in rows}
    assert ids == {str(i) for i in crawled_session.execute(select(model.id)).scalars()}


def test_filters_narrow_the_export(crawl):
    everything = export(crawl.url, "quotes")
    kerry = export(crawl.url, "quotes", "--speaker", "john kerry")
    assert kerry and len(kerry) < len(everything)
    assert {r["speaker"] for r in kerry} == {"John Kerry"}
    voa = export(crawl.url, "quotes", "--source", "voa")
    assert voa and {r["outlet"] for r in voa} == {"voa"}
    late = export(crawl.url, "articles", "--since", "2015-01-01")
    assert late and all(r["published"] >= "2015-01-01" for r in late)
    early = export(crawl.url, "articles", "--until", "2015-01-01")
    assert len(late) + len(early) == len(export(crawl.url, "articles"))
    assert export(crawl.url, "claims", "--topic", "coalition-air-strikes")
    assert export(crawl.url, "claims", "--topic", "football") == []


def test_filter_values_are_bound_not_spliced(crawl):
    assert export(crawl.url, "quotes", "--speaker", "x' OR '1'='1") == []
    assert export(crawl.url, "quotes", "--source", "voa' --") == []


def test_bad_filter_value_is_a_clear_error(crawl):
    result = run_cli("export", "quotes", "--since", "last tuesday", "--db", crawl.url)
    assert result.returncode == 2
    assert "--since" in result.stderr and "ISO 8601" in result.stderr
    assert result.stdout == ""


def test_excel_flag_writes_a_bom_and_file_output(crawl, tmp_path):
    target = tmp_path / "claims.csv"
    result = run_cli("export", "claims", "--excel", "-o", str(target), "--db", crawl.url)
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").startswith("claim_id,speaker,text")
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    "dangerous", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_formula_cells_are_neutralised(dangerous):
    assert cell(dangerous) == "'" + dangerous
    assert cell("Kerry said") == "Kerry said"
    assert cell(-3) == -3


def test_spreadsheet_formula_in_a_stored_quote_is_neutralised(db_url):
    engine = db.make_engine(db_url)
    store = ArticleStore(engine)
    text = "\"=cmd|' /C calc'!A0,\" the hacker said."
    store.save_article(
        Article(
            url="http://evil.test/a",
            canonical_url="http://evil.test/a",
            source="evil",
            title="t",
            paragraphs=[Paragraph(position=0, text=text)],
            quotes=[
                Quote(quote="=cmd|' /C calc'!A0,", kind="direct", paragraph=0, start=1, end=19)
            ],
        )
    )
    engine.dispose()
    rows = export(db_url, "quotes")
    assert rows[0]["quote"].startswith("'=")


def test_organisation_quote_exports_its_speaker_type(db_url):
    """Stored through the writer, an organisation's quote keeps its type in every dataset."""
    article = news_article(
        "ministry-statement",
        "voa",
        ['"The strikes destroyed three depots near the border," the Defence Ministry said.'],
        speaker="Defence Ministry",
    )
    article.quotes = [
        q.model_copy(update={"speaker_type": "organisation", "resolution": "named"})
        for q in article.quotes
    ]
    engine = db.make_engine(db_url)
    write_article(ArticleStore(engine), article)
    engine.dispose()
    quotes = export(db_url, "quotes")
    assert [(r["speaker"], r["speaker_type"], r["resolution"]) for r in quotes] == [
        ("Defence Ministry", "organisation", "named")
    ]
    claims = export(db_url, "claims")
    assert claims and {(r["speaker"], r["speaker_type"]) for r in claims} == {
        ("Defence Ministry", "organisation")
    }
    speakers = export(db_url, "speakers")
    assert [(r["speaker"], r["speaker_type"]) for r in speakers] == [
        ("Defence Ministry", "organisation")
    ]
