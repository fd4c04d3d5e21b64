"""Cost of linking a syndicated copy as wire copies of the same stories accumulate.

Stores COPIES articles (copies of the five seed texts, each with its own headline and
footer) into a fresh SQLite file, each in its own transaction as ``storage.writer`` does:
the article saved (``articles.save_batch``), then ``syndication.link_batch`` timed for it,
with its keys precomputed as the analysis workers do. CPU time (SQLite runs in this
process), so other jobs on the machine do not count. Two ways in one run:

- ``stored``: candidates are compared through their stored MinHash signature (now);
- ``recomputed``: every stored signature is cleared before each lookup, so each candidate's
  signature is computed again from its text, as the store did before 2026-12-01.

Run: python bench/bench_syndication.py [COPIES]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from newsclaims import models
from newsclaims.claims.article_keys import match_keys
from newsclaims.records import Article, Paragraph
from newsclaims.storage import database as db
from newsclaims.storage.articles import save_batch
from newsclaims.storage.syndication import NearDuplicateInput, link_batch

SEEDS = Path(__file__).resolve().parents[1] / "tests" / "data" / "seeds"
START = datetime(2014, 12, 3, tzinfo=UTC)


def bodies() -> list[list[str]]:
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        found.append([line for line in lines if line])
    return found


def run(copies: int, recompute: bool) -> list[float]:
    texts = bodies()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/bench.db"
        db.upgrade(url)
        engine = db.make_engine(url)
        sessions = db.make_sessionmaker(engine)
        timings: list[float] = []
        for i in range(copies):
            paragraphs = texts[i % len(texts)]
            article = _article(i, [f"Headline {i}", *paragraphs[1:], f"Comments {i}"])
            keys = match_keys(article)
            with sessions.begin() as session:
                (saved,) = save_batch(session, [article], None).articles
                if recompute:
                    session.execute(update(models.Article).values(minhash=None))
                entry = NearDuplicateInput(
                    saved.article_id, article.fetched_at, keys.minhash, keys.buckets
                )
                started = time.process_time()
                link_batch(session, [entry])
                timings.append(time.process_time() - started)
        engine.dispose()
    return timings


def _article(i: int, paragraphs: list[str]) -> Article:
    url = f"https://outlet{i}.example/story"
    return Article(
        url=url,
        canonical_url=url,
        source="wire",
        fetched_at=START + timedelta(minutes=i),
        paragraphs=[Paragraph(position=n, text=text) for n, text in enumerate(paragraphs)],
    )


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    print(f"{copies} copies of 5 stories into SQLite; per-article link_batch CPU time")
    results = {"recomputed": run(copies, recompute=True), "stored": run(copies, recompute=False)}
    last = slice(copies - 25, copies)
    for name, timings in results.items():
        print(
            f"{name:<11} last 25 (~{copies // 5} candidates each): median "
            f"{statistics.median(timings[last]) * 1000:7.2f} ms   all: {sum(timings):6.2f} s"
        )
    ratio = statistics.median(results["recomputed"][last]) / statistics.median(
        results["stored"][last]
    )
    print(f"median per article at the end, recomputed / stored: {ratio:.1f}x")


if __name__ == "__main__":
    main()
