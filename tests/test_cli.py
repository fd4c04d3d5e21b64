"""The command line as users run it: help, exit codes, extract, quotes, stats, scrapy crawl."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from scrapy.settings import Settings

from newsclaims.config.environment import DEFAULT_DATABASE_URL, database_url
from newsclaims.storage import database as db

from .conftest import FAST_CRAWL, FIXTURE_SOURCES, ROOT, run_cli

SITE = ROOT / "fixtures" / "site"
EXPECTED = json.loads((SITE / "expected.json").read_text())
STORED_KINDS = {"seed_article", "on_topic_article", "brief_article", "syndicated_copy"}
SEED_000 = (
    SITE
    / "www.ibtimes.test/world/2014/12/03/john-kerry-says-air-strikes-having-significant-impact-isis.html"
)
SPORT = (
    SITE
    / "www.sportsdaily.test/football/2014/12/03/riverside-united-3-northgate-athletic-1-match-report.html"
)


def test_help_lists_every_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("crawl", "db", "extract", "quotes", "export", "stats", "demo"):
        assert command in result.stdout


def test_unknown_command_is_a_usage_error():
    assert run_cli("fly").returncode == 2


def test_database_url_precedence(monkeypatch):
    monkeypatch.delenv("NEWSCLAIMS_DATABASE_URL", raising=False)
    assert database_url() == DEFAULT_DATABASE_URL == "sqlite:///newsclaims.db"
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", "sqlite:///from-env.db")
    assert database_url() == "sqlite:///from-env.db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_polite_and_safe_scrapy_defaults():
    settings = Settings()
    settings.setmodule("newsclaims.settings")
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    assert settings.get("USER_AGENT").startswith("newsclaims/")
    assert 0 < settings.getint("DOWNLOAD_MAXSIZE") <= 16 * 1024 * 1024
    assert settings.getint("DOWNLOAD_TIMEOUT") <= 60 and settings.getint("RETRY_TIMES") >= 1


def test_extract_prints_what_the_crawl_stores():
    result = run_cli(
        "extract", str(SEED_000), str(SPORT), "--url", "http://www.ibtimes.test/x.html"
    )
    assert result.returncode == 0, result.stderr
    seed, sport = (json.loads(line) for line in result.stdout.splitlines())
    assert seed["title"].startswith("John Kerry Says Air Strikes")
    assert seed["on_topic"] is True and sport["on_topic"] is False
    assert seed["published"].startswith("2014-12-03") and seed["language"] == "en"
    assert seed["text"] == "\n\n".join(seed["paragraphs"])
    assert "Tags" not in seed["paragraphs"]
    assert {"source", "url", "author", "topic_score"} <= set(seed)


def test_extract_reports_unreadable_input_with_exit_1(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("")
    result = run_cli("extract", str(empty), str(tmp_path / "missing.html"))
    assert result.returncode == 1
    assert "missing.html" in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["error"] == "empty document"


def test_quotes_from_html_and_text(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text('Headline\n"We will win," coach Ana Ruiz said.\n', encoding="utf-8")
    result = run_cli("quotes", str(SEED_000), str(story))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    fields = {
        "source",
        "quote",
        "kind",
        "speaker",
        "speaker_mention",
        "role",
        "cue",
        "paragraph",
        "start",
        "end",
        "inferred",
    }
    assert all(fields <= set(row) for row in rows)
    assert {"John Kerry", "Massoud Jazayeri", "Bashar al-Assad"} <= {r["speaker"] for r in rows}
    ruiz = [r for r in rows if r["source"] == str(story)]
    assert [(r["quote"], r["speaker"], r["cue"]) for r in ruiz] == [
        ("We will win,", "Ana Ruiz", "said")
    ]
    table = run_cli("quotes", str(story), "--format", "table")
    assert table.stdout.splitlines()[0].split() == [
        "file",
        "kind",
        "speaker",
        "cue",
        "para",
        "quote",
    ]


def test_stats_and_db_upgrade(db_url):
    upgrade = run_cli("db", "upgrade", "--db", db_url)
    assert upgrade.returncode == 0, upgrade.stderr
    assert run_cli("db", "current", "--db", db_url).stdout.strip() == db.head_revision()
    stats = run_cli("stats", "--db", db_url)
    assert stats.returncode == 0
    assert "articles" in stats.stdout and "quotes" in stats.stdout


def test_unreachable_database_exits_3(tmp_path):
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    result = run_cli("crawl", "--sources", str(FIXTURE_SOURCES), "--db", url)
    assert result.returncode == 3
    assert "cannot reach the database" in result.stderr


def test_scrapy_crawl_news_works_for_scrapy_users(fixture_site, tmp_path):
    """`scrapy crawl news` with the project's scrapy.cfg: same spider, same pipelines."""
    url = f"sqlite:///{tmp_path}/scrapy.db"
    settings = [arg for pair in zip(FAST_CRAWL[::2], FAST_CRAWL[1::2], strict=True) for arg in pair]
    completed = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={FIXTURE_SOURCES}",
         "-s", f"NEWSCLAIMS_DATABASE_URL={url}", "-s", f"NEWSCLAIMS_SPOOL_DIR={tmp_path}/spool",
         "-s", "LOG_LEVEL=INFO", *settings],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "http_proxy": fixture_site.proxy_url},
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    stored = len([e for e in EXPECTED if e["kind"] in STORED_KINDS])
    assert f"'newsclaims/stored': {stored}" in completed.stderr
    assert run_cli("stats", "--db", url).stdout.split("articles")[1].split()[0] == str(stored)


