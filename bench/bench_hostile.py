"""Pages that used to stall a crawl: time the paragraph dedup and the storing of quotes.

    .venv/bin/python bench/bench_hostile.py [--db URL] [--paragraphs 11000] [--quotes 1350]

Prints, for a page of N distinct paragraphs (some repeated), the dedup time, and for an
article of N attributed quotes, the time to store it with its claims (``write_article``,
one transaction) in a fresh database (SQLite file by default). Run it with
``PYTHONPATH=<an older src>`` to get the "before" figures of an older checkout.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from newsclaims.pages.paragraphs import drop_repeated_paragraphs
from newsclaims.records import Article, Paragraph, Quote
from newsclaims.storage import database as db
from newsclaims.storage.articles import ArticleStore
from newsclaims.storage.writer import write_article

# A vocabulary of ~1,300 invented words: sentences share words as news prose does.
_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "se", "di", "pa", "ho", "gu"]
WORDS = sorted(
    {
        "".join(random.Random(seed).choices(_SYLLABLES, k=random.Random(-seed).randint(1, 4)))
        for seed in range(3000)
    }
)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def bench_dedup(count: int) -> None:
    rng = random.Random(10)
    texts = [f"{sentence(rng, 40)} ({i})." for i in range(count)]
    texts += rng.sample(texts, count // 20)  # 5 % exact repeats
    paragraphs = [Paragraph(position=i, text=t) for i, t in enumerate(texts)]
    start, cpu = time.perf_counter(), time.process_time()
    kept, dropped = drop_repeated_paragraphs(paragraphs)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"dedup    {len(paragraphs):>6} paragraphs  {elapsed:8.2f} s wall {cpu:8.2f} s cpu  "
        f"(kept {len(kept)}, dropped {dropped})"
    )


def quoted_article(count: int) -> Article:
    rng = random.Random(11)
    paragraphs, quotes = [], []
    for i in range(count):
        said = f'"{sentence(rng, 14)}. {sentence(rng, 10)} {i}," said Speaker{i % 40} Person.'
        paragraphs.append(Paragraph(position=i, text=said))
        quotes.append(
            Quote(
                quote=said[1 : said.index('," said')],
                kind="direct",
                speaker=f"Speaker{i % 40} Person",
                paragraph=i,
                start=1,
                end=said.index('," said'),
            )
        )
    url = "https://bench.example/quotes"
    return Article(url=url, canonical_url=url, source="bench", paragraphs=paragraphs, quotes=quotes)


def bench_store(count: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = url or f"sqlite:///{Path(directory) / 'bench.db'}"
        db.upgrade(url)
        store = ArticleStore(db.make_engine(url))
        article = quoted_article(count)
        statements = [0]

        def count_statement(*_: object) -> None:
            statements[0] += 1

        event.listen(store.engine, "before_cursor_execute", count_statement)
        start, cpu = time.perf_counter(), time.process_time()
        write_article(store, article)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        store.engine.dispose()
        backend = url.split(":", 1)[0]
        print(
            f"store    {count:>6} quotes      {elapsed:8.2f} s wall {cpu:8.2f} s cpu  "
            f"({backend}, with claims, {statements[0]} SQL statements)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an empty database URL (default: a temporary SQLite file)")
    parser.add_argument("--paragraphs", type=int, nargs="*", default=[1000, 11000])
    parser.add_argument("--quotes", type=int, nargs="*", default=[675, 1350])
    args = parser.parse_args()
    for count in args.paragraphs:
        bench_dedup(count)
    for count in args.quotes:
        bench_store(count, args.db)


if __name__ == "__main__":
    main()
