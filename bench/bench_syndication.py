"""Cost of linking a syndicated copy as wire copies of the same stories accumulate.

Stores COPIES articles (copies of the five seed texts, each with its own headline and
footer) into a fresh SQLite file and times ``syndication.link_near_duplicate`` per article,
two ways in one run:

- ``stored``: candidates are compared through their stored MinHash signature (now);
- ``recomputed``: every stored signature is cleared before each lookup, so each candidate's
  signature is computed again from its text, as the store did before 2026-12-01.

Run: python bench/bench_syndication.py [COPIES]
"""

from __future__ import annotations

import hashlib
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.storage import database as db
from newsclaims.storage.syndication import link_near_duplicate

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
        with sessions.begin() as session:
            session.add(models.Source(id=1, name="wire"))
        timings: list[float] = []
        for i in range(copies):
            paragraphs = texts[i % len(texts)]
            text = "\n\n".join([f"Headline {i}", *paragraphs[1:], f"Comments {i}"])
            with sessions.begin() as session:
                article = _article(session, i, text)
                if recompute:
                    session.execute(update(models.Article).values(minhash=None))
                started = time.perf_counter()
                link_near_duplicate(session, article)
                session.flush()
                timings.append(time.perf_counter() - started)
        engine.dispose()
    return timings


def _article(session: Session, i: int, text: str) -> models.Article:
    url = f"https://outlet{i}.example/story"
    article = models.Article(
        source_id=1,
        url=url,
        canonical_url=url,
        url_hash=hashlib.sha1(url.encode()).hexdigest(),
        fetched_at=START + timedelta(minutes=i),
        text=text,
        content_hash=str(i),
        http_status=200,
    )
    session.add(article)
    session.flush()
    return article


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    print(f"{copies} copies of 5 stories into SQLite; per-article link_near_duplicate time")
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