@pytest.mark.parametrize("flag", ["--since", "--until"])
def test_export_rejects_bad_times(flag, tmp_path):
    result = run_cli("export", "claims", flag, "2014-13-45", "--db", f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 2 and flag in result.stderr


# -- saved pages: decoding, binaries, declared URL, verdicts (issue 9) ----------------------
KOBANI = (
    SITE / "www.voanews.test/a/coalition-air-strikes-pound-islamic-state-near-kobani/2477845.html"
)
PDF = SITE / "www.voanews.test/documents/2015/09/30/kerry-remarks-counter-isil-summit.pdf"
SPUTNIK = SITE / "sputniknews.test/middleeast/20141203/1015495513.html"


def test_saved_windows_1252_page_is_decoded_by_its_declared_charset():
    assert b"\x93" in KOBANI.read_bytes()
    extracted = run_cli("extract", str(KOBANI))
    assert extracted.returncode == 0, extracted.stderr
    text = json.loads(extracted.stdout)["text"]
    assert "\ufffd" not in text and "“" in text and "communiqué" in text
    quotes = run_cli("quotes", str(KOBANI))
    assert quotes.returncode == 0, quotes.stderr
    rows = [json.loads(line) for line in quotes.stdout.splitlines()]
    assert rows and not [r for r in rows if "\ufffd" in r["quote"]]


def test_saved_page_with_a_byte_order_mark_is_decoded(tmp_path):
    page = tmp_path / "utf16.html"
    page.write_bytes(SEED_000.read_bytes().decode("utf-8").encode("utf-16"))  # BOM first
    result = run_cli("extract", str(page))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"].startswith("John Kerry Says Air Strikes")


def test_saved_page_with_an_xml_declaration_extracts(tmp_path):
    page = tmp_path / "xhtml.html"
    page.write_bytes(b'<?xml version="1.0" encoding="utf-8"?>\n' + SEED_000.read_bytes())
    result = run_cli("extract", str(page))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["paragraphs"]


def test_a_saved_page_is_not_dated_after_its_file_was_saved(tmp_path):
    page = tmp_path / "saved.html"
    page.write_bytes(SEED_000.read_bytes())  # declares 2014-12-03T14:12:00-05:00

    def published_when_saved(saved: datetime) -> str:
        os.utime(page, (saved.timestamp(), saved.timestamp()))
        result = run_cli("extract", str(page))
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["published"] or ""

    # Saved two days before the date it declares: not that date, nor any later.
    assert published_when_saved(datetime(2014, 12, 1, tzinfo=UTC))[:10] <= "2014-12-01"
    # A time reset to an epoch (zip, reproducible builds) tells nothing: the date stays.
    assert published_when_saved(datetime(1980, 1, 1, tzinfo=UTC)) == "2014-12-03T19:12:00+00:00"


def test_pdf_and_images_are_refused_as_not_html(tmp_path):
    image = tmp_path / "photo.jpg"
    image.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200))
    result = run_cli("extract", str(PDF), str(image))
    assert result.returncode == 1
    errors = [json.loads(line)["error"] for line in result.stdout.splitlines()]
    assert errors == ["a PDF document, not HTML", "a JPEG image, not HTML"]
    quotes = run_cli("quotes", str(PDF))
    assert quotes.returncode == 1 and "not HTML" in quotes.stderr


def test_saved_page_url_is_its_declared_canonical_without_url_flag():
    result = run_cli("extract", str(SPUTNIK))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["url"] == (
        "http://www.sputniknews.test/middleeast/20141203/1015495513.html"
    )


def test_extract_explains_its_verdicts():
    result = run_cli("extract", str(SEED_000), str(SPORT))
    seed, sport = (json.loads(line) for line in result.stdout.splitlines())
    assert seed["topic_terms"]["air strikes"] >= 1
    assert "air strikes×" in seed["topic_verdict"]
    assert "og:type article" in seed["article_evidence"]
    assert sport["on_topic"] is False and "no strike" in sport["topic_verdict"]


def test_the_cli_starts_without_loading_crawler_database_or_extractor():
    """`newsclaims --help` must not pay for Scrapy, SQLAlchemy or trafilatura (1.7 s once)."""
    code = (
        "import sys, newsclaims.cli.main; "
        "print(sorted(m for m in ('scrapy', 'sqlalchemy', 'trafilatura', 'lxml') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
