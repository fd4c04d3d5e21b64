"""``newsclaims ingest``: WARC files and saved pages through the crawl's analysis and storage.

The WARC is written here, record by record, from the fixture web's pages (the site's design
in fixtures/site/expected.json says which are articles), with the kinds of records a real
archive holds besides (requests, revisits, metadata, images, a 404) and damaged ones.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from psycopg.errors import UniqueViolation
from sqlalchemy import select
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsclaims import memory, models
from newsclaims.archives.reader import read_paths
from newsclaims.archives.records import ArchivedPage, Damaged, Skipped
from newsclaims.archives.sources import SourceMatcher, registered_domain
from newsclaims.config.sources import load_sources
from newsclaims.discovery.urls import url_key
from newsclaims.fixtureweb.server import CONTENT_TYPES, DEFAULT_ROOT

from .conftest import FIXTURE_SOURCES, ROOT, run_cli, table_counts

EXPECTED = json.loads((ROOT / "fixtures" / "site" / "expected.json").read_text())
STORED_KINDS = ("seed_article", "on_topic_article", "brief_article", "syndicated_copy")
# What a crawler could have fetched: everything but the page robots.txt keeps it from.
ARCHIVED_KINDS = (*STORED_KINDS, "off_topic_article", "index", "binary")


def fixture_file(url: str) -> Path:
    host, _, path = url.removeprefix("http://").partition("/")
    relative = path if path and not path.endswith("/") else path + "index.html"
    return DEFAULT_ROOT / host / relative


def stored_keys(url: str) -> list[str]:
    from newsclaims.storage import database as db

    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(models.Article.canonical_url)).scalars()
            return sorted(url_key(row) for row in rows)
    finally:
        engine.dispose()


def wanted_keys() -> list[str]:
    return sorted(url_key(e["canonical_url"]) for e in EXPECTED if e["kind"] in STORED_KINDS)


def _record(writer: WARCWriter, url: str, body: bytes, content_type: str, status: int = 200):
    http = StatusAndHeaders(
        f"{status} {'OK' if status == 200 else 'Not Found'}",
        [("Content-Type", content_type), ("Content-Length", str(len(body)))],
        protocol="HTTP/1.1",
    )
    return writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": "2014-12-03T10:00:00Z"},
    )


def fixture_members(gz: bool) -> list[tuple[str, bytes]]:
    """(what, bytes) for each record, in the file's order, one gzip member each when gz."""
    members: list[tuple[str, bytes]] = []

    def add(what: str, make) -> None:
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=gz)
        writer.write_record(make(writer))
        members.append((what, buffer.getvalue()))

    add("warcinfo", lambda w: w.create_warcinfo_record("fixture.warc", {"software": "test"}))
    for entry in EXPECTED:
        if entry["kind"] not in ARCHIVED_KINDS:
            continue
        url = entry["url"]
        file = fixture_file(url)
        content_type = CONTENT_TYPES.get(file.suffix, "application/octet-stream")
        add(
            "request",
            lambda w, u=url: w.create_warc_record(
                u, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            ),
        )
        add(
            entry["kind"], lambda w, u=url, f=file, c=content_type: _record(w, u, f.read_bytes(), c)
        )
        add(
            "metadata",
            lambda w, u=url: w.create_warc_record(
                u,
                "metadata",
                payload=io.BytesIO(b"via: test\n"),
                warc_content_type="application/warc-fields",
            ),
        )
    first = next(e for e in EXPECTED if e["kind"] == "seed_article")
    add(
        "revisit",
        lambda w: w.create_revisit_record(
            first["url"], "sha1:AAAA", "http://x.test/", "2014-12-03T10:00:00Z"
        ),
    )
    add(
        "404",
        lambda w: _record(
            w, "http://www.voanews.test/gone.html", b"<html>gone</html>", "text/html", 404
        ),
    )
    return members  # fmt: skip


def write_damaged_warc(path: Path, gz: bool) -> dict[str, int]:
    """The fixture WARC with a garbage record after the 3rd seed article and the last
    record cut short; returns the damaged records' offsets."""
    members = fixture_members(gz)
    seeds = [i for i, (what, _) in enumerate(members) if what == "seed_article"]
    garbage = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>spliced in, no WARC header</p>\r\n\r\n"
    members.insert(seeds[2] + 1, ("garbage", gzip.compress(garbage) if gz else garbage))
    what, last = members[-1]
    members[-1] = (what, last[: len(last) - 40])
    offsets, position = {}, 0
    with path.open("wb") as fh:
        for what, data in members:
            if what in {"garbage", "404"}:
                offsets[what] = position
            fh.write(data)
            position += len(data)
    return offsets


