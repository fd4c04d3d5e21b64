"""Every expected failure of the CLI: one line naming what is wrong and what to do, the
documented exit code (2 usage/configuration, 3 database unreachable, 1 run failed), no
traceback unless --debug (issue 10). Reading commands create and change nothing; export
writes whole files or nothing and ends quietly on a closed pipe."""

from __future__ import annotations

import hashlib
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from newsclaims.cli.main import build_parser
from newsclaims.storage import database as db
from newsclaims.storage.articles import ArticleStore
from newsclaims.storage.errors import DatabaseMisconfigured, DatabaseUnavailable
from newsclaims.storage.writer import write_article

from .conftest import FIXTURE_SOURCES, POSTGRES_URL, ROOT, CrawlResult, news_article, run_cli

CLI = [sys.executable, "-m", "newsclaims.cli.main"]
SEED_PAGE = (
    ROOT
    / "fixtures/site/www.ibtimes.test/world/2014/12/03"
    / "john-kerry-says-air-strikes-having-significant-impact-isis.html"
)


def one_line_error(result: CrawlResult, code: int, *needles: str) -> str:
    """The result ended with ``code`` and printed exactly one error line holding each
    needle, and no traceback."""
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, result.stderr[-2000:]
    assert result.returncode == code, result.stderr[-2000:]
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def sqlite_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated SQLite database with one article and its quote (source ``voa``)."""
    path = tmp_path / "news.db"
    shutil.copy(request.getfixturevalue("_templates")["sqlite"], path)
    url = f"sqlite:///{path}"
    engine = db.make_engine(url)
    write_article(
        ArticleStore(engine),
        news_article("kerry", "voa", ['"The strikes are working," John Kerry said.']),
    )
    engine.dispose()
    return url


# -- 1. one error path -------------------------------------------------------------------
COMMANDS = {
    "stats": ["stats"],
    "export": ["export", "quotes"],
    "crawl": ["crawl", "--sources", str(FIXTURE_SOURCES)],
    "db upgrade": ["db", "upgrade"],
    "db current": ["db", "current"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("url", "needle"), [("foo://bar", "unknown driver 'foo'"), ("notaurl", "is not a URL")]
)
def test_bad_database_url_is_one_line_and_exit_2(command, url, needle):
    result = run_cli(*COMMANDS[command], "--db", url)
    one_line_error(result, 2, needle, "sqlite:///FILE or postgresql://")


def test_debug_shows_the_traceback_behind_the_line():
    for args in (["--debug", "stats", "--db", "notaurl"], ["stats", "--db", "notaurl", "--debug"]):
        result = run_cli(*args)
        assert result.returncode == 2
        assert "Traceback" in result.stderr
        assert result.stderr.rstrip().splitlines()[-1].startswith("newsclaims: error: database URL")


def test_export_to_a_missing_directory_is_exit_2(sqlite_url):
    result = run_cli("export", "quotes", "-o", "/nonexistent/dir/x.csv", "--db", sqlite_url)
    one_line_error(result, 2, "/nonexistent/dir", "does not exist")


@pytest.mark.parametrize(
    "command", [["crawl", "--db", "sqlite:///unused.db"], ["extract", str(FIXTURE_SOURCES)]]
)
def test_a_directory_as_sources_file_is_exit_2(command, tmp_path):
    result = run_cli(*command, "--sources", str(tmp_path))
    one_line_error(result, 2, str(tmp_path), "is a directory")


def test_unknown_log_level_is_exit_2(tmp_path):
    result = run_cli("crawl", "--log-level", "LOUD", "--sources", str(FIXTURE_SOURCES))
    one_line_error(result, 2, "--log-level", "'LOUD'", "WARNING")


def test_port_in_use_is_exit_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve-fixtures", "--port", str(port))
    one_line_error(result, 2, f"127.0.0.1:{port}", "in use", "--port")


def test_undecodable_text_is_one_line_and_the_other_files_still_run(tmp_path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes('"Nous gagnerons," a dit Andr\xe9 Ruiz.\n'.encode("latin-1"))
    good = tmp_path / "good.txt"
    good.write_text('"We will win," coach Ana Ruiz said.\n', encoding="utf-8")
    result = run_cli("quotes", str(latin1), str(good))
    one_line_error(result, 1, "latin1.txt", "not UTF-8", "iconv")
    assert "We will win," in result.stdout


def test_db_current_with_the_server_down_is_exit_3():
    url = f"postgresql://nobody@127.0.0.1:{free_port()}/none"
    one_line_error(run_cli("db", "current", "--db", url), 3, "server not reachable", "running")


@pytest.mark.parametrize(
    "args",
    [
        ["export", "quotes", "--since", ""],
        ["export", "quotes", "--until", " "],
        ["export", "quotes", "--source", ""],
        ["export", "quotes", "--speaker", ""],
        ["export", "quotes", "--topic", ""],
        ["export", "quotes", "-o", ""],
        ["stats", "--db", ""],
        ["crawl", "--sources", ""],
    ],
    ids=lambda args: " ".join(args[:1] + args[-2:-1]),
)
def test_an_empty_option_value_is_an_error(args):
    one_line_error(run_cli(*args), 2, args[-2], "empty value")


def test_negative_depth_is_refused_and_zero_means_start_pages_only():
    one_line_error(run_cli("crawl", "--depth", "-1"), 2, "--depth", "0 or more")
    assert build_parser().parse_args(["crawl", "--depth", "0"]).depth == 0


# -- 2. distinct database messages ---------------------------------------------------------
@pytest.fixture
def empty_postgres(postgres_admin) -> Iterator[str]:
    name = f"nc_empty_{os.getpid()}"
    with postgres_admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    with postgres_admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.mark.postgres
def test_refused_missing_database_and_unmigrated_schema_say_different_things(empty_postgres):
    base = POSTGRES_URL.rsplit("/", 1)[0]
    refused = one_line_error(
        run_cli("stats", "--db", f"postgresql://nobody@127.0.0.1:{free_port()}/x"),
        3,
        "server not reachable",
    )
    missing = one_line_error(
        run_cli("stats", "--db", f"{base}/nc_no_such_database"),
        2,
        "database does not exist",
        "nc_no_such_database",
    )
    unmigrated = one_line_error(
        run_cli("stats", "--db", empty_postgres), 2, "schema not migrated", "db upgrade"
    )
    assert "db upgrade" not in refused and "db upgrade" not in missing
    assert len({refused, missing, unmigrated}) == 3


def test_unmigrated_sqlite_file_says_run_db_upgrade(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    for args in (["stats"], ["export", "quotes"]):
        result = run_cli(*args, "--db", f"sqlite:///{path}")
        one_line_error(result, 2, "schema not migrated", "newsclaims db upgrade")
        assert result.stdout == ""
    assert path.stat().st_size == 0


@pytest.mark.parametrize(
    "args", [["stats"], ["export", "claims"], ["crawl", "--sources", str(FIXTURE_SOURCES)]]
)
def test_a_junk_sqlite_file_is_one_clear_line(args, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("this is a text file, not a database\n" * 200)
    before = junk.read_bytes()
    result = run_cli(*args, "--db", f"sqlite:///{junk}")
    one_line_error(result, 2, str(junk), "not an SQLite database")
    assert junk.read_bytes() == before


def _read_only_env() -> list[str]:
    """Run a child that file permissions bind: as root, without the capabilities that
    override them (setpriv), else as it is."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot make a file read-only")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def test_a_read_only_sqlite_database_can_be_read(sqlite_url, tmp_path):
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    folder = path.parent
    path.chmod(0o444)
    folder.chmod(0o555)  # not even a -shm file can be created next to it
    try:
        prefix = _read_only_env()

        def cli(*args: str) -> CrawlResult:
            done = subprocess.run(
                [*prefix, *CLI, *args], capture_output=True, text=True, timeout=120, cwd=ROOT
            )
            return CrawlResult(done.returncode, done.stdout, done.stderr)

        stats = cli("stats", "--db", sqlite_url)
        assert stats.returncode == 0, stats.stderr
        assert "quotes        1" in stats.stdout
        export = cli("export", "quotes", "--source", "voa", "--db", sqlite_url)
        assert export.returncode == 0, export.stderr
        assert "The strikes are working," in export.stdout
        crawl = cli("crawl", "--sources", str(FIXTURE_SOURCES), "--db", sqlite_url)
        one_line_error(crawl, 2, "read-only", "write access")
        assert sorted(p.name for p in folder.iterdir()) == ["news.db"]
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


