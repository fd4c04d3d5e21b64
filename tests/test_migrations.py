"""Alembic owns the schema: the migrations must produce exactly what the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from newsclaims.models import Base
from newsclaims.storage import database as db


def test_models_and_migrations_do_not_drift(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_database_is_at_head(engine):
    assert db.current_revision(engine) == db.head_revision()
    db.require_current_schema(engine)


def test_downgrade_to_base_and_back(db_url, engine):
    from alembic import command

    config = db.alembic_config(db_url)
    command.downgrade(config, "base")
    assert db.current_revision(engine) is None
    command.upgrade(config, "head")
    assert db.current_revision(engine) == db.head_revision()


def test_upgrade_keeps_existing_rows(db_url, engine):
    """Batch table rebuilds (SQLite) must not cascade-delete rows that reference the table."""
    from datetime import UTC, datetime

    from alembic import command
    from sqlalchemy import text

    config = db.alembic_config(db_url)
    command.downgrade(config, "0002")
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sources (id, name) VALUES (1, 'voa')"))
        connection.execute(
            text(
                "INSERT INTO articles (id, source_id, url, canonical_url, url_hash, fetched_at, text,"
                " content_hash, http_status) VALUES (1, 1, 'http://a.test/x', 'http://a.test/x',"
                " 'h', :now, 'body', 'c', 200)"
            ),
            {"now": now},
        )
        connection.execute(
            text("INSERT INTO paragraphs (article_id, position, text) VALUES (1, 0, 'body')")
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM paragraphs")).scalar_one() == 1
        assert connection.execute(text("SELECT count(*) FROM article_overview")).scalar_one() == 1