def write_clean_warc(path: Path, gz: bool = True) -> None:
    path.write_bytes(b"".join(data for _, data in fixture_members(gz)))


# -- the reader, no database ---------------------------------------------------------------


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_reader_skips_what_is_not_a_page_and_reports_damage_with_offsets(tmp_path, gz):
    path = tmp_path / ("fixture.warc.gz" if gz else "fixture.warc")
    offsets = write_damaged_warc(path, gz)
    events = list(read_paths([path]))
    pages = [e for e in events if isinstance(e, ArchivedPage)]
    skipped = [e.kind for e in events if isinstance(e, Skipped)]
    damaged = [e for e in events if isinstance(e, Damaged)]

    html_kinds = [e for e in EXPECTED if e["kind"] in ARCHIVED_KINDS and e["kind"] != "binary"]
    assert sorted(p.url for p in pages) == sorted(e["url"] for e in html_kinds)
    assert skipped.count("request") == skipped.count("metadata") == len(html_kinds) + 5
    assert skipped.count("not_html") == 5 and skipped.count("revisit") == 1
    assert skipped.count("warcinfo") == 1
    assert [d.offset for d in damaged] == [offsets["garbage"], offsets["404"]]
    assert all(str(path) in d.origin and d.reason for d in damaged)
    assert all(p.fetched_at == datetime(2014, 12, 3, 10, tzinfo=UTC) for p in pages)


def _summary(events) -> tuple[list[str], list[str], list[tuple[int, str]]]:
    pages = sorted(e.url for e in events if isinstance(e, ArchivedPage))
    skipped = sorted(e.kind for e in events if isinstance(e, Skipped))
    return pages, skipped, [(e.offset, e.reason) for e in events if isinstance(e, Damaged)]


def test_a_warc_gzipped_as_one_stream_reads_as_one_gzip_member_per_record(tmp_path):
    """``gzip file.warc`` makes one stream, which warcio refuses (it traced back before)."""
    plain = b"".join(data for _, data in fixture_members(gz=False))
    per_record = tmp_path / "members.warc.gz"
    write_clean_warc(per_record)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain))
    expected = _summary(list(read_paths([per_record])))
    assert _summary(list(read_paths([whole]))) == expected and not expected[2]
    # Records in their own members first, then one stream holding the rest.
    members = fixture_members(gz=True)
    half = len(members) // 2
    mixed = tmp_path / "mixed.warc.gz"
    rest = b"".join(data for _, data in fixture_members(gz=False)[half:])
    mixed.write_bytes(b"".join(data for _, data in members[:half]) + gzip.compress(rest))
    assert _summary(list(read_paths([mixed]))) == expected


def test_damage_inside_a_stream_after_members_reads_on_without_repeats(tmp_path):
    """A record whose body changed (its digest fails) inside the stream: the reader resyncs
    within the decompressed data, from the stream's start, not the file's."""
    members = fixture_members(gz=True)
    plain = [data for _, data in fixture_members(gz=False)]
    half = len(members) // 2
    seed = next(i for i, (what, _) in enumerate(members) if i > half and what == "seed_article")
    spoiled = plain[seed].replace(b"</p>", b"</P>", 1)
    assert spoiled != plain[seed]
    stream = b"".join(plain[half:seed]) + spoiled + b"".join(plain[seed + 1 :])
    path = tmp_path / "mixed.warc.gz"
    path.write_bytes(b"".join(data for _, data in members[:half]) + gzip.compress(stream))
    pages, skipped, damaged = _summary(list(read_paths([path])))
    clean = tmp_path / "clean.warc.gz"
    write_clean_warc(clean)
    all_pages, all_skipped, _ = _summary(list(read_paths([clean])))
    assert len(damaged) == 1 and "digest" in damaged[0][1]
    assert len(pages) == len(all_pages) - 1 and set(pages) < set(all_pages)
    assert skipped == all_skipped


def test_a_whole_stream_cut_short_keeps_its_records_before_the_cut(tmp_path):
    plain = b"".join(data for _, data in fixture_members(gz=False))
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(gzip.compress(plain)[:-3000])
    pages, _, damaged = _summary(list(read_paths([cut])))
    assert len(damaged) == 1 and 0 < damaged[0][0] < len(plain)
    complete = _summary(list(read_paths([_written(tmp_path / "all.warc", plain)])))[0]
    assert 0 < len(pages) < len(complete) and set(pages) <= set(complete)


