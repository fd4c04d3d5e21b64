"""The ``newsclaims`` command line: crawl, database, extraction, quotes, export, stats.

Exit codes: 0 success, 1 the job failed, 2 bad usage or configuration, 3 database unreachable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DATABASE = 0, 1, 2, 3


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $NEWSCLAIMS_DATABASE_URL, else sqlite:///newsclaims.db)",
    )


def _add_sources(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        metavar="FILE",
        help="sources file, TOML (default: $NEWSCLAIMS_SOURCES, else ./sources.toml)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsclaims",
        description="Turn news coverage into a queryable record of who said what.",
        epilog="Exit codes: 0 ok, 1 failed, 2 bad usage/configuration, 3 database unreachable.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = commands.add_parser("crawl", help="crawl the configured sources into the database")
    _add_sources(crawl)
    _add_db(crawl)
    crawl.add_argument("--proxy", metavar="URL", help="send every request through this HTTP proxy")
    crawl.add_argument(
        "--depth", type=int, help="link-following depth (overrides the sources file)"
    )
    crawl.add_argument(
        "-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="a Scrapy setting"
    )
    crawl.add_argument("--log-level", default="WARNING", help="Scrapy log level (default WARNING)")

    demo = commands.add_parser(
        "demo", help="serve the bundled fixture site on loopback and crawl it"
    )
    _add_db(demo)

    serve = commands.add_parser("serve-fixtures", help="serve the fixture site as a loopback proxy")
    serve.add_argument("--port", type=int, default=8765)

    database = commands.add_parser("db", help="database schema")
    db_commands = database.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    _add_db(db_commands.add_parser("upgrade", help="apply pending migrations"))
    _add_db(db_commands.add_parser("current", help="print the schema revision"))

    extract = commands.add_parser(
        "extract", help="extract articles from saved HTML files (JSON lines)"
    )
    extract.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    extract.add_argument("--url", help="the URL the page was served at (default: file://PATH)")
    _add_sources(extract)

    quotes = commands.add_parser("quotes", help="find quoted statements in .html or .txt files")
    quotes.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    quotes.add_argument("--format", choices=("jsonl", "table"), default="jsonl")

    export = commands.add_parser("export", help="CSV export (RFC 4180, UTF-8, times in UTC)")
    export.add_argument(
        "dataset", choices=("articles", "paragraphs", "quotes", "claims", "speakers")
    )
    export.add_argument("--since", metavar="TIME", help="published at or after (ISO 8601)")
    export.add_argument("--until", metavar="TIME", help="published before (ISO 8601)")
    export.add_argument("--source", metavar="NAME", help="only this outlet (source name)")
    export.add_argument("--speaker", metavar="NAME", help="only this speaker (canonical name)")
    export.add_argument(
        "--topic", metavar="NAME", help="only articles kept under this topic profile"
    )
    export.add_argument("-o", "--output", default="-", metavar="FILE", help="file, or - for stdout")
    export.add_argument("--excel", action="store_true", help="start with a UTF-8 BOM for Excel")
    _add_db(export)

    stats = commands.add_parser("stats", help="row counts and the latest crawl runs")
    _add_db(stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "crawl": cmd_crawl,
        "demo": cmd_demo,
        "serve-fixtures": cmd_serve_fixtures,
        "db": cmd_db,
        "extract": cmd_extract,
        "quotes": cmd_quotes,
        "stats": cmd_stats,
        "export": cmd_export,
    }
    try:
        return handlers[args.command](args)
    except CliError as exc:
        print(f"newsclaims: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130


# -- helpers ----------------------------------------------------------------------------
def _load_sources(flag: str | None) -> Any:
    from newsclaims.config.environment import sources_path
    from newsclaims.config.sources import SourcesError, load_sources

    path = sources_path(flag)
    try:
        return path, load_sources(path)
    except SourcesError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


def _upgrade(url: str) -> None:
    from sqlalchemy.exc import OperationalError

    from newsclaims.storage import database as db

    try:
        db.upgrade(url)
    except OperationalError as exc:
        raise CliError(
            f"cannot reach the database {_safe(url)}: {exc.orig}", EXIT_DATABASE
        ) from None


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# -- commands ---------------------------------------------------------------------------
def cmd_crawl(args: argparse.Namespace) -> int:
    from newsclaims.config.environment import database_url

    path, _ = _load_sources(args.sources)  # validates the file before anything starts
    url = database_url(args.db)
    _upgrade(url)
    overrides = dict(_parse_setting(s) for s in args.set)
    if args.depth is not None:
        overrides["DEPTH_LIMIT"] = args.depth
    summary = run_crawl(path, url, proxy=args.proxy, log_level=args.log_level, overrides=overrides)
    print(format_summary(summary))
    if summary["pending_in_spool"]:
        print(
            f"newsclaims: {summary['pending_in_spool']} items wait in the spool for the database; "
            "the next crawl writes them",
            file=sys.stderr,
        )
    ok = summary["finish_reason"] == "finished" and not summary["pending_in_spool"]
    return EXIT_OK if ok else EXIT_FAILED


def _parse_setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep:
        raise CliError(f"--set expects NAME=VALUE, got {text!r}", EXIT_USAGE)
    return name, value


def run_crawl(
    sources: Path,
    url: str,
    *,
    proxy: str | None = None,
    log_level: str = "WARNING",
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run the news spider to completion in this process and return its summary."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from newsclaims.spiders.news import NewsSpider
    from newsclaims.storage.spool import Spool

    if proxy:
        os.environ["http_proxy"] = proxy  # read by Scrapy's HttpProxyMiddleware
    settings = Settings()
    settings.setmodule("newsclaims.settings", priority="project")
    settings.setdict(
        {
            "NEWSCLAIMS_DATABASE_URL": url,
            "NEWSCLAIMS_SOURCES": str(sources),
            "NEWSCLAIMS_AUTO_MIGRATE": False,
            "NEWSCLAIMS_PROGRESS_TO_STDERR": True,
            "LOG_LEVEL": log_level,
            **(overrides or {}),
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, sources=str(sources))
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    pending = len(Spool(settings.get("NEWSCLAIMS_SPOOL_DIR")))
    return {
        "pending_in_spool": pending,
        "fetched": int(stats.get("newsclaims/fetched", 0)),
        "stored": int(stats.get("newsclaims/stored", 0)),
        "updated": int(stats.get("newsclaims/updated", 0)),
        "unchanged": int(stats.get("newsclaims/unchanged", 0)),
        "off_topic": int(stats.get("newsclaims/off_topic", 0)),
        "not_article": int(stats.get("newsclaims/not_article", 0)),
        "duplicates": int(stats.get("newsclaims/duplicates", 0)),
        "errors": int(stats.get("newsclaims/errors", 0)),
        "quotes": int(stats.get("newsclaims/quotes_stored", 0)),
        "robots_disallowed": int(stats.get("robotstxt/forbidden", 0)),
        "spooled": int(stats.get("newsclaims/spooled", 0)),
        "requests": int(stats.get("downloader/request_count", 0)),
        "finish_reason": stats.get("finish_reason", "unknown"),
    }


def format_summary(summary: dict[str, Any]) -> str:
    rows = [
        ("fetched pages", summary["fetched"]),
        ("stored articles", summary["stored"]),
        ("updated articles", summary["updated"]),
        ("unchanged articles", summary["unchanged"]),
        ("skipped off-topic", summary["off_topic"]),
        ("skipped not articles", summary["not_article"]),
        ("duplicates", summary["duplicates"]),
        ("errors", summary["errors"]),
        ("quotes stored", summary["quotes"]),
        ("blocked by robots.txt", summary["robots_disallowed"]),
    ]
    if summary["spooled"] or summary["pending_in_spool"]:
        rows.append(("spooled (database down)", summary["spooled"]))
        rows.append(("still waiting in spool", summary["pending_in_spool"]))
    width = max(len(label) for label, _ in rows)
    lines = [f"crawl {summary['finish_reason']}"] + [
        f"  {label:<{width}}  {value}" for label, value in rows
    ]
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    from newsclaims.config.environment import database_url
    from newsclaims.fixtureweb.server import DEFAULT_ROOT, start_fixture_server

    url = database_url(args.db)
    _upgrade(url)
    server = start_fixture_server(DEFAULT_ROOT)
    print(f"serving the fixture site on {server.proxy_url} (loopback proxy)", file=sys.stderr)
    try:
        summary = run_crawl(
            DEFAULT_ROOT.parent / "sources.toml",
            url,
            proxy=server.proxy_url,
            overrides={
                "AUTOTHROTTLE_START_DELAY": 0.1,
                "DOWNLOAD_DELAY": 0.1,
                "NEWSCLAIMS_PROGRESS_INTERVAL": 2,
            },
        )
    finally:
        server.shutdown()
    print(format_summary(summary))
    print(f"database: {_safe(url)}  (try: newsclaims stats)")
    return EXIT_OK if summary["finish_reason"] == "finished" else EXIT_FAILED


def cmd_serve_fixtures(args: argparse.Namespace) -> int:
    from newsclaims.fixtureweb.server import DEFAULT_ROOT, FixtureServer

    server = FixtureServer(DEFAULT_ROOT, args.port)
    print(
        f"fixture site on {server.proxy_url}; crawl with --proxy {server.proxy_url}",
        file=sys.stderr,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return EXIT_OK


def cmd_db(args: argparse.Namespace) -> int:
    from newsclaims.config.environment import database_url
    from newsclaims.storage import database as db

    url = database_url(args.db)
    if args.db_command == "upgrade":
        _upgrade(url)
        print(f"database {_safe(url)} is at revision {db.head_revision()}")
    else:
        print(db.current_revision(db.make_engine(url)) or "empty")
    return EXIT_OK


def extract_file(path: Path, url: str | None, topic: Any, min_words: int) -> dict[str, Any]:
    """The crawl's exact extraction for one saved HTML file, as a JSON-ready dict."""
    from newsclaims.pages.extraction import ExtractionError, extract_article
    from newsclaims.pages.paragraphs import drop_repeated_paragraphs
    from newsclaims.pages.topic import score_topic

    html = path.read_bytes().decode("utf-8", errors="replace")
    page_url = url or path.resolve().as_uri().replace("file://", "http://localhost", 1)
    try:
        article = extract_article(html, page_url, "local", min_words=min_words)
    except ExtractionError as exc:
        return {"source": str(path), "url": page_url, "error": str(exc)}
    article.paragraphs, _ = drop_repeated_paragraphs(article.paragraphs)
    verdict = score_topic(article.title, article.text, topic)
    return {
        "source": str(path),
        "url": str(article.canonical_url),
        "title": article.title,
        "author": article.byline,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "paragraphs": [p.text for p in article.paragraphs],
        "text": article.text,
        "topic_score": verdict.score,
        "on_topic": verdict.on_topic,
    }


