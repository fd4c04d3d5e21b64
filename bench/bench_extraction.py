"""Does extraction stall the event loop? Inline trafilatura vs the crawl's process pool.

A ticker coroutine wakes every 5 ms and records how late it woke (event-loop lag)
while every fixture article page is extracted ROUNDS times, either inline on the loop
(what a naive pipeline does) or through a ProcessPoolExecutor (what ExtractPipeline
does). Prints pages/s and lag percentiles for both, and their ratio.

Run: python bench/bench_extraction.py [ROUNDS]
"""

from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from newsclaims.pages.extraction import ExtractionError, extract_article

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
TICK = 0.005


def pages() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SITE.rglob("*.html")):
        html = path.read_bytes().decode("utf-8", errors="replace")
        url = "http://" + str(path.relative_to(SITE))
        found.append((html, url))
    return found


def extract(html: str, url: str) -> int:
    try:
        return len(extract_article(html, url, "bench", min_words=0).paragraphs)
    except ExtractionError:
        return 0


async def ticker(lags: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        expected = loop.time() + TICK
        await asyncio.sleep(TICK)
        lags.append(max(0.0, loop.time() - expected))


async def run(
    work: list[tuple[str, str]], pool: ProcessPoolExecutor | None
) -> tuple[float, list[float]]:
    lags: list[float] = []
    stop = asyncio.Event()
    tick = asyncio.create_task(ticker(lags, stop))
    await asyncio.sleep(TICK * 2)
    started = time.perf_counter()
    if pool is None:
        for html, url in work:
            extract(html, url)
            await asyncio.sleep(0)  # a pipeline yields between items
    else:
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(pool, extract, h, u) for h, u in work))
    elapsed = time.perf_counter() - started
    stop.set()
    await tick
    return elapsed, lags


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else (values or [0])[0]


def report(name: str, count: int, elapsed: float, lags: list[float]) -> None:
    print(
        f"{name:<12} {count / elapsed:8.1f} pages/s   loop lag p50 {percentile(lags, 50) * 1000:7.1f} ms"
        f"   p95 {percentile(lags, 95) * 1000:7.1f} ms   max {max(lags) * 1000:7.1f} ms"
    )


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    work = pages() * rounds
    for html, url in work[:5]:
        extract(html, url)  # warm imports and caches for the inline run
    print(
        f"{len(work)} pages ({len(work) // rounds} fixture pages x {rounds}), tick {TICK * 1000:.0f} ms"
    )
    inline = asyncio.run(run(work, None))
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        list(pool.map(extract, *zip(*work[:4], strict=True)))  # start and warm the workers
        pooled = asyncio.run(run(work, pool))
    report("inline", len(work), *inline)
    report("process pool", len(work), *pooled)
    ratio = percentile(inline[1], 95) / max(percentile(pooled[1], 95), 1e-6)
    print(f"p95 loop lag inline / pool: {ratio:.1f}x")


if __name__ == "__main__":
    main()