def _partial_gunzip(data: bytes) -> bytes:
    return zlib.decompressobj(wbits=31).decompress(data)


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_a_file_ending_inside_a_record_header_reports_that_record_damaged(tmp_path, gz):
    """Cut anywhere in the last record's first bytes (its WARC header, for a plain file),
    the record is damage at its offset, never a skipped record of a made-up type."""
    members = fixture_members(gz)
    head = b"".join(data for _, data in members[:-1])
    last = members[-1][1]
    suffix = ".warc.gz" if gz else ".warc"
    before = _summary(list(read_paths([_written(tmp_path / f"head{suffix}", head)])))
    assert not before[2] and before[1].count("warcinfo") == 1
    cuts = range(1, last.find(b"\r\n\r\n"))  # inside the WARC header
    if gz:  # anywhere the record is not all there (past it only "\r\n\r\n" and the trailer)
        whole = len(gzip.decompress(last)) - 4
        cuts = [cut for cut in range(1, len(last)) if len(_partial_gunzip(last[:cut])) < whole]
    for cut in cuts[::3]:
        path = _written(tmp_path / f"cut{cut}{suffix}", head + last[:cut])
        pages, skipped, damaged = _summary(list(read_paths([path])))
        assert pages == before[0] and skipped == before[1], cut
        assert [offset for offset, _ in damaged] == [len(head)], (cut, damaged)


def test_what_is_not_a_warc_is_one_short_damage_report(tmp_path):
    text = _written(tmp_path / "text.warc.gz", gzip.compress(b"this is not a warc\n"))
    noise = _written(tmp_path / "noise.warc", bytes(range(256)) * 20)
    for path in (text, noise):
        pages, skipped, damaged = _summary(list(read_paths([path])))
        assert pages == [] and skipped == [] and len(damaged) == 1, path
        reason = damaged[0][1]
        assert "not a WARC record" in reason and len(reason) < 80 and reason.isprintable()


def test_a_saved_file_is_fetched_when_it_was_saved_unless_its_time_was_reset(tmp_path):
    page = tmp_path / "saved.html"
    page.write_bytes(b"<html><body><p>Saved.</p></body></html>")
    for saved, fetched in (
        (datetime(2014, 12, 1, 9, tzinfo=UTC), datetime(2014, 12, 1, 9, tzinfo=UTC)),
        (datetime(1980, 1, 1, tzinfo=UTC), None),  # zip's epoch: when it was saved is unknown
    ):
        os.utime(page, (saved.timestamp(), saved.timestamp()))
        (read,) = read_paths([page])
        assert isinstance(read, ArchivedPage) and read.fetched_at == fetched


def test_sources_come_from_the_configured_domains_else_the_registered_domain():
    matcher = SourceMatcher.from_config(load_sources(FIXTURE_SOURCES))
    assert matcher.source_for("http://www.voanews.test/a/1.html") == "voa"
    assert registered_domain("https://news.example.co.uk/a") == "example.co.uk"
    assert matcher.source_for("https://www.bbc.co.uk/news/x") == "bbc.co.uk"
    assert SourceMatcher.from_config(None, "mine").source_for("https://x.example/") == "mine"


def test_a_page_whose_analysis_raises_costs_only_itself_in_its_pool_task():
    """The pool gets several pages per task: each comes back on its own, in order, and
    one whose analysis raises (here a body that is text, not bytes) is reported alone."""
    from newsclaims.archives.analyse import Crashed, analyse_archived, analyse_pages
    from newsclaims.pages.analyse import AnalysisOptions

    config = load_sources(FIXTURE_SOURCES)
    options = AnalysisOptions(topic=config.topic, min_words=config.crawl.min_words)
    matcher = SourceMatcher.from_config(config)
    seeds = [e["url"] for e in EXPECTED if e["kind"] == "seed_article"][:2]
    when = datetime(2014, 12, 3, 10, tzinfo=UTC)
    good = [
        ArchivedPage(url=u, body=fixture_file(u).read_bytes(), origin=u, fetched_at=when)
        for u in seeds
    ]
    bad = ArchivedPage(url=seeds[0], body="<html>text</html>", origin="bad")  # type: ignore[arg-type]
    results = analyse_pages([good[0], bad, good[1]], options, matcher)
    assert results[0] == analyse_archived(good[0], options, matcher)
    assert results[2] == analyse_archived(good[1], options, matcher)
    assert [r.verdict for r in (results[0], results[2])] == ["article", "article"]  # type: ignore[union-attr]
    assert isinstance(results[1], Crashed) and results[1].kind == "TypeError"


