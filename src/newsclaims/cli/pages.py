"""``newsclaims extract`` and ``newsclaims quotes``: the crawl's own analysis on saved files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsclaims.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_sources,
    existing_files,
    load_sources_file,
)
from newsclaims.config.environment import sources_path
from newsclaims.pages.analyse import Analysis, AnalysisOptions, analyse_page
from newsclaims.pages.extraction import ExtractionError
from newsclaims.quotes import extract_quotes, read_text_document
from newsclaims.records import FetchedPage

LOCAL_SOURCE = "local"


def register(commands: Any) -> None:
    extract = commands.add_parser(
        "extract",
        help="extract articles from saved HTML files (JSON lines)",
        description="Run the crawl's analysis on saved pages and print one JSON line each.",
    )
    extract.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    extract.add_argument("--url", help="the URL the page was served at (default: file://PATH)")
    add_sources(extract)
    extract.set_defaults(handler=cmd_extract)

    quotes = commands.add_parser(
        "quotes",
        help="find quoted statements in .html or .txt files",
        description="Quoted statements and their speakers, as a crawl would store them.",
    )
    quotes.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    quotes.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    quotes.set_defaults(handler=cmd_quotes)


def saved_page(path: Path, url: str | None) -> FetchedPage:
    """A saved HTML file as if the crawl had just fetched it."""
    html = path.read_bytes().decode("utf-8", errors="replace")
    page_url = url or path.resolve().as_uri().replace("file://", "http://localhost", 1)
    return FetchedPage(
        url=page_url, requested_url=page_url, source=LOCAL_SOURCE, status=200, html=html
    )


def analysis_record(path: Path, analysis: Analysis) -> dict[str, Any]:
    article = analysis.article
    return {
        "source": str(path),
        "url": str(article.canonical_url),
        "title": article.title,
        "author": article.byline,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "paragraphs": [p.text for p in article.paragraphs],
        "text": article.text,
        "topic_score": article.topic_score,
        "on_topic": analysis.on_topic,
        "quotes": [quote.model_dump() for quote in article.quotes],
    }


def cmd_extract(args: argparse.Namespace) -> int:
    options = AnalysisOptions()
    if args.sources or sources_path().exists():
        _, config = load_sources_file(args.sources)
        options = AnalysisOptions(topic=config.topic, min_words=config.crawl.min_words)
    files, failed = existing_files(args.paths)
    for path in files:
        page = saved_page(path, args.url)
        try:
            record = analysis_record(path, analyse_page(page, options))
        except ExtractionError as exc:
            record = {"source": str(path), "url": str(page.url), "error": str(exc)}
            failed = True
        print(json.dumps(record, ensure_ascii=False))
    return EXIT_FAILED if failed else EXIT_OK


def cmd_quotes(args: argparse.Namespace) -> int:
    # Any length of page and any topic: a short item can still quote someone.
    options = AnalysisOptions(min_words=0, quotes_off_topic=True)
    rows: list[dict[str, Any]] = []
    files, failed = existing_files(args.paths)
    for path in files:
        if path.suffix.lower() in {".html", ".htm"}:
            try:
                quotes = analyse_page(saved_page(path, None), options).article.quotes
            except ExtractionError as exc:
                print(f"newsclaims: error: {path}: {exc}", file=sys.stderr)
                failed = True
                continue
        else:
            headline, paragraphs = read_text_document(path.read_text(encoding="utf-8"))
            quotes = extract_quotes(paragraphs, headline)
        rows.extend({"source": str(path), **quote.model_dump()} for quote in quotes)
    if args.format == "jsonl":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    else:
        print_table(rows)
    return EXIT_FAILED if failed else EXIT_OK


def print_table(rows: list[dict[str, Any]]) -> None:
    columns = ("kind", "speaker", "cue", "paragraph", "quote")
    print("\t".join(columns))
    for row in rows:
        quote = row["quote"] if len(row["quote"]) <= 80 else row["quote"][:77] + "..."
        print("\t".join(str(row[c]) if c != "quote" else quote for c in columns))
