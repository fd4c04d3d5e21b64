"""Does analysis stall the crawl's event loop? Before and after the one analysis path.

A ticker coroutine wakes every 5 ms and records how late it woke (event-loop lag)
while pages of real size (30-150 KB) go through analysis three ways:

- ``inline``: everything on the loop (what a naive pipeline does);
- ``split`` (before issue 7): extraction in a process pool, then paragraph dedup, topic
  scoring and quote finding on the loop, as the old per-stage pipelines did;
- ``analyse_page`` (now): the whole analysis in the process pool.

Pages: the real pages of ``../shared/eval/extraction`` between 30 and 150 KB when that
folder exists (read, never copied), else the fixture web's pages. Prints pages/s and lag
percentiles for each, and the p95 ratios.

Run: python bench/bench_extraction.py [ROUNDS]
"""

from __future__ import annotations

import asyncio
import gzip
import multiprocessing
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from newsclaims.config.sources import DEFAULT_TOPIC
from newsclaims.pages.analyse import AnalysisOptions, analyse_page
from newsclaims.pages.extraction import ExtractionError, extract_article
from newsclaims.pages.paragraphs import drop_repeated_paragraphs
from newsclaims.pages.topic import score_topic
from newsclaims.quotes import extract_quotes
from newsclaims.records import Article, FetchedPage

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "fixtures" / "site"
REAL_PAGES = ROOT.parent / "shared" / "eval" / "extraction" / "pages"
TICK = 0.005
MIN_BYTES, MAX_BYTES = 30_000, 150_000
# Every page is analysed as on topic, so quote finding runs on all of them as in a crawl.
OPTIONS = AnalysisOptions(min_words=0, quotes_off_topic=True)


def pages() -> tuple[str, list[FetchedPage]]:
    found: list[FetchedPage] = []
    if REAL_PAGES.is_dir():
        for path in sorted(REAL_PAGES.glob("*.html.gz")):
            data = gzip.decompress(path.read_bytes())
            if MIN_BYTES <= len(data) <= MAX_BYTES:
                found.append(_page(data, f"http://bench.test/{path.stem}"))
        return f"{len(found)} real pages of {MIN_BYTES // 1000}-{MAX_BYTES // 1000} KB", found
    for path in sorted(SITE.rglob("*.html")):
        found.append(_page(path.read_bytes(), "http://" + str(path.relative_to(SITE))))
    return f"{len(found)} fixture pages", found


def _page(data: bytes, url: str) -> FetchedPage:
    html = data.decode("utf-8", errors="replace")
    return FetchedPage(url=url, requested_url=url, source="bench", status=200, html=html)


def analyse_whole(page: FetchedPage) -> Article | None:
    try:
        return analyse_page(page, OPTIONS).article
    except ExtractionError:
        return None


def extract_only(page: FetchedPage) -> Article | None:
    try:
        return extract_article(page.html, str(page.url), page.source, min_words=0)
    except ExtractionError:
        return None


def rest_on_loop(article: Article | None) -> None:
    """The stages the old pipelines ran on the event loop after extraction."""
    if article is None:
        return
    article.paragraphs, _ = drop_repeated_paragraphs(article.paragraphs)
    score_topic(article.title, article.text, DEFAULT_TOPIC)
    article.quotes = extract_quotes([p.text for p in article.paragraphs], article.title)


async def ticker(lags: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        expected = loop.time() + TICK
        await asyncio.sleep(TICK)
        lags.append(max(0.0, loop.time() - expected))


async def run(
    work: list[FetchedPage],
    pool: ProcessPoolExecutor | None,
    in_pool: Callable[[FetchedPage], Article | None],
    on_loop: Callable[[Article | None], None] | None,
) -> tuple[float, list[float]]:
    lags: list[float] = []
    stop = asyncio.Event()
    tick = asyncio.create_task(ticker(lags, stop))
    await asyncio.sleep(TICK * 2)
    started = time.perf_counter()
    if pool is None:
        for page in work:
            in_pool(page)
            await asyncio.sleep(0)  # a pipeline yields between items
    else:
        loop = asyncio.get_running_loop()

        async def one(page: FetchedPage) -> None:
            article = await loop.run_in_executor(pool, in_pool, page)
            if on_loop is not None:
                on_loop(article)

        await asyncio.gather(*(one(page) for page in work))
    elapsed = time.perf_counter() - started
    stop.set()
    await tick
    return elapsed, lags


def percentile(values: list[float], q: int) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else (values or [0])[0]
    )


def report(name: str, count: int, elapsed: float, lags: list[float]) -> None:
    print(
        f"{name:<14} {count / elapsed:7.1f} pages/s   loop lag p50 {percentile(lags, 50) * 1000:7.1f} ms"
        f"   p95 {percentile(lags, 95) * 1000:7.1f} ms   max {max(lags) * 1000:7.1f} ms"
    )


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    label, found = pages()
    work = found * rounds
    for page in work[:5]:
        analyse_whole(page)  # warm imports and caches for the inline run
    print(f"{len(work)} pages ({label} x {rounds}), tick {TICK * 1000:.0f} ms, 2 workers")
    inline = asyncio.run(run(work, None, analyse_whole, None))
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        list(pool.map(analyse_whole, work[:4]))  # start and warm the workers
        split = asyncio.run(run(work, pool, extract_only, rest_on_loop))
        whole = asyncio.run(run(work, pool, analyse_whole, None))
    report("inline", len(work), *inline)
    report("split (before)", len(work), *split)
    report("analyse_page", len(work), *whole)
    before, after = percentile(split[1], 95), max(percentile(whole[1], 95), 1e-6)
    print(f"p95 loop lag split (before) / analyse_page (now): {before / after:.1f}x")
    print(f"p95 loop lag inline / analyse_page: {percentile(inline[1], 95) / after:.1f}x")


if __name__ == "__main__":
    main()
