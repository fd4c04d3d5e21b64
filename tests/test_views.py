"""The analyst views in a migrated database are the ones ``storage.views`` declares."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text

from newsclaims.storage import database as db
from newsclaims.storage.articles import ArticleStore
from newsclaims.storage.views import VIEWS, create_view_statement
from newsclaims.storage.writer import write_article

from .conftest import news_article


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_has_exactly_the_declared_columns(engine: Engine, name: str) -> None:
    reflected = inspect(engine).get_columns(name)
    assert [c["name"] for c in reflected] == VIEWS[name].column_names
    if engine.dialect.name == "postgresql":  # SQLite views carry no types for expressions
        declared = {n: t.python_type for n, t in VIEWS[name].columns}
        assert {c["name"]: c["type"].python_type for c in reflected} == declared


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_is_the_current_definition(engine: Engine, name: str) -> None:
    """Editing a view in storage.views needs a revision that recreates it."""
    dialect = engine.dialect.name
    with engine.begin() as connection:
        if dialect == "sqlite":
            stored = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = :name"),
                {"name": name},
            ).scalar_one()
            assert stored == create_view_statement(name, dialect)
        else:
            statement = create_view_statement(name, dialect)
            connection.execute(text(statement.replace(f"VIEW {name}", "TEMP VIEW probe", 1)))
            definitions = connection.execute(
                text(
                    "SELECT pg_get_viewdef(CAST(:a AS regclass)), pg_get_viewdef(CAST('probe' AS regclass))"
                ),
                {"a": name},
            ).one()
            assert definitions[0] == definitions[1]


@pytest.mark.postgres
def test_outlet_names_are_alphabetical_on_both_databases(both_databases: dict[str, str]) -> None:
    quote = '"We will degrade and ultimately destroy this terrorist group," Kerry said.'
    answers = {}
    for backend, url in both_databases.items():
        engine = db.make_engine(url)
        store = ArticleStore(engine)
        for source in ("voa", "Sputnik", "alarabiya", "al-monitor", "dailystar", "bbc"):
            write_article(store, news_article(f"{source}-story", source, [quote]))
        with engine.connect() as connection:
            answers[backend] = connection.execute(
                text("SELECT outlet_names FROM claim_summary")
            ).scalar_one()
        engine.dispose()
    assert answers["sqlite"] == answers["postgres"]
    assert answers["sqlite"].split(",") == sorted(answers["sqlite"].split(","))
    assert answers["sqlite"].startswith("Sputnik,al-monitor,alarabiya")