class SilentServer:
    """A TCP server that accepts connections and never answers: a hung database."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        self.socket.close()
        for connection in self.held:
            connection.close()


@pytest.mark.parametrize("args", [["stats"], ["crawl", "--sources", str(FIXTURE_SOURCES)]])
def test_a_hung_server_is_an_outage_after_the_connect_timeout(args):
    server = SilentServer()
    try:
        result = run_cli(
            *args,
            "--db",
            f"postgresql://nobody@127.0.0.1:{server.port}/db",
            env={"NEWSCLAIMS_DB_CONNECT_TIMEOUT": "2"},
            timeout=90,  # without a connect timeout this hangs for minutes
        )
    finally:
        server.close()
    one_line_error(result, 3, "server not answering", "NEWSCLAIMS_DB_CONNECT_TIMEOUT")
    assert server.held  # it did connect, and waited


@pytest.mark.postgres
def test_a_statement_past_the_statement_timeout_is_an_outage(postgres_admin):
    engine = db.make_engine(POSTGRES_URL, statement_timeout=1)
    try:
        with (
            pytest.raises(DatabaseUnavailable, match="did not finish a statement in time"),
            db.database_errors(POSTGRES_URL),
            engine.connect() as connection,
        ):
            connection.execute(text("SELECT pg_sleep(5)"))
    finally:
        engine.dispose()


def test_a_bad_timeout_setting_is_a_configuration_error(monkeypatch):
    monkeypatch.setenv("NEWSCLAIMS_DB_CONNECT_TIMEOUT", "soon")
    with pytest.raises(DatabaseMisconfigured, match="NEWSCLAIMS_DB_CONNECT_TIMEOUT='soon'"):
        db.make_engine("postgresql://nobody@127.0.0.1/x")


# -- 3. reading commands never create or change anything -----------------------------------
@pytest.mark.parametrize("args", [["stats"], ["export", "quotes"], ["db", "current"]])
def test_reading_a_missing_sqlite_file_is_an_error_and_creates_nothing(args, tmp_path):
    missing = tmp_path / "missing.db"
    result = run_cli(*args, "--db", f"sqlite:///{missing}")
    one_line_error(result, 2, str(missing), "does not exist", "db upgrade")
    assert not list(tmp_path.iterdir())


def test_reading_commands_leave_the_database_file_as_it_was(sqlite_url):
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    for args in (["stats"], ["export", "quotes"], ["db", "current"]):
        assert run_cli(*args, "--db", sqlite_url).returncode == 0
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


# -- 4. export ---------------------------------------------------------------------------
def test_a_failed_export_leaves_the_target_untouched_and_no_partial_file(tmp_path):
    target = tmp_path / "quotes.csv"
    target.write_text("the previous export\n")
    unmigrated = tmp_path / "empty.db"
    unmigrated.touch()
    result = run_cli("export", "quotes", "-o", str(target), "--db", f"sqlite:///{unmigrated}")
    one_line_error(result, 2, "schema not migrated")
    assert target.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "quotes.csv"]


def test_a_failed_export_to_stdout_writes_not_even_the_header(tmp_path):
    unmigrated = tmp_path / "empty.db"
    unmigrated.touch()
    result = run_cli("export", "quotes", "--db", f"sqlite:///{unmigrated}")
    assert result.returncode == 2 and result.stdout == ""


def test_export_to_a_file_replaces_it_whole(sqlite_url, tmp_path):
    target = tmp_path / "out" / "quotes.csv"
    target.parent.mkdir()
    target.write_text("old\n")
    result = run_cli("export", "quotes", "-o", str(target), "--db", sqlite_url)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("quote_id,")
    assert [p.name for p in target.parent.iterdir()] == ["quotes.csv"]


def test_a_closed_pipe_ends_the_export_quietly_with_exit_0(tmp_path, request):
    path = tmp_path / "many.db"
    shutil.copy(request.getfixturevalue("_templates")["sqlite"], path)
    url = f"sqlite:///{path}"
    engine = db.make_engine(url)
    paragraphs = [f"Paragraph {i} says a fair amount about the air strikes." for i in range(3000)]
    write_article(ArticleStore(engine), news_article("long", "voa", paragraphs))
    engine.dispose()
    process = subprocess.Popen(
        [*CLI, "export", "paragraphs", "--db", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"paragraph_id,")
    process.stdout.close()  # what `| head -1` does
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_a_filter_matching_nothing_says_so_and_writes_the_header(sqlite_url):
    result = run_cli("export", "quotes", "--source", "bbc", "--db", sqlite_url)
    assert result.returncode == 0
    assert result.stdout.startswith("quote_id,") and len(result.stdout.splitlines()) == 1
    assert "no quotes match --source 'bbc'" in result.stderr


def test_source_matches_in_any_case_like_speaker(sqlite_url):
    for flag, value in (("--source", "VOA"), ("--speaker", "JOHN KERRY")):
        result = run_cli("export", "quotes", flag, value, "--db", sqlite_url)
        assert result.returncode == 0, result.stderr
        assert "The strikes are working," in result.stdout
        assert "match" not in result.stderr


# -- 5. scrapy crawl news without a sources file -------------------------------------------
def test_scrapy_crawl_news_without_a_sources_file_is_one_line(tmp_path):
    (tmp_path / "scrapy.cfg").write_text("[settings]\ndefault = newsclaims.settings\n")
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-s", "LOG_LEVEL=WARNING"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "NEWSCLAIMS_SOURCES"},
    )
    result = CrawlResult(done.returncode, done.stdout, done.stderr)
    one_line_error(result, 2, "sources.toml", "sources file not found", "-a sources=FILE")
    assert not (tmp_path / "newsclaims.db").exists()


# -- 6. help -----------------------------------------------------------------------------
def _subparsers(parser):
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            yield from action.choices.items()


def test_version_is_printed():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("newsclaims 0.")


def test_every_command_has_a_description_an_example_and_help_for_each_argument(capsys):
    parser = build_parser()
    commands = dict(_subparsers(parser))
    assert set(commands) >= {"crawl", "demo", "serve-fixtures", "db", "stats", "extract"}
    for name, sub in [*commands.items(), *_subparsers(commands["db"])]:
        assert sub.description, name
        assert "example" in (sub.epilog or ""), name
        for action in sub._actions:
            if action.__class__.__name__ != "_SubParsersAction":
                assert action.help, f"{name} {action.dest}"
    pages = {}
    for name in ("serve-fixtures", "quotes", "crawl", "export"):
        with pytest.raises(SystemExit):
            parser.parse_args([name, "--help"])
        pages[name] = " ".join(capsys.readouterr().out.split())
    assert "(default: 8765)" in pages["serve-fixtures"]
    assert "(default: jsonl)" in pages["quotes"]
    assert "PATH .html/.htm pages or UTF-8 text files" in pages["quotes"]
    assert "(default: WARNING)" in pages["crawl"]
    assert "(default: -)" in pages["export"]


# -- 7. quotes: headline, stdin, table, streaming ------------------------------------------
HEADLINE = "Kerry says air strikes working"
BODY = '"We will win," coach Ana Ruiz said.'


def _quote_rows(result: CrawlResult) -> list[dict]:
    import json

    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_headline_is_detected_or_forced_or_refused(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(f'"Air strikes work," Kerry says\n{BODY}\n', encoding="utf-8")
    auto = _quote_rows(run_cli("quotes", str(story)))
    assert [r["paragraph"] for r in auto] == [-1, 0]  # short, no final full stop: a headline
    none = _quote_rows(run_cli("quotes", "--no-headline", str(story)))
    assert [r["paragraph"] for r in none] == [0, 1]
    sentence_first = tmp_path / "body.txt"
    sentence_first.write_text(f"{BODY}\n{BODY}\n", encoding="utf-8")
    assert [r["paragraph"] for r in _quote_rows(run_cli("quotes", str(sentence_first)))] == [0, 1]
    forced = _quote_rows(run_cli("quotes", "--headline", str(sentence_first)))
    assert [r["paragraph"] for r in forced] == [-1, 0]


def test_quotes_reads_stdin_as_text_or_html():
    text = subprocess.run(
        [*CLI, "quotes", "-"], input=f"{HEADLINE}\n{BODY}\n", capture_output=True, text=True
    )
    rows = _quote_rows(CrawlResult(text.returncode, text.stdout, text.stderr))
    assert [(r["source"], r["speaker"]) for r in rows] == [("-", "Ana Ruiz")]
    page = f"<!DOCTYPE html><html><head><title>{HEADLINE}</title></head><body><article><p>{BODY}</p></article></body></html>"
    html = subprocess.run([*CLI, "quotes", "-"], input=page, capture_output=True, text=True)
    rows = _quote_rows(CrawlResult(html.returncode, html.stdout, html.stderr))
    assert [r["speaker"] for r in rows] == ["Ana Ruiz"]


def test_quotes_table_shows_the_file_aligned_with_blanks_for_nothing(tmp_path):
    named = tmp_path / "a-longer-file-name.txt"
    named.write_text(f"{HEADLINE}\n{BODY}\n", encoding="utf-8")
    nobody = tmp_path / "b.txt"
    nobody.write_text('He called it "a turning point" in the war.\n', encoding="utf-8")
    result = run_cli("quotes", "--format", "table", str(named), str(nobody))
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["file", "kind", "speaker", "cue", "para", "quote"]
    assert len(rows) == 2 and "None" not in result.stdout
    start = header.index("quote")
    assert rows[0][start:] == "We will win,"
    assert rows[1][start:] == "a turning point"
    assert rows[0].startswith(str(named)) and rows[1].startswith(str(nobody))
    kind = header.index("kind")
    assert all(row[kind - 2 : kind] == "  " and row[kind] != " " for row in rows)


@pytest.mark.parametrize("command", ["quotes", "extract"])
def test_output_streams_file_by_file(command, tmp_path):
    """The first file's output arrives while the second (stdin) is still being written,
    and the second's follows once it is."""
    if command == "quotes":
        content = f"{HEADLINE}\n{BODY}\n"
    else:
        content = SEED_PAGE.read_text(encoding="utf-8")
    first = tmp_path / ("first.txt" if command == "quotes" else "first.html")
    first.write_text(content, encoding="utf-8")
    process = subprocess.Popen(
        [*CLI, command, str(first), "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        ready, _, _ = select.select([process.stdout], [], [], 90)
        assert ready, "nothing printed before the input ended: output is held"
        assert str(first).encode() in process.stdout.readline()
        process.stdin.write(content.encode())
    finally:
        process.stdin.close()
        rest = process.stdout.read().decode()
        assert process.wait(timeout=120) == 0, (
            process.stderr.read().decode() if process.stderr else ""
        )
    assert '"source": "-"' in rest


@pytest.mark.parametrize("tool", ["newsclaims", "scrapy"])
def test_a_database_misconfigured_mid_crawl_stops_it_with_exit_2(tool, db_url, tmp_path):
    """The schema goes wrong under a running crawl (a table renamed away): the writes are
    not retried as if it were an outage, the crawl stops with one error line and exit 2,
    and what it had fetched waits in the spool, written once the schema is right again.
    ``scrapy crawl news`` ends the same way (Scrapy alone would exit 0)."""
    from newsclaims.fixtureweb.generated import GeneratedSite
    from newsclaims.fixtureweb.server import DEFAULT_ROOT, start_fixture_server

    from .test_resume import article_urls

    site = GeneratedSite(40, delay=0.3)
    server = start_fixture_server(DEFAULT_ROOT, generated=site)
    sources = tmp_path / "gen.toml"
    sources.write_text(site.sources_toml())
    command = [
        *CLI, "crawl", "--sources", str(sources), "--db", db_url, "--proxy", server.proxy_url,
        "-s", f"NEWSCLAIMS_SPOOL_DIR={tmp_path}/spool", "-s", "NEWSCLAIMS_EXTRACT_WORKERS=1",
        "-s", "CONCURRENT_REQUESTS=1",  # 40 pages one at a time: 12 s or more in all
    ]  # fmt: skip
    first = command
    env = dict(os.environ)
    if tool == "scrapy":
        first = [
            sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}",
            "-s", f"NEWSCLAIMS_DATABASE_URL={db_url}", *command[-6:], "-s", "LOG_LEVEL=WARNING",
        ]  # fmt: skip
        env["http_proxy"] = server.proxy_url
    engine = db.make_engine(db_url)
    crawl = subprocess.Popen(
        first, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not article_urls(db_url):
            assert crawl.poll() is None, crawl.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "the crawl stored nothing"
            time.sleep(0.1)
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE paragraphs RENAME TO paragraphs_away"))
        out, err = crawl.communicate(timeout=120)
    finally:
        if crawl.poll() is None:
            os.killpg(crawl.pid, signal.SIGKILL)
        crawl.wait()
    try:
        result = CrawlResult(crawl.returncode, out, err)
        one_line_error(result, 2, "no newsclaims tables", "db upgrade", db.safe_url(db_url)[-20:])
        assert "stopped the crawl" in err  # the crawl's own log says so too
        if tool == "newsclaims":  # not retried: no backoff waited out
            assert re.search(r"^ *write retries \(database down\) +0$", out, re.MULTILINE), out
        else:
            assert err.rstrip().splitlines()[-1].startswith("scrapy crawl news: error:"), err
        stored = article_urls(db_url)
        assert stored and len(stored) < site.count
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE paragraphs_away RENAME TO paragraphs"))
        again = run_cli(*command[len(CLI) : -2])  # at full speed now
    finally:
        server.shutdown()
        server.server_close()
    assert again.returncode == 0, again.stderr[-2000:]
    assert "replayed" in again.stdout
    assert article_urls(db_url) == {site.article_url(n) for n in range(site.count)}
    with engine.connect() as connection:  # every article once, none without paragraphs
        bare = connection.scalar(
            text("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                 "(SELECT 1 FROM paragraphs p WHERE p.article_id = a.id)")
        )  # fmt: skip
    engine.dispose()
    assert bare == 0
