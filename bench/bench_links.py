"""The spider's link finding, Scrapy's LinkExtractor against spiders.links.Links, on the
invented corpus (bench/corpus.py): CPU ms per page in one process, alternating, with
each source's own rules (domains, allow, deny) and a check that both give the same links.

Run: python bench/bench_links.py [PAGES] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from scrapy.http import HtmlResponse, Request
from scrapy.linkextractors import LinkExtractor

from newsclaims.config.sources import load_sources
from newsclaims.spiders.links import Links

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", type=int, nargs="?", default=400)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "links.txt")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        articles = corpus.generate(Path(work), args.pages)
        sources = {s.domains[0]: s for s in load_sources(Path(work) / "sources.toml").sources}
        pages = [(url, path.read_bytes()) for url, path in articles]
    scrapys = {h: LinkExtractor(allow=s.allow, deny=s.deny, allow_domains=s.domains)
               for h, s in sources.items()}  # fmt: skip
    ours = {h: Links(s.allow, s.deny, s.domains) for h, s in sources.items()}
    # The same domains without allow/deny: the navigation is kept, so every anchor takes
    # Scrapy's own steps in both (what the shortcut costs when it cannot drop anything).
    scrapys_all = {h: LinkExtractor(allow_domains=s.domains) for h, s in sources.items()}
    ours_all = {h: Links(domains=s.domains) for h, s in sources.items()}

    def run(extractors: dict) -> tuple[float, list]:
        found = []
        started = time.process_time()
        for url, body in pages:
            response = HtmlResponse(url, body=body, encoding="utf-8", request=Request(url))
            found.append(extractors[url.split("/")[2]].extract_links(response))
        return 1000 * (time.process_time() - started) / len(pages), found

    timings: dict[str, list[float]] = {}
    kept: dict[str, int] = {}
    for _ in range(3):
        for rules, scrapy_side, our_side in (
            ("own rules", scrapys, ours),
            ("domains only", scrapys_all, ours_all),
        ):
            ms, expected = run(scrapy_side)
            timings.setdefault(f"scrapy LinkExtractor, {rules}", []).append(ms)
            ms, found = run(our_side)
            timings.setdefault(f"spiders.links.Links, {rules}", []).append(ms)
            assert found == expected, "Links differs from LinkExtractor"
            kept[rules] = sum(map(len, found))
    anchors = sum(body.count(b"<a ") for _, body in pages) / len(pages)
    lines = [
        f"bench/bench_links.py {args.pages}  ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        f"corpus: {len(pages)} pages, ~{anchors:.0f} anchors a page; same links from both: yes "
        f"({', '.join(f'{n} links kept with {r}' for r, n in kept.items())})",
        "CPU ms per page, 3 alternating rounds (parse included: response.selector is new each time)",
        *(f"  {name:<42} {'  '.join(f'{t:.2f}' for t in ts)}" for name, ts in timings.items()),
    ]
    output = "\n".join(lines)
    print(output)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as fh:
        fh.write(output + "\n\n")


if __name__ == "__main__":
    main()
