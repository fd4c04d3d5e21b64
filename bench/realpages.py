"""A bench site of REAL web pages: ../shared/eval/extraction's pages, several copies each.

The invented corpus (bench/corpus.py) has flat markup: a median 314 elements at depth 6,
where the 179 real pages have 815 at depth 16, so trafilatura costs about 4.6× less per page
there and everything newsclaims adds looks 4.6× bigger beside it. Issue 12's own measurement
was of real pages, five copies each; this builds that site (when ../shared/eval exists; its
pages are third-party, so they are only written to a temporary folder) with the bench
outlets' hosts, feeds and news sitemaps, so ``bench/pipeline.py --real`` runs the same
commands on it.

Each copy is served as the same bytes under another outlet's URL (a page's own canonical
link points at its original site, so each copy is a distinct article: syndicated copies,
as wire stories are). ``topic="all"`` keeps every page (every stage runs on every page, the
dearest case); ``topic="configured"`` uses the fixture web's topic, as a crawl of these pages
would (most are off topic, so no quotes or writes).
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import corpus

ROOT = Path(__file__).resolve().parents[1]
EVAL_PAGES = ROOT.parent / "shared" / "eval" / "extraction" / "pages"

# Words every English page has: with no required group and a threshold of 1, every page
# with text is on topic.
_EVERYTHING = (
    '[topic]\nname = "everything"\nthreshold = 1.0\n\n[topic.terms]\n"the" = 1.0\n"and" = 1.0\n'
)


def available() -> bool:
    return EVAL_PAGES.is_dir() and any(EVAL_PAGES.glob("*.html.gz"))


def generate(root: Path, copies: int = 5, topic: str = "all") -> list[tuple[str, Path]]:
    """Write the site; returns (URL, file) of every page copy, in a stable order."""
    pages = sorted(EVAL_PAGES.glob("*.html.gz"))
    if not pages:
        raise SystemExit(f"no real pages in {EVAL_PAGES}")
    outlets = corpus.hosts()
    stories: list[list[corpus.Story]] = [[] for _ in outlets]
    articles: list[tuple[str, Path]] = []
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for copy in range(copies):
        for number, source in enumerate(pages):
            outlet = (number + copy) % len(outlets)
            host = outlets[outlet][2]
            name = source.name.removesuffix(".html.gz")
            path = f"/world/2026/{name}-{copy}.html"
            file = root / host / path.lstrip("/")
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(gzip.decompress(source.read_bytes()))
            published = start + timedelta(minutes=len(articles))
            stories[outlet].append(
                corpus.Story(outlet, len(articles), True, path, name, [], published)
            )
            articles.append((f"http://{host}{path}", file))
    corpus.write_outlet_pages(root, outlets, stories)
    # Only the copies are articles: a real page's relative links land on the bench hosts,
    # where they would be 404s that a crawl of the real site would not meet.
    sources = corpus.sources_toml(allow=r"\.test/world/2026/[^/?]+-\d+\.html$")
    if topic == "all":
        head, entries = sources.split("[topic]", 1)[0], sources.split("[[sources]]", 1)[1]
        sources = f"{head}{_EVERYTHING}\n[[sources]]{entries}"
    (root / "sources.toml").write_text(sources, encoding="utf-8")
    (root / "articles.json").write_text(
        json.dumps([[u, str(f)] for u, f in articles]), encoding="utf-8"
    )
    return articles
