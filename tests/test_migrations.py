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


def test_0004_rewrites_sqlite_times_as_iso_8601_utc(db_url, engine):
    """Old SQLite text (space, fraction, offset) becomes ``YYYY-MM-DDTHH:MM:SSZ``."""
    from datetime import UTC, datetime

    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from newsclaims import models

    config = db.alembic_config(db_url)
    command.downgrade(config, "0003")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sources (id, name) VALUES (1, 'voa')"))
        connection.execute(
            text(
                "INSERT INTO articles (id, source_id, url, canonical_url, url_hash, fetched_at,"
                " published_at, text, content_hash, http_status) VALUES (1, 1, 'http://a.test/x',"
                " 'http://a.test/x', 'h', '2014-12-04 10:00:00.250000',"
                " '2014-12-03 12:00:00+03:00', 'body', 'c', 200)"
            )
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        raw = connection.execute(text("SELECT fetched_at, published_at FROM articles")).one()
    if engine.dialect.name == "sqlite":
        assert tuple(raw) == ("2014-12-04T10:00:00Z", "2014-12-03T09:00:00Z")
    with Session(engine) as session:
        article = session.get(models.Article, 1)
        assert article.published_at == datetime(2014, 12, 3, 9, tzinfo=UTC)
        assert article.fetched_at.replace(microsecond=0) == datetime(2014, 12, 4, 10, tzinfo=UTC)
    command.downgrade(config, "0003")
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            raw = connection.execute(text("SELECT fetched_at FROM articles")).scalar_one()
        assert raw == "2014-12-04 10:00:00.000000"


def test_0005_makes_existing_speakers_people(db_url, engine):
    """Before 0005 only people were speakers; their quotes' resolution stays unknown."""
    from alembic import command
    from sqlalchemy import text

    config = db.alembic_config(db_url)
    command.downgrade(config, "0004")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO speakers (id, name) VALUES (1, 'John Kerry')"))
    command.upgrade(config, "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT speaker_type FROM speakers")).scalar_one() == (
            "person"
        )
    command.downgrade(config, "0004")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM speakers")).scalar_one() == "John Kerry"


def test_utc_datetime_still_reads_sqlalchemys_old_sqlite_text(tmp_path):
    from datetime import UTC, datetime

    from sqlalchemy import Column, Integer, MetaData, Table, create_engine, select, text

    from newsclaims.models import UtcDateTime

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    table = Table(
        "t", MetaData(), Column("id", Integer, primary_key=True), Column("at", UtcDateTime())
    )
    table.create(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO t (at) VALUES ('2014-12-03 09:00:00.500000')"))
        connection.execute(table.insert(), [{"at": datetime(2014, 12, 3, 12, 30, 1, 999, UTC)}])
        stored = connection.execute(text("SELECT at FROM t ORDER BY id")).scalars().all()
        values = connection.execute(select(table.c.at).order_by(table.c.id)).scalars().all()
    engine.dispose()
    assert stored[1] == "2014-12-03T12:30:01Z"
    assert values == [
        datetime(2014, 12, 3, 9, 0, 0, 500000, tzinfo=UTC),
        datetime(2014, 12, 3, 12, 30, 1, tzinfo=UTC),
    ]
