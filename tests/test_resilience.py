"""Bad conditions lose nothing: the database vanishing mid-run, oversized responses."""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from newsclaims import models
from newsclaims.storage import database as db
from newsclaims.storage.spool import Spool

from .conftest import POSTGRES_URL, ROOT, crawl_fixture_site, table_counts

STORED_KINDS = {"seed_article", "on_topic_article", "brief_article", "syndicated_copy"}
EXPECTED_ARTICLES = sum(
    entry["kind"] in STORED_KINDS
    for entry in json.loads((ROOT / "fixtures" / "site" / "expected.json").read_text())
)


def _make_database_vanish(admin, url: str, name: str, done: threading.Event) -> None:
    """Wait for the first stored article, then close the database to connections under
    the crawler (an outage; a database renamed away would be a misconfiguration, which
    stops the crawl with exit 2 instead, tests/test_cli_errors.py)."""
    watcher = create_engine(url)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with watcher.connect() as connection:
                if connection.execute(
                    select(func.count()).select_from(models.Article)
                ).scalar_one():
                    break
            time.sleep(0.005)
    finally:
        watcher.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
            {"n": name},
        )


@pytest.mark.postgres
def test_database_going_away_mid_run_loses_nothing(
    postgres_admin, _postgres_template, fixture_site, tmp_path
):
    name = f"nc_gone_{uuid.uuid4().hex[:8]}"
    with postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_postgres_template}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    spool_dir = tmp_path / "spool"
    done = threading.Event()
    saboteur = threading.Thread(
        target=_make_database_vanish, args=(postgres_admin, url, name, done)
    )
    try:
        saboteur.start()
        first = crawl_fixture_site(fixture_site, url, spool_dir, "-s", "DOWNLOAD_DELAY=0.3")
        done.set()
        saboteur.join()
        with postgres_admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))

        assert first.returncode == 1, first.stderr[-2000:]
        assert "still waiting in spool" in first.stdout
        pending = len(Spool.for_database(spool_dir, url))
        assert pending > 0
        stored_before = table_counts(url)["articles"]
        assert stored_before + pending >= EXPECTED_ARTICLES

        second = crawl_fixture_site(fixture_site, url, spool_dir)
        assert second.returncode == 0, second.stderr[-2000:]
        assert len(Spool.for_database(spool_dir, url)) == 0
        engine = db.make_engine(url)
        with engine.connect() as connection:
            urls = connection.execute(select(models.Article.canonical_url)).scalars().all()
            errors = connection.execute(
                select(func.count()).select_from(models.FetchError)
            ).scalar_one()
        engine.dispose()
        assert len(urls) == len(set(urls)) == EXPECTED_ARTICLES
        assert errors > 0
    finally:
        done.set()
        with postgres_admin.connect() as connection:
            for candidate in (name, f"{name}_gone"):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{candidate}" WITH (FORCE)'))


def test_oversized_responses_are_recorded_not_stored(db_url, fixture_site, tmp_path):
    result = crawl_fixture_site(
        fixture_site, db_url, tmp_path / "spool", "-s", "DOWNLOAD_MAXSIZE=9000"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    engine = db.make_engine(db_url)
    with engine.connect() as connection:
        reasons = connection.execute(select(models.FetchError.reason)).scalars().all()
    engine.dispose()
    assert any(
        r.startswith("DownloadCancelledError") and "max size (9000)" in r for r in reasons
    ), reasons
