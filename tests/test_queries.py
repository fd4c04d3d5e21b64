"""Every query of the analyst cookbook (docs/queries.sql) runs on both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from newsclaims.storage import database as db
from newsclaims.storage.articles import ArticleStore
from newsclaims.storage.writer import write_article

from .conftest import ROOT, news_article

COOKBOOK = (ROOT / "docs" / "queries.sql").read_text(encoding="utf-8")
PARAMETERS = {
    "speaker": "John Kerry",
    "since": "2014-01-01T00:00:00Z",
    "until": "2030-01-01T00:00:00Z",
}
# Queries that must return rows on the crawled fixture web.
NON_EMPTY = {
    "statements_by_speaker",
    "multi_outlet_claims",
    "wording_variants",
    "word_changes",
    "top_speakers",
    "speaker_roles",
    "syndicated_copies",
    "articles_since",
    "claims_in_period",
    "latest_run_errors",
}


def cookbook() -> dict[str, str]:
    parts = re.split(r"^-- name: (\w+)\n", COOKBOOK, flags=re.MULTILINE)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_cookbook_has_the_common_questions():
    assert {"statements_by_speaker", "multi_outlet_claims", "wording_variants"} <= set(cookbook())


@pytest.mark.parametrize("name", sorted(cookbook()))
def test_cookbook_query_runs(crawl, name):
    sql = cookbook()[name]
    engine = db.make_engine(crawl.url)
    try:
        with engine.connect() as connection:
            statement = text(sql.rstrip(";"))
            wanted = {k: v for k, v in PARAMETERS.items() if f":{k}" in sql}
            rows = connection.execute(statement, wanted).fetchall()
    finally:
        engine.dispose()
    if name in NON_EMPTY:
        assert rows, f"{name} returned nothing on the fixture crawl"


def test_kerry_statements_come_from_every_seed_outlet(crawl):
    sql = cookbook()["statements_by_speaker"]
    engine = db.make_engine(crawl.url)
    with engine.connect() as connection:
        rows = connection.execute(text(sql.rstrip(";")), {"speaker": "John Kerry"}).fetchall()
    engine.dispose()
    outlets = {row.outlet for row in rows}
    assert {"ibtimes", "dailystar", "sputnik", "voa", "alarabiya"} <= outlets
    assert all(row.published is not None for row in rows)


def _date_filtered() -> list[str]:
    return sorted(name for name, sql in cookbook().items() if ":since" in sql or ":until" in sql)


def _comparable(value: Any) -> Any:
    """SQLite hands raw SQL its stored text, PostgreSQL a datetime: both as ISO 8601 UTC."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, Decimal):  # PostgreSQL's SUM of integers
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# Publication times on both sides of 2014-12-03T00:00:00Z, one given with a +03:00 offset.
PUBLISHED = {
    "voa": datetime(2014, 12, 3, 9, tzinfo=UTC),
    "bbc": datetime(2014, 12, 3, tzinfo=UTC),
    "sputnik": datetime(2014, 12, 2, 23, 59, 59, tzinfo=UTC),
    "alarabiya": datetime(2014, 12, 3, 2, 30, tzinfo=timezone(timedelta(hours=3))),
    "ibtimes": datetime(2014, 12, 3, 23, 59, 59, 900000, tzinfo=UTC),
    "dailystar": datetime(2014, 12, 4, 12, tzinfo=UTC),
}
OWN_WORDS = [
    "Airstrikes alone will not win this war",
    "Baghdad needs an inclusive government now",
    "Coalition partners have pledged more training teams",
    "Damascus bears responsibility for the refugees",
    "Every ally contributes what it can afford",
    "Financing of extremists must be cut off",
]
SINCE = ["2014-12-03T00:00:00Z", "2014-12-03T09:00:00Z", "2014-12-02T23:30:00Z"]


@pytest.mark.postgres
def test_date_filters_select_the_same_rows_on_both_databases(both_databases):
    """SQLite used to compare its own time text with the ISO literal (1 outlet, not 5)."""
    shared = '"We will degrade and ultimately destroy this terrorist group," Kerry said.'
    answers: dict[str, dict[tuple[str, str], list[tuple[Any, ...]]]] = {}
    for backend, url in both_databases.items():
        engine = db.make_engine(url)
        store = ArticleStore(engine)
        for (source, published), own in zip(PUBLISHED.items(), OWN_WORDS, strict=True):
            story = [f"{source} reported on {published:%A}.", shared, f'"{own}," Kerry added.']
            write_article(store, news_article("s", source, story, published=published))
        answers[backend] = {}
        with engine.connect() as connection:
            for name in _date_filtered():
                for since in SINCE:
                    parameters = {"since": since, "until": "2014-12-04T00:00:00Z"}
                    result = connection.execute(text(cookbook()[name].rstrip(";")), parameters)
                    rows = [tuple(map(_comparable, row)) for row in result]
                    answers[backend][name, since] = rows
        engine.dispose()
    assert answers["sqlite"] == answers["postgres"]
    outlets = {row[0] for row in answers["sqlite"]["articles_since", SINCE[0]]}
    assert outlets == {"voa", "bbc", "ibtimes", "dailystar"}
    claims = answers["sqlite"]["claims_in_period", SINCE[2]]
    assert len(claims) == 6  # the shared sentence and alarabiya's own from 23:30 on
    assert claims[0][2] == 6 and claims[0][5] == "alarabiya,bbc,dailystar,ibtimes,sputnik,voa"
