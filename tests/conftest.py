"""Shared test fixtures: real SQLite and real PostgreSQL databases, the fixture web server.

Every test that takes ``db_url`` (or ``engine``/``session``) runs once per backend.
PostgreSQL comes from NEWSCLAIMS_TEST_POSTGRES_URL (default: the local server); when it
cannot be reached the Postgres half is skipped with a reason, except in CI (CI=true),
where that is a failure.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.fixtureweb.server import DEFAULT_ROOT, FixtureServer, start_fixture_server
from newsclaims.records import Article, Paragraph, Quote
from newsclaims.storage import database as db

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
FIXTURE_SOURCES = ROOT / "fixtures" / "sources.toml"
POSTGRES_URL = os.environ.get(
    "NEWSCLAIMS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:  # any driver error means: not reachable
        message = (
            f"PostgreSQL not reachable at {make_url(POSTGRES_URL).render_as_string()} ({exc}). "
            "Start it or set NEWSCLAIMS_TEST_POSTGRES_URL to run the Postgres half."
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated empty SQLite file; Postgres template created lazily (see below)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    db.upgrade(f"sqlite:///{path}")
    return {"sqlite": str(path)}


@pytest.fixture(scope="session")
def _postgres_template(postgres_admin: Engine) -> Iterator[str]:
    name = f"nc_tpl_{_worker()}_{uuid.uuid4().hex[:6]}"
    with postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    db.upgrade(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
    yield name
    with postgres_admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _fresh_database(request: pytest.FixtureRequest, backend: str, directory: Path) -> Iterator[str]:
    """A brand-new migrated database of the given backend, dropped afterwards."""
    if backend == "sqlite":
        path = directory / f"newsclaims-{uuid.uuid4().hex[:8]}.db"
        shutil.copy(request.getfixturevalue("_templates")["sqlite"], path)
        yield f"sqlite:///{path}"
        return
    admin: Engine = request.getfixturevalue("postgres_admin")
    template = request.getfixturevalue("_postgres_template")
    name = f"nc_{_worker()}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from _fresh_database(request, request.param, tmp_path)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated PostgreSQL database, for what only a server can show (concurrent
    writers, length limits): such a test runs once, never skipped on SQLite."""
    yield from _fresh_database(request, "postgres", tmp_path)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = db.make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture(scope="session")
def fixture_site() -> Iterator[FixtureServer]:
    server = start_fixture_server(DEFAULT_ROOT)
    yield server
    server.shutdown()
    server.server_close()


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> CrawlResult:
    """Run the real ``newsclaims`` CLI in a fresh interpreter (Scrapy's reactor runs once)."""
    completed = subprocess.run(
        [sys.executable, "-m", "newsclaims.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    return CrawlResult(completed.returncode, completed.stdout, completed.stderr)


FAST_CRAWL = (
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_START_DELAY=0",
    "-s", "AUTOTHROTTLE_MIN_DELAY=0",
    "-s", "NEWSCLAIMS_EXTRACT_WORKERS=2",
)  # fmt: skip


def crawl_fixture_site(
    server: FixtureServer, url: str, spool_dir: Path, *extra: str, sources: Path = FIXTURE_SOURCES
) -> CrawlResult:
    return run_cli(
        "crawl",
        "--sources", str(sources),
        "--db", url,
        "--proxy", server.proxy_url,
        "-s", f"NEWSCLAIMS_SPOOL_DIR={spool_dir}",
        *FAST_CRAWL,
        *extra,
    )  # fmt: skip


@dataclass
class Crawl:
    url: str
    first: CrawlResult
    second: CrawlResult
    requested: list[str]
    counts_after_first: dict[str, int]
    requested_second: list[str] = field(default_factory=list)
    not_modified_second: list[str] = field(default_factory=list)


def table_counts(url: str) -> dict[str, int]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in models.Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def crawl(request, fixture_site, tmp_path_factory) -> Iterator[Crawl]:
    """The fixture web crawled twice into a fresh database of each backend."""
    directory = tmp_path_factory.mktemp("crawl")
    databases = _fresh_database(request, request.param, directory)
    url = next(databases)
    start = len(fixture_site.requested)
    first = crawl_fixture_site(fixture_site, url, directory / "spool")
    counts = table_counts(url)
    middle, middle_304 = len(fixture_site.requested), len(fixture_site.not_modified)
    second = crawl_fixture_site(fixture_site, url, directory / "spool")
    requested = fixture_site.requested[start:]
    yield Crawl(
        url,
        first,
        second,
        requested,
        counts,
        fixture_site.requested[middle:],
        fixture_site.not_modified[middle_304:],
    )
    next(databases, None)


@pytest.fixture
def crawled_session(crawl: Crawl) -> Iterator[Session]:
    engine = db.make_engine(crawl.url)
    with db.make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def both_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A fresh migrated SQLite and PostgreSQL database side by side, for comparing answers."""
    backends = {"sqlite": _fresh_database(request, "sqlite", tmp_path)}
    backends["postgres"] = _fresh_database(request, "postgres", tmp_path)
    yield {name: next(databases) for name, databases in backends.items()}
    for databases in backends.values():
        next(databases, None)


def news_article(
    name: str,
    source: str,
    paragraphs: Sequence[str],
    *,
    speaker: str | None = "John Kerry",
    published: datetime | None = None,
) -> Article:
    """An extracted article whose quoted passages (in straight double quotes) are quotes."""
    quotes = []
    for position, paragraph in enumerate(paragraphs):
        for match in re.finditer(r'"([^"]+)"', paragraph):
            quotes.append(
                Quote(
                    quote=match.group(1),
                    kind="direct",
                    speaker=speaker,
                    paragraph=position,
                    start=match.start(1),
                    end=match.end(1),
                )
            )
    url = f"https://{source}.example/{name}"
    return Article(
        url=url,
        canonical_url=url,
        source=source,
        title=name,
        published=published,
        paragraphs=[Paragraph(position=i, text=t) for i, t in enumerate(paragraphs)],
        quotes=quotes,
    )


def stored_article(session: Session, name: str, body: str) -> models.Article:
    """A bare article row (source ``seeds``) for storage tests that need one in the session."""
    source = session.scalar(select(models.Source).where(models.Source.name == "seeds"))
    if source is None:
        source = models.Source(name="seeds")
        session.add(source)
    url = f"https://example.org/{name}"
    article = models.Article(
        source=source,
        url=url,
        canonical_url=url,
        url_hash=hashlib.sha1(url.encode()).hexdigest(),
        fetched_at=datetime(2014, 12, 3, tzinfo=UTC),
        text=body,
        content_hash=hashlib.sha1(body.encode()).hexdigest(),
        http_status=200,
    )
    session.add(article)
    session.flush()
    return article


def store_crawler(db_url: str, tmp_path: Path, **settings: object) -> Any:
    """A crawler whose settings point the store pipeline at ``db_url`` and a spool under
    ``tmp_path``, its spider and stats open, for driving ``StorePipeline`` directly."""
    from scrapy.spiders import Spider
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(
        Spider,
        {
            "NEWSCLAIMS_SOURCES": str(FIXTURE_SOURCES),
            "NEWSCLAIMS_DATABASE_URL": db_url,
            "NEWSCLAIMS_SPOOL_DIR": str(tmp_path / "spool"),
            **settings,
        },
    )
    crawler.spider = Spider("news")
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return crawler
