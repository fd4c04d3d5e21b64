"""CPU of the writing process per stored article, into SQLite and PostgreSQL.

On the invented bench corpus (bench/corpus.py): every page through ``analyse_page``
(untimed), then ``storage.writer`` writes the on-topic articles into a fresh database,
one transaction per article and in batches of 50. CPU is ``time.process_time`` of this
process: SQLite's work is counted, PostgreSQL's server side is not (only the client's
statement building, driver and result handling). Uses nothing newer than
``write_article``/``write_articles``, so the same script measures another checkout:
``PYTHONPATH=OTHER/src python bench/writes.py``.

Run: python bench/writes.py [PAGES] [POSTGRES_SERVER_URL]   (default 200; without a URL,
SQLite only). A database named ``nc_bench_writes_*`` is created on the server and dropped.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from newsclaims.archives.analyse import fetched_page
from newsclaims.archives.records import ArchivedPage
from newsclaims.archives.sources import SourceMatcher
from newsclaims.config.sources import load_sources
from newsclaims.pages.analyse import AnalysisOptions, analyse_page
from newsclaims.records import Article
from newsclaims.storage import database as db
from newsclaims.storage.articles import ArticleStore
from newsclaims.storage.writer import write_article, write_articles


@contextmanager
def fresh_database(server: str | None, directory: Path) -> Iterator[str]:
    if server is None:
        yield f"sqlite:///{directory / f'{uuid.uuid4().hex}.db'}"
        return
    name = f"nc_bench_writes_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def write_cpu_seconds(url: str, articles: list[Article], batch: int) -> float:
    """CPU seconds of this process writing ``articles`` into the migrated database at
    ``url``: one ``write_article`` transaction each (``batch`` 1), else batches of ``batch``."""
    store = ArticleStore(db.make_engine(url))
    started = time.process_time()
    if batch == 1:
        for article in articles:
            write_article(store, article)
    else:
        for i in range(0, len(articles), batch):
            write_articles(store, articles[i : i + batch])
    seconds = time.process_time() - started
    store.engine.dispose()
    return seconds


def analysed(root: Path, count: int) -> list[Article]:
    pages = corpus.generate(root / "site", count)
    config = load_sources(root / "site" / "sources.toml")
    options = AnalysisOptions(topic=config.topic, min_words=config.crawl.min_words)
    matcher = SourceMatcher.from_config(config)
    stored = []
    for url, file in pages:
        page = fetched_page(ArchivedPage(url=url, body=file.read_bytes(), origin=url), matcher)
        analysis = analyse_page(page, options)
        if analysis.on_topic:
            stored.append(analysis.article)
    return stored


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    server = sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        stored = analysed(root, count)
        print(f"{count} invented pages, {len(stored)} on topic stored; CPU ms per stored article")
        backends = [("SQLite", None)] + ([("PostgreSQL", server)] if server else [])
        for backend, url in backends:
            for label, batch in (("one transaction each", 1), ("batches of 50", 50)):
                with fresh_database(url, root) as database:
                    db.upgrade(database)
                    seconds = write_cpu_seconds(database, stored, batch)
                print(f"  {backend:<11} {label:<21} {1000 * seconds / len(stored):6.1f}")


if __name__ == "__main__":
    main()