def _existing_files(paths: list[Path]) -> tuple[list[Path], bool]:
    """The paths that are files; each missing one is reported. Returns (files, any_missing)."""
    missing = [path for path in paths if not path.is_file()]
    for path in missing:
        print(f"newsclaims: error: {path}: no such file", file=sys.stderr)
    return [path for path in paths if path.is_file()], bool(missing)


def cmd_extract(args: argparse.Namespace) -> int:
    from newsclaims.config.sources import SourcesFile

    config = SourcesFile.model_construct()  # field defaults: the default topic and crawl options
    if args.sources or Path("sources.toml").exists():
        _, config = _load_sources(args.sources)
    files, failed = _existing_files(args.paths)
    for path in files:
        record = extract_file(path, args.url, config.topic, config.crawl.min_words)
        failed = failed or "error" in record
        print(json.dumps(record, ensure_ascii=False))
    return EXIT_FAILED if failed else EXIT_OK


def cmd_quotes(args: argparse.Namespace) -> int:
    from newsclaims.config.sources import DEFAULT_TOPIC
    from newsclaims.quotes import extract_quotes, read_text_document

    rows = []
    files, failed = _existing_files(args.paths)
    for path in files:
        if path.suffix.lower() in {".html", ".htm"}:
            # Any length of page: a short item can still quote someone.
            record = extract_file(path, None, DEFAULT_TOPIC, min_words=0)
            if "error" in record:
                print(f"newsclaims: error: {path}: {record['error']}", file=sys.stderr)
                failed = True
                continue
            headline, paragraphs = record["title"], record["paragraphs"]
        else:
            headline, paragraphs = read_text_document(path.read_text(encoding="utf-8"))
        for quote in extract_quotes(paragraphs, headline):
            rows.append({"source": str(path), **quote.model_dump()})
    if args.format == "jsonl":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    else:
        _print_table(rows)
    return EXIT_FAILED if failed else EXIT_OK


