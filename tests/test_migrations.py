"""Alembic owns the schema: the migrations must produce exactly what the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from newsclaims import db
from newsclaims.models import Base


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
