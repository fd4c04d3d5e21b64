"""CPU per page of each stage of the pipeline, one process, no profiler overhead.

On the invented bench corpus (bench/corpus.py): bare ``trafilatura.extract``, then
``trafilatura.bare_extraction`` with metadata and extract_page's options, then
``trafilatura_document`` (extract_page's own trafilatura call: the same body and metadata
fields for less), beside each stage of ``analyse_page`` (extraction with metadata and page signals, paragraph dedup,
topic, quotes, the matching keys storage needs), then the write of every on-topic article
into a fresh SQLite database, one transaction per article and in batches of 50, and in
batches of 50 once more without the keys analysis precomputed (what a caller that builds
its own ``Article`` pays). CPU is ``time.process_time`` of this process (SQLite runs in
it, so its work is counted too).

The process first loads what the analysis workers are forked with (``pages.preload``: the
language model, dateparser's compiled locales), so no stage pays a one-off start-up cost.
``analyse_page (all)`` runs alone in a process forked before any page is analysed, over
every page in turn, as a worker meets them. Timed in the stage loop, after the stages had run on
the same page, it found the quote finder's memo, the matching keys' cache and the CPU caches
warm, and measured 1.41x bare on the real pages where the workers of a run took ~1.7x.

Run: python bench/stages.py [PAGES]   (default 200)
     python bench/stages.py --real    (../shared/eval's 179 real pages, bench/realpages.py)
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
import traceback
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import realpages
import trafilatura
from writes import write_cpu_seconds

import newsclaims.pages.preload  # noqa: F401  (what the workers start with)
from newsclaims.archives.analyse import fetched_page
from newsclaims.archives.records import ArchivedPage
from newsclaims.archives.sources import SourceMatcher
from newsclaims.claims.article_keys import match_keys
from newsclaims.config.sources import load_sources
from newsclaims.pages.analyse import AnalysisOptions, analyse_page
from newsclaims.pages.errors import ExtractionError
from newsclaims.pages.extraction import extract_page, parse_html, trafilatura_document
from newsclaims.pages.paragraphs import drop_repeated_paragraphs
from newsclaims.pages.topic import score_topic
from newsclaims.quotes import extract_quotes
from newsclaims.records import Article, FetchedPage
from newsclaims.storage import database as db


def _metadata_call(today: date) -> dict[str, Any]:
    """trafilatura's own call with the options extract_page needs, metadata on: what
    trafilatura_document replaces (it reads only the metadata fields newsclaims uses)."""
    return {
        "with_metadata": True,
        "include_comments": False,
        "include_tables": True,
        "include_images": False,
        "include_links": True,
        "deduplicate": False,
        "date_extraction_params": {
            "extensive_search": True,
            "original_date": True,
            "outputformat": "%Y-%m-%dT%H:%M:%S%z",
            "max_date": today.isoformat(),
        },
    }


def _analyse_alone(pages: list[FetchedPage], options: AnalysisOptions) -> float:
    """CPU seconds of ``analyse_page`` over ``pages`` in a child forked now, before any stage
    has warmed a cache; only the figure comes back."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: time, report, never unwind into the parent's cleanup
        status = 1
        try:
            os.close(read)
            started = time.process_time()
            for page in pages:
                with contextlib.suppress(ExtractionError):
                    analyse_page(page, options)
            os.write(write, repr(time.process_time() - started).encode())
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        figure = answer.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise SystemExit("analyse_page failed in the forked child (see its traceback above)")
    return float(figure)


def main() -> None:
    real = sys.argv[1:] == ["--real"]
    count = int(sys.argv[1]) if len(sys.argv) > 1 and not real else 200
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        if real:  # every page kept (topic "all"): every stage runs on every page
            articles = realpages.generate(root / "site", copies=1)
        else:
            articles = corpus.generate(root / "site", count)
        config = load_sources(root / "site" / "sources.toml")
        options = AnalysisOptions(topic=config.topic, min_words=config.crawl.min_words)
        matcher = SourceMatcher.from_config(config)
        cpu: dict[str, float] = dict.fromkeys(
            ("decode", "bare trafilatura.extract", "bare_extraction, metadata", "trafilatura, our options", "extract_page", "dedup", "topic", "quotes",
             "match keys", "analyse_page (all)"), 0.0)  # fmt: skip
        stored: list[Article] = []
        today = datetime.now(UTC).date()
        pages: list[FetchedPage] = []
        for url, file in articles:  # read and decoded once, for the child and the stages
            started = time.process_time()
            pages.append(
                fetched_page(ArchivedPage(url=url, body=file.read_bytes(), origin=url), matcher)
            )
            cpu["decode"] += time.process_time() - started
        cpu["analyse_page (all)"] = _analyse_alone(pages, options)
        for (url, _), page in zip(articles, pages, strict=True):
            started = time.process_time()
            trafilatura.extract(page.html, url=url)
            cpu["bare trafilatura.extract"] += time.process_time() - started
            started = time.process_time()
            trafilatura.bare_extraction(parse_html(page.html), url=url, **_metadata_call(today))
            cpu["bare_extraction, metadata"] += time.process_time() - started
            started = time.process_time()
            trafilatura_document(parse_html(page.html), url, today)
            cpu["trafilatura, our options"] += time.process_time() - started
            started = time.process_time()
            article = extract_page(page.html, url, page.source, min_words=options.min_words).article
            cpu["extract_page"] += time.process_time() - started
            started = time.process_time()
            article.paragraphs, _ = drop_repeated_paragraphs(article.paragraphs)
            cpu["dedup"] += time.process_time() - started
            started = time.process_time()
            verdict = score_topic(article.title, article.text, options.topic)
            cpu["topic"] += time.process_time() - started
            started = time.process_time()
            found = []
            if verdict.on_topic:
                found = extract_quotes([p.text for p in article.paragraphs], article.title)
            cpu["quotes"] += time.process_time() - started
            article.quotes = found
            started = time.process_time()
            if verdict.on_topic:
                match_keys(article)
            cpu["match keys"] += time.process_time() - started
            analysis = analyse_page(page, options)  # timed alone above
            if analysis.on_topic:
                stored.append(analysis.article)
        base = cpu["bare trafilatura.extract"]
        kind = "real" if real else "invented"
        print(f"{len(articles)} {kind} pages ({len(stored)} on topic), CPU ms per page")
        for name, seconds in cpu.items():
            print(
                f"  {name:<28} {1000 * seconds / len(articles):6.1f}   {seconds / base:5.2f}x bare"
            )
        bare = [article.model_copy(update={"match_keys": None}) for article in stored]
        runs = (
            ("one transaction each", 1, stored),
            ("batches of 50", 50, stored),
            ("50, no keys precomputed", 50, bare),
        )
        for n, (label, batch, written) in enumerate(runs):
            url = f"sqlite:///{root / f'write-{n}.db'}"
            db.upgrade(url)
            seconds = write_cpu_seconds(url, written, batch)
            per_page = 1000 * seconds / len(articles)
            print(
                f"  write, {label:<24} {1000 * seconds / len(stored):6.1f} per stored article "
                f"({per_page:.1f} per page, {seconds / base:5.2f}x bare)"
            )


if __name__ == "__main__":
    main()