def _print_table(rows: list[dict[str, Any]]) -> None:
    columns = ("kind", "speaker", "cue", "paragraph", "quote")
    print("\t".join(columns))
    for row in rows:
        quote = row["quote"] if len(row["quote"]) <= 80 else row["quote"][:77] + "..."
        print("\t".join(str(row[c]) if c != "quote" else quote for c in columns))


def cmd_export(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from newsclaims.config.environment import database_url
    from newsclaims.export.datasets import (
        ExportError,
        Filters,
        TerminalProgress,
        parse_time,
        write_csv,
    )
    from newsclaims.storage import database as db

    try:
        filters = Filters(
            since=parse_time(args.since, "--since") if args.since else None,
            until=parse_time(args.until, "--until") if args.until else None,
            source=args.source,
            speaker=args.speaker,
            topic=args.topic,
        )
    except ExportError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    url = database_url(args.db)
    engine = db.make_engine(url)
    progress = TerminalProgress(f"export {args.dataset}")
    target = Path(args.output)
    try:
        if args.output == "-":
            sys.stdout.reconfigure(newline="")  # type: ignore[union-attr]
            count = write_csv(
                engine, args.dataset, filters, sys.stdout, excel=args.excel, progress=progress
            )
        else:
            partial = target.with_name(target.name + ".partial")
            with partial.open("w", encoding="utf-8", newline="") as out:
                count = write_csv(
                    engine, args.dataset, filters, out, excel=args.excel, progress=progress
                )
            partial.replace(target)
    except (OperationalError, ProgrammingError) as exc:
        raise CliError(
            f"cannot read {_safe(url)}: {exc.orig} (run `newsclaims db upgrade`?)", EXIT_DATABASE
        ) from None
    finally:
        engine.dispose()
    progress.done(count)
    if args.output != "-":
        print(f"wrote {count} {args.dataset} rows to {target}", file=sys.stderr)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError

    from newsclaims import models
    from newsclaims.config.environment import database_url
    from newsclaims.storage import database as db
    from newsclaims.storage.articles import ArticleStore

    url = database_url(args.db)
    try:
        store = ArticleStore(db.make_engine(url))
        counts = store.counts()
    except OperationalError as exc:
        raise CliError(
            f"cannot read {_safe(url)}: {exc.orig} (run `newsclaims db upgrade`?)", EXIT_DATABASE
        ) from None
    for name, value in counts.items():
        print(f"{name:<14}{value}")
    with store.sessions() as session:
        runs = session.execute(
            select(models.CrawlRun).order_by(models.CrawlRun.id.desc()).limit(5)
        ).scalars()
        for run in runs:
            print(
                f"run {run.id}: {run.status} started {run.started_at:%Y-%m-%d %H:%M:%S} "
                f"fetched {run.fetched} stored {run.stored} off-topic {run.off_topic} errors {run.errors}"
            )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
