"""What the crawl's process holds while pages wait for the analysis workers.

Downloads on loopback outrun the analysis workers, so pages pile up in Scrapy's scraper slot
until its limit (``SCRAPER_SLOT_MAX_ACTIVE_SIZE``) holds new downloads back; each page
held costs ~2× its size in the crawl's process (body, the pickled copy for a worker; the
worker decodes it, so no decoded text is kept). Scrapy's default (5 MB) held ~22 real pages in a bench crawl; newsclaims
holds about one megabyte (docs/performance.md, "Pages waiting for the analysis").
"""

from __future__ import annotations

import json
import subprocess
import sys

from newsclaims.fixtureweb.generated import GeneratedSite
from newsclaims.fixtureweb.server import DEFAULT_ROOT, start_fixture_server

from .conftest import ROOT, table_counts

PAGES = 80
PAGE_BYTES = 150_000
CONCURRENT = 4  # downloads at once: their pages arrive even when the limit is reached
WORKERS = 1
WAITING_PER_WORKER = 500_000  # what newsclaims promises (Scrapy's own limit is 5 MB)


def test_a_crawl_holds_about_half_a_megabyte_of_pages_per_analysis_worker(db_url, tmp_path):
    site = GeneratedSite(PAGES, padding=PAGE_BYTES)
    server = start_fixture_server(DEFAULT_ROOT, generated=site)
    sources = tmp_path / "gen.toml"
    sources.write_text(site.sources_toml())
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "tests.held_pages_crawl", str(sources), db_url,
             server.proxy_url, str(tmp_path / "spool"),
             f"CONCURRENT_REQUESTS={CONCURRENT}", f"NEWSCLAIMS_EXTRACT_WORKERS={WORKERS}"],
            capture_output=True, text=True, timeout=300, cwd=ROOT,
        )  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["ok"]
    # Nothing is lost to the limit: every story is analysed and stored.
    assert report["counts"]["stored"] == PAGES
    assert table_counts(db_url)["articles"] == PAGES
    # The limit is checked before a download starts: the pages already handed to the
    # downloader still arrive, at most one per concurrent request. (Scrapy's 5 MB held
    # 5.5 MB here.)
    limit = WAITING_PER_WORKER * WORKERS
    in_flight = CONCURRENT * (PAGE_BYTES + 10_000)
    assert report["held"]["bytes"] <= limit + in_flight, report["held"]
    # The pages waited as bytes: none had its decoded text on it (one per page before).
    assert report["held"]["texts"] == 0, report["held"]
