"""Throughput and linear growth of the quote extractor.

Run from the repository root: `python bench/bench_quotes.py` (the output is kept
in bench/results/quotes.txt). Times are CPU seconds of this process
(`time.process_time`), so other work on the machine does not count. Part 1 extracts
quotes from real article text (the seed pages and the hard set, repeated to about
2 MB: every phrase is met again, so the memoised word and phrase tests are warm).
Part 2, when ``../shared/eval`` exists, reads its 114 independent articles once each
in this fresh process, as a crawl meets new articles (the texts are only read, never
copied). Part 3 runs on the pages of the pipeline benchmark (bench/corpus.py, as bench/stages.py):
quotes of the on-topic articles per page, beside bare ``trafilatura.extract`` of the same
pages. Part 4 feeds 1, 2 and 4 MB of adversarial text (quote marks of every kind,
apostrophes, cue verbs, names, no balance) and prints the ratio of successive
times: about 2 means linear.
"""

from __future__ import annotations

import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsclaims.quotes.extract import extract_quotes, read_text_document

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIRS = [ROOT / "tests" / "data" / "seeds", ROOT / "tests" / "data" / "quotes_hard"]
EVAL_DIRS = [
    ROOT.parent / "shared" / "eval" / name / "texts" for name in ("polnear_dev", "fakes_dev")
]
CORPUS_BYTES = 2_000_000
ADVERSARIAL_SIZES = [1_000_000, 2_000_000, 4_000_000]
PIECES = [
    '"',
    "“",
    "”",
    "„",
    "«",
    "»",
    "‹",
    "›",
    "'",
    "‘",
    "’",
    " said ",
    " told reporters ",
    " according to ",
    " he said, ",
    " Kerry ",
    " U.S. Secretary of State John Kerry ",
    " the spokesman ",
    " Daesh's ",
    " '90s ",
    ", ",
    ". ",
    ": ",
    " we will win ",
]


def load_corpus(folders: list[Path] = CORPUS_DIRS) -> list[tuple[str | None, list[str]]]:
    docs = []
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            docs.append(read_text_document(path.read_text(encoding="utf-8")))
    return docs


def doc_size(doc: tuple[str | None, list[str]]) -> int:
    headline, paragraphs = doc
    return len((headline or "").encode()) + sum(len(p.encode()) for p in paragraphs)


def timed(run: Callable[[], int]) -> tuple[float, int]:
    start = time.process_time()
    count = run()
    return time.process_time() - start, count


def bench_corpus() -> list[str]:
    docs = load_corpus()
    base = sum(doc_size(d) for d in docs)
    repeats = max(1, round(CORPUS_BYTES / base))
    articles = docs * repeats
    size = base * repeats

    def run() -> int:
        return sum(len(extract_quotes(p, h)) for h, p in articles)

    seconds, quotes = timed(run)
    return [
        f"corpus: {len(docs)} articles (seeds + hard set) x {repeats} = {len(articles)} "
        f"articles, {size / 1e6:.2f} MB",
        f"  {seconds:.2f} s, {size / 1e6 / seconds:.2f} MB/s, {quotes / seconds:,.0f} quotes/s, "
        f"{1000 * seconds / len(articles):.2f} ms per article ({quotes} quotes)",
    ]


def bench_distinct() -> list[str]:
    """Independent articles, each read once: new names and phrases, as in a crawl."""
    if not all(folder.is_dir() for folder in EVAL_DIRS):
        return ["distinct articles: ../shared/eval not found, skipped"]
    docs = load_corpus(EVAL_DIRS)
    size = sum(doc_size(d) for d in docs)

    def run() -> int:
        return sum(len(extract_quotes(p, h)) for h, p in docs)

    seconds, quotes = timed(run)
    return [
        f"distinct articles: {len(docs)} of ../shared/eval, each once, {size / 1e6:.2f} MB",
        f"  {seconds:.2f} s, {size / 1e6 / seconds:.2f} MB/s, "
        f"{1000 * seconds / len(docs):.2f} ms per article ({quotes} quotes)",
    ]


def bench_pages(count: int = 200) -> list[str]:
    """Quotes per crawled page against bare extraction of the same page (issue 12's yardstick)."""
    import tempfile

    import corpus
    import trafilatura

    from newsclaims.config.sources import load_sources
    from newsclaims.pages.extraction import extract_page
    from newsclaims.pages.topic import score_topic

    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        pages = corpus.generate(root / "site", count)
        config = load_sources(root / "site" / "sources.toml")
        bare = 0.0
        articles = []
        for url, file in pages:
            html = file.read_text(encoding="utf-8")
            seconds, _ = timed(
                lambda html=html, url=url: len(trafilatura.extract(html, url=url) or "")
            )
            bare += seconds
            article = extract_page(html, url, "bench", min_words=config.crawl.min_words).article
            if score_topic(article.title, article.text, config.topic).on_topic:
                articles.append(([p.text for p in article.paragraphs], article.title))
    seconds, quotes = timed(lambda: sum(len(extract_quotes(p, h)) for p, h in articles))
    return [
        f"crawl pages: {len(pages)} of bench/corpus.py, {len(articles)} on topic ({quotes} quotes)",
        f"  quotes {1000 * seconds / len(pages):.1f} ms per page, "
        f"bare trafilatura.extract {1000 * bare / len(pages):.1f} ms: {seconds / bare:.2f}x bare",
    ]


def adversarial(size: int, seed: int) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    while total < size:
        piece = rng.choice(PIECES)
        if rng.random() < 0.003:
            piece = "\n"
        out.append(piece)
        total += len(piece.encode())
    return "".join(out)


def bench_growth(label: str, paragraphs_of: Callable[[str], list[str]]) -> list[str]:
    lines = [label]
    previous = None
    for size in ADVERSARIAL_SIZES:
        text = adversarial(size, seed=size)
        paragraphs = paragraphs_of(text)
        seconds, quotes = timed(lambda p=paragraphs: len(extract_quotes(p, p[0])))
        ratio = f"  x{seconds / previous:.2f} of the previous size" if previous else ""
        lines.append(f"  {size / 1e6:.0f} MB: {seconds:6.2f} s, {quotes:,} quotes{ratio}")
        previous = seconds
    return lines


def main() -> None:
    print(
        f"quote extractor benchmark, Python {platform.python_version()}, {platform.machine()}, "
        "CPU seconds"
    )
    sections = [
        bench_distinct(),
        bench_corpus(),
        bench_pages(),
        bench_growth("adversarial text, a paragraph every ~300 pieces:", lambda t: t.split("\n")),
        bench_growth("adversarial text as one paragraph:", lambda t: [t.replace("\n", " ")]),
    ]
    for lines in sections:
        for line in lines:
            print(line)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
