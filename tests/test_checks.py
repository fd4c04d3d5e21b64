"""The sources file's ``[checks]``: a run crossing a bound fails (exit 1), each named."""

from __future__ import annotations

from sqlalchemy import select

from newsclaims import models
from newsclaims.config.sources import Checks
from newsclaims.crawl.checks import failed_checks
from newsclaims.fixtureweb.generated import GeneratedSite
from newsclaims.fixtureweb.server import DEFAULT_ROOT, start_fixture_server
from newsclaims.storage import database as db

from .conftest import crawl_fixture_site


def test_each_bound_is_checked_and_named():
    checks = Checks(min_items=5, max_error_rate=0.1, min_date_coverage=0.9)
    counts = {"stored": 3, "updated": 1, "errors": 2, "fetched": 8}
    failures = failed_checks(checks, counts, dated=3, new_articles=4)
    assert [f.split(":")[0] for f in failures] == [
        "min_items",
        "max_error_rate",
        "min_date_coverage",
    ]
    assert failed_checks(checks, {"stored": 5, "fetched": 9, "errors": 1}, 5, 5) == []
    assert failed_checks(Checks(), counts, 0, 4) == []


def test_a_run_failing_a_check_exits_1_and_names_it(db_url, tmp_path):
    site = GeneratedSite(4)
    server = start_fixture_server(DEFAULT_ROOT, generated=site)
    sources = tmp_path / "gen.toml"
    sources.write_text(
        site.sources_toml() + "\n[checks]\nmin_items = 100\nmin_date_coverage = 1.0\n"
    )
    try:
        result = crawl_fixture_site(server, db_url, tmp_path / "spool", sources=sources)
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 1, result.stderr[-2000:]
    assert "check failed: min_items: 4 articles stored or updated, expected 100" in result.stdout
    assert "min_date_coverage" not in result.stdout
    engine = db.make_engine(db_url)
    with engine.connect() as connection:
        status = connection.scalar(select(models.CrawlRun.status))
    engine.dispose()
    assert status == "failed_checks"


def test_log_json_writes_one_json_object_per_line(db_url, tmp_path):
    import json

    site = GeneratedSite(2)
    server = start_fixture_server(DEFAULT_ROOT, generated=site)
    sources = tmp_path / "gen.toml"
    sources.write_text(site.sources_toml())
    try:
        result = crawl_fixture_site(
            server, db_url, tmp_path / "spool", "--log-json", "-s",
            "NEWSCLAIMS_PROGRESS_INTERVAL=0.2", "-s", "DOWNLOAD_DELAY=0.3", sources=sources,
        )  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr[-2000:]
    events = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert events and all({"time", "level", "logger", "message"} <= set(e) for e in events)
    assert any(e["message"].startswith("progress:") and "counts" in e for e in events)
    summary = json.loads(result.stdout)
    assert summary["event"] == "summary" and summary["counts"]["stored"] == 2
