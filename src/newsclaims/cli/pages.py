"""``newsclaims extract`` and ``newsclaims quotes``: the crawl's own analysis on saved files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsclaims.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_sources,
    existing_files,
    load_sources_file,
)
from newsclaims.config.environment import sources_path
from newsclaims.records import FetchedPage

if TYPE_CHECKING:
    from newsclaims.pages.analyse import Analysis

# trafilatura, lxml and the speaker dictionaries load when these commands run, not when
# the CLI starts (`newsclaims --version` should not pay for them).

LOCAL_SOURCE = "local"


def register(commands: Any) -> None:
    extract = commands.add_parser(
        "extract",
        help="extract articles from saved HTML files (JSON lines)",
        description="Run the crawl's analysis on saved pages and print one JSON line each.",
    )
    extract.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    extract.add_argument(
        "--url",
        help="the URL the page was served at (default: its rel=canonical or og:url, else PATH)",
    )
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
    """A saved HTML file as if the crawl had just fetched it.

    Decoded as a browser would (BOM, then the page's declared charset); its URL is ``url``,
    else the one the page declares for itself, else a local stand-in. Raises NotHTML for a
    PDF or an image.
    """
    from newsclaims.pages.decoding import decode_html
    from newsclaims.pages.extraction import declared_url

    html, encoding = decode_html(path.read_bytes())
    page_url = (
        url
        or declared_url(html)
        or path.resolve().as_uri().replace("file://", "http://localhost", 1)
    )
    return FetchedPage(
        url=page_url,
        requested_url=page_url,
        source=LOCAL_SOURCE,
        status=200,
        html=html,
        encoding=encoding,
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
        "topic_verdict": analysis.topic.explain(),
        "topic_terms": analysis.topic.hits,
        "article_evidence": analysis.signals.article_evidence(),
        "quotes": [quote.model_dump() for quote in article.quotes],
    }


def cmd_extract(args: argparse.Namespace) -> int:
    from newsclaims.pages.analyse import AnalysisOptions, analyse_page
    from newsclaims.pages.extraction import ExtractionError

    options = AnalysisOptions()
    if args.sources or sources_path().exists():
        _, config = load_sources_file(args.sources)
        options = AnalysisOptions(topic=config.topic, min_words=config.crawl.min_words)
    files, failed = existing_files(args.paths)
    for path in files:
        try:
            page = saved_page(path, args.url)
            record = analysis_record(path, analyse_page(page, options))
        except ExtractionError as exc:
            record = {"source": str(path), "url": args.url, "error": str(exc)}
            failed = True
        print(json.dumps(record, ensure_ascii=False))
    return EXIT_FAILED if failed else EXIT_OK


def cmd_quotes(args: argparse.Namespace) -> int:
    from newsclaims.pages.analyse import AnalysisOptions, analyse_page
    from newsclaims.pages.decoding import binary_kind
    from newsclaims.pages.extraction import ExtractionError
    from newsclaims.quotes import extract_quotes, read_text_document

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
        elif kind := binary_kind(path.read_bytes()[:4096]):
            print(f"newsclaims: error: {path}: {kind}, not HTML or text", file=sys.stderr)
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