# The ingest's pool as the driver starts it, in a fresh interpreter (a forkserver already
# running in the test process would keep the preload it started with).
POOL_MODULES = """
import os
import sys
from newsclaims.ingest.driver import Ingest
from newsclaims.pages.options import AnalysisOptions

if __name__ == "__main__":
    pool = Ingest("sqlite://", None, AnalysisOptions(), workers=1)._new_pool()
    loaded = "sorted(m for m in ('newsclaims.archives.analyse', 'newsclaims.pages.preload', 'py3langid') if m in __import__('sys').modules)"
    in_worker = pool.submit(eval, loaded).result(timeout=120)
    compiled = "sum(map(len, __import__('dateparser.languages.dictionary', fromlist=['_']).Dictionary._split_regex_cache.values()))"
    locales = pool.submit(eval, compiled).result(timeout=120)
    stoplist = (
        "len(__import__('trafilatura.external', fromlist=['_']).JT_STOPLIST or ()), "
        "__import__('justext.core', fromlist=['_']).define_stoplist.cache_info().currsize"
    )
    stopwords = pool.submit(eval, stoplist).result(timeout=120)
    threshold = pool.submit(eval, "__import__('os').environ.get('MALLOC_MMAP_THRESHOLD_')").result(timeout=120)
    pool.shutdown()
    print("trafilatura" in sys.modules, in_worker)
    print(locales)
    print(*stopwords)
    print(threshold, os.environ.get("MALLOC_MMAP_THRESHOLD_"))
"""


def test_ingest_workers_fork_with_the_analysis_loaded_and_the_parent_never_loads_it():
    """Each worker used to import the analysis on its own (~0.8 s of CPU, again for every
    recycled worker), and the parent loaded it only to name the worker's function. Each
    also compiled dateparser's locales (1.8 s) on its first page without a declared date,
    and built jusText's stop-list of every language (0.6 s, ~27 MB) on its first page of no
    known language: a worker now finds both made (hundreds of locales, 150,000 stop
    words; none before). The pool's processes return freed page-sized blocks to the system
    (``newsclaims.memory``)."""
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_MMAP_THRESHOLD_"}
    done = subprocess.run(
        [sys.executable, "-c", POOL_MODULES], capture_output=True, text=True, timeout=180, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]
    modules, locales, stopwords, threshold = done.stdout.strip().splitlines()
    assert modules == (
        "False ['newsclaims.archives.analyse', 'newsclaims.pages.preload', 'py3langid']"
    )
    assert int(locales) >= 200  # every language's (205 with dateparser 1.5), not a few
    words, frozensets = map(int, stopwords.split())  # the tuple, jusText's frozenset of it
    assert words > 100_000 and frozensets >= 1  # every language's (154,484 with jusText 3.0)
    assert threshold == "131072 131072"  # in the workers and the command's own process


def test_a_malloc_threshold_the_operator_set_is_kept(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(memory, "_applied", False)  # as in a new process: the check decides
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "262144")
    memory.return_large_blocks()
    assert os.environ["MALLOC_MMAP_THRESHOLD_"] == "262144"


# -- the command, on both databases --------------------------------------------------------


def ingest(*args: str) -> object:
    return run_cli("ingest", "--sources", str(FIXTURE_SOURCES), "--workers", "2", *args)


def test_ingest_stores_the_articles_a_crawl_stores_and_survives_damage(db_url, tmp_path):
    path = tmp_path / "fixture.warc.gz"
    offsets = write_damaged_warc(path, gz=True)
    first = ingest(str(path), "--db", db_url, "--progress-interval", "1e-9")
    assert first.returncode == 0, first.stderr[-3000:]
    assert stored_keys(db_url) == wanted_keys()
    progress = [line for line in first.stderr.splitlines() if line.startswith("… records ")]
    assert progress and "stored" in progress[-1] and progress[-1].endswith("records/s")
    assert f"damaged record skipped at offset {offsets['garbage']}" in first.stderr
    assert f"damaged record skipped at offset {offsets['404']}" in first.stderr
    assert "Traceback" not in first.stderr
    assert f"stored articles       {len(wanted_keys())}" in first.stdout
    assert "damaged records       2" in first.stdout
    counts = table_counts(db_url)
    assert counts["quotes"] > 0 and counts["claims"] > 0

    again = ingest(str(path), "--db", db_url)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "stored articles       0" in again.stdout
    assert f"unchanged articles    {len(wanted_keys())}" in again.stdout
    after = table_counts(db_url)
    assert {k: v for k, v in after.items() if k not in {"crawl_runs"}} == {
        k: v for k, v in counts.items() if k not in {"crawl_runs"}
    }


