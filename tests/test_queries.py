"""Every query of the analyst cookbook (docs/queries.sql) runs on both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from newsclaims.storage import database as db

from .conftest import ROOT

COOKBOOK = (ROOT / "docs" / "queries.sql").read_text(encoding="utf-8")
PARAMETERS = {"speaker": "John Kerry", "since": datetime(2014, 1, 1, tzinfo=UTC)}
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
