"""Requests of a first and a second crawl of the fixture web (``newsclaims demo``'s sites).

The second crawl should fetch only robots.txt, feeds, sitemaps and start pages (the start
pages conditionally, answered 304). Usage: python bench/bench_incremental.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from newsclaims.config.sources import load_sources
from newsclaims.fixtureweb.server import DEFAULT_ROOT, start_fixture_server
from newsclaims.storage import database as db

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "fixtures" / "sources.toml"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0", "-s",
        "AUTOTHROTTLE_MIN_DELAY=0", "-s", "NEWSCLAIMS_EXTRACT_WORKERS=2"]  # fmt: skip


def kind(url: str, entry_points: dict[str, str]) -> str:
    if urlsplit(url).path == "/robots.txt":
        return "robots.txt"
    if url in entry_points:
        return entry_points[url]
    return "child sitemap" if "/sitemaps/" in url else "other page"


def main() -> None:
    config = load_sources(SOURCES)
    entry_points = {str(u): "feed" for s in config.sources for u in s.feeds}
    entry_points |= {str(u): "sitemap" for s in config.sources for u in s.sitemaps}
    entry_points |= {str(u): "start page" for s in config.sources for u in s.start_pages}
    server = start_fixture_server(DEFAULT_ROOT)
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/bench.db"
        db.upgrade(url)
        for run in ("first", "second"):
            start, start_304 = len(server.requested), len(server.not_modified)
            command = [sys.executable, "-m", "newsclaims.cli.main", "crawl", "--sources",
                       str(SOURCES), "--db", url, "--proxy", server.proxy_url,
                       "-s", f"NEWSCLAIMS_SPOOL_DIR={directory}/spool", *FAST]  # fmt: skip
            result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            requested = server.requested[start:]
            kinds = Counter(kind(u, entry_points) for u in requested)
            print(
                f"{run} crawl: exit {result.returncode}, {len(requested)} requests "
                f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}), "
                f"{len(server.not_modified) - start_304} answered 304"
            )
    server.shutdown()


if __name__ == "__main__":
    main()