def test_ingest_a_folder_of_saved_pages(db_url, tmp_path):
    """Saved pages carry their URL in rel=canonical/og:url; the folder's other files are skipped."""
    folder = tmp_path / "saved"
    folder.mkdir()
    for number, entry in enumerate(e for e in EXPECTED if e["kind"] in ARCHIVED_KINDS):
        file = fixture_file(entry["url"])
        shutil.copy(file, folder / f"{number:03d}{file.suffix}")
    result = ingest(str(folder), "--db", db_url)
    assert result.returncode == 0, result.stderr[-3000:]
    declared = {url_key(e["canonical_url"]) for e in EXPECTED if e["kind"] in STORED_KINDS}
    assert set(stored_keys(db_url)) <= declared
    assert len(stored_keys(db_url)) == len(declared)


def test_unknown_hosts_are_stored_under_their_registered_domain(db_url, tmp_path):
    seed = next(e for e in EXPECTED if e["kind"] == "seed_article")
    path = tmp_path / "other.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        body = fixture_file(seed["url"]).read_bytes()
        body = body.replace(b"www.ibtimes.test", b"news.example.co.uk")
        writer.write_record(
            _record(writer, "http://news.example.co.uk/world/story.html", body, "text/html")
        )
    result = ingest(str(path), "--db", db_url)
    assert result.returncode == 0, result.stderr[-3000:]
    from newsclaims.storage import database as db

    engine = db.make_engine(db_url)
    with engine.connect() as connection:
        names = (
            connection.execute(
                select(models.Source.name).join(
                    models.Article, models.Article.source_id == models.Source.id
                )
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert names == ["example.co.uk"]


def test_nothing_readable_is_exit_1_with_one_line(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    notes = _written(tmp_path / "notes.txt", b"not an archive")
    noise = _written(tmp_path / "noise.warc", bytes(range(256)) * 20)
    for path in (empty, notes, noise):
        result = run_cli("ingest", str(path), "--db", f"sqlite:///{tmp_path / 'n.db'}")
        assert result.returncode == 1, (path, result.stderr)
        errors = [line for line in result.stderr.splitlines() if "error:" in line]
        assert errors == [
            line for line in errors if line.startswith("newsclaims: error: nothing readable")
        ]
        assert len(errors) == 1 and str(path) in errors[0] and "Traceback" not in result.stderr
    good = tmp_path / "good.warc.gz"
    write_clean_warc(good)
    both = run_cli("ingest", str(good), str(notes), "--db", f"sqlite:///{tmp_path / 'n.db'}")
    assert both.returncode == 0 and "error" not in both.stderr, both.stderr


def test_usage_errors_and_an_unreachable_database(tmp_path):
    missing = run_cli("ingest", str(tmp_path / "nope.warc.gz"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    path = tmp_path / "x.warc.gz"
    write_clean_warc(path)
    down = run_cli("ingest", str(path), "--db", "postgresql+psycopg://postgres@127.0.0.1:1/none")
    assert down.returncode == 3, down.stderr
    assert "Traceback" not in down.stderr
    assert down.stderr.startswith("newsclaims: error: cannot reach the database")


# -- crawl --warc-out, replayed ---------------------------------------------------------------


def article_rows(url: str) -> list[tuple]:
    from newsclaims.storage import database as db

    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            articles = connection.execute(
                select(
                    models.Article.id,
                    models.Article.canonical_url,
                    models.Source.name,
                    models.Article.title,
                    models.Article.byline,
                    models.Article.text,
                    models.Article.published_at,
                ).join(models.Source, models.Source.id == models.Article.source_id)
            ).all()
            rows = []
            for article_id, *fields in articles:
                quotes = connection.execute(
                    select(models.Quote.text, models.Speaker.name)
                    .outerjoin(models.Speaker, models.Speaker.id == models.Quote.speaker_id)
                    .where(models.Quote.article_id == article_id)
                    .order_by(models.Quote.paragraph_position, models.Quote.start)
                ).all()
                rows.append((*fields, tuple(map(tuple, quotes))))
            return sorted(rows, key=lambda row: url_key(row[0]))
    finally:
        engine.dispose()


def test_a_crawl_written_as_warc_replays_into_the_same_articles(
    fixture_site, both_databases, tmp_path
):
    from .conftest import crawl_fixture_site

    warcs = tmp_path / "warcs"
    crawled = crawl_fixture_site(
        fixture_site, both_databases["sqlite"], tmp_path / "spool", "--warc-out", str(warcs)
    )
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    files = sorted(warcs.iterdir())
    assert files and all(f.name.endswith(".warc.gz") for f in files)

    replayed = ingest(str(warcs), "--db", both_databases["postgres"])
    assert replayed.returncode == 0, replayed.stderr[-3000:]
    assert "damaged records       0" in replayed.stdout
    assert article_rows(both_databases["postgres"]) == article_rows(both_databases["sqlite"])
    assert stored_keys(both_databases["postgres"]) == wanted_keys()


def test_a_page_the_database_refuses_costs_an_ingest_only_that_page(db_url, tmp_path):
    """The database refuses one article (its insert raises a constraint error, in the batch
    and alone): the batch falls back to one article per transaction; the articles committed
    around it count as stored, the refused one is a fetch error, and the ingest goes on."""
    from sqlalchemy import Engine, event

    from newsclaims import runstats
    from newsclaims.ingest.driver import Ingest
    from newsclaims.pages.analyse import AnalysisOptions
    from newsclaims.storage import database as db

    path = tmp_path / "fixture.warc.gz"
    write_clean_warc(path)
    config = load_sources(FIXTURE_SOURCES)
    refused = next(e["url"] for e in EXPECTED if e["kind"] == "seed_article")
    refusals: list[str] = []
    violation = sqlite3.IntegrityError if db_url.startswith("sqlite") else UniqueViolation

    def refuse(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.startswith("INSERT INTO articles") and refused in str(parameters):
            refusals.append(statement)
            raise violation("the database refuses this page")

    db.upgrade(db_url)
    event.listen(Engine, "before_cursor_execute", refuse)
    try:
        options = AnalysisOptions(topic=config.topic, min_words=config.crawl.min_words)
        summary = Ingest(db_url, config, options, workers=2).run([path])
    finally:
        event.remove(Engine, "before_cursor_execute", refuse)
    assert len(refusals) >= 2  # in the batch, then alone
    wanted = [key for key in wanted_keys() if key != url_key(refused)]
    assert stored_keys(db_url) == wanted
    assert summary.stats[runstats.STORED] == len(wanted)
    assert summary.stats[runstats.DUPLICATES] == 0
    assert summary.stats[runstats.ERRORS] == 1
    engine = db.make_engine(db_url)
    try:
        with engine.connect() as connection:
            errors = connection.execute(select(models.FetchError.url, models.FetchError.reason))
            assert [(url, reason[:16]) for url, reason in errors] == [(refused, "could not store:")]
    finally:
        engine.dispose()


def test_ingest_stores_in_archive_order_whichever_worker_finishes_first(db_url, tmp_path):
    """Results are written in the archive's order, not as workers finish them: a claim's
    wording and every id then follow the archive, the same for any number of workers (the
    first page here is ~1 MB, slow to analyse, so the other worker finishes the rest first)."""
    from newsclaims.fixtureweb.generated import GeneratedSite
    from newsclaims.storage import database as db

    site = GeneratedSite(40)
    sources = tmp_path / "gen.toml"
    sources.write_text(site.sources_toml())
    path = tmp_path / "ordered.warc.gz"
    filler = "".join(
        f"<p>Officials described the {n}th convoy of the campaign as routine and orderly.</p>"
        for n in range(12_000)
    ).encode()
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for number in range(site.count):
            found = site.page(site.article_path(number))
            assert found is not None
            body = found[1]
            if number == 0:
                body = body.replace(b"</article>", filler + b"</article>")
            writer.write_record(_record(writer, site.article_url(number), body, "text/html"))
    result = run_cli(
        "ingest", "--sources", str(sources), "--workers", "2", str(path), "--db", db_url
    )
    assert result.returncode == 0, result.stderr[-3000:]
    engine = db.make_engine(db_url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                select(models.Article.canonical_url).order_by(models.Article.id)
            ).scalars()
            order = [url_key(url) for url in stored]
    finally:
        engine.dispose()
    assert order == [url_key(site.article_url(n)) for n in range(site.count)]
