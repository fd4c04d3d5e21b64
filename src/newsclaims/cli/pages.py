"""``newsclaims extract`` and ``newsclaims quotes``: the crawl's own analysis on saved files."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsclaims.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    add_command,
    add_sources,
    error_line,
    existing_files,
    load_sources_file,
    nonempty,
)
from newsclaims.config.environment import sources_path
from newsclaims.records import FetchedPage

if TYPE_CHECKING:
    from newsclaims.pages.analyse import Analysis
    from newsclaims.records import Quote

# trafilatura, lxml and the speaker dictionaries load when these commands run, not when
# the CLI starts (`newsclaims --version` should not pay for them).

LOCAL_SOURCE = "local"


EXTRACT_EXAMPLES = """
  newsclaims extract page.html --url https://example.com/story   # the page as a crawl stores it
  newsclaims extract saved/*.html | jq .title
"""
QUOTES_EXAMPLES = """
  newsclaims quotes page.html story.txt --format table
  newsclaims quotes --headline story.txt        # its first line is the headline
  curl -s https://example.com/story | newsclaims quotes -
"""
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}


def register(commands: Any) -> None:
    extract = add_command(
        commands,
        "extract",
        help="extract articles from saved HTML files (JSON lines)",
        description="Run the crawl's analysis on saved pages and print one JSON line each, "
        "as each page is done. A page that cannot be read or extracted gets a line with "
        "'error' and makes the exit code 1; the others are still processed.",
        examples=EXTRACT_EXAMPLES,
    )
    extract.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="saved HTML file(s), - for stdin"
    )
    extract.add_argument(
        "--url",
        type=nonempty,
        help="the URL the page was served at (default: its rel=canonical or og:url, else PATH)",
    )
    add_sources(extract)
    extract.set_defaults(handler=cmd_extract)

    quotes = add_command(
        commands,
        "quotes",
        help="find quoted statements in .html or .txt files",
        description="Quoted statements and their speakers, as a crawl would store them, "
        "printed file by file as each is done. Text is read as UTF-8; a file that cannot be "
        "read is reported in one line, the others are still processed, and the exit code "
        "is 1.",
        examples=QUOTES_EXAMPLES,
    )
    quotes.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help=".html/.htm pages or UTF-8 text files; - reads stdin (HTML if it looks like it)",
    )
    quotes.add_argument(
        "--format",
        choices=("jsonl", "table"),
        default="jsonl",
        help="jsonl: one JSON object per quote; table: aligned columns for reading",
    )
    quotes.add_argument(
        "--headline",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether a text file's first line is its headline (default: only when it looks "
        "like one: at most 20 words, no final sentence punctuation)",
    )
    quotes.set_defaults(handler=cmd_quotes)


def read_input(path: Path) -> bytes:
    """The file's bytes, or stdin's for ``-``; CliError for an unreadable file."""
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def is_html(path: Path, data: bytes) -> bool:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return True
    if suffix in TEXT_SUFFIXES:
        return False
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body"))


def decode_text(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from exc


def saved_page(path: Path, url: str | None, data: bytes | None = None) -> FetchedPage:
    """A saved HTML file as if the crawl had just fetched it.

    Decoded as a browser would (BOM, then the page's declared charset); its URL is ``url``,
    else the one the page declares for itself, else a local stand-in. Raises NotHTML for a
    PDF or an image.
    """
    from newsclaims.archives.files import path_url, saved_at
    from newsclaims.pages.decoding import decode_html
    from newsclaims.pages.extraction import declared_url

    html, encoding = decode_html(read_input(path) if data is None else data)
    stdin = str(path) == "-"
    page_url = url or declared_url(html) or ("http://localhost/stdin" if stdin else path_url(path))
    # Saved when its file says, as `newsclaims ingest` takes it: its dates are bounded by it.
    saved = None if stdin else saved_at(path)
    return FetchedPage(
        url=page_url,
        requested_url=page_url,
        source=LOCAL_SOURCE,
        status=200,
        html=html,
        encoding=encoding,
        **({} if saved is None else {"fetched_at": saved}),
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
        except (ExtractionError, CliError) as exc:
            record = {"source": str(path), "url": args.url, "error": str(exc)}
            failed = True
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return EXIT_FAILED if failed else EXIT_OK


def file_quotes(path: Path, headline: bool | None) -> Iterable[Quote]:
    """The quotes of one file; CliError (one line) when it cannot be read or analysed.

    Plain text is read piece by piece (`extract_quotes_streaming`), so a huge file prints
    as it goes in bounded memory."""
    from newsclaims.pages.analyse import AnalysisOptions, analyse_page
    from newsclaims.pages.decoding import binary_kind
    from newsclaims.pages.extraction import ExtractionError
    from newsclaims.quotes.extract import extract_quotes_streaming, read_text_document

    data = read_input(path)
    if is_html(path, data):
        # Any length of page and any topic: a short item can still quote someone.
        options = AnalysisOptions(min_words=0, quotes_off_topic=True)
        try:
            return analyse_page(saved_page(path, None, data), options).article.quotes
        except ExtractionError as exc:
            raise CliError(f"{path}: {exc}") from exc
    if kind := binary_kind(data[:4096]):
        raise CliError(f"{path}: {kind}, not HTML or text")
    title, paragraphs = read_text_document(decode_text(path, data), headline)
    return extract_quotes_streaming(paragraphs, title)


def cmd_quotes(args: argparse.Namespace) -> int:
    files, failed = existing_files(args.paths)
    table = QuoteTable([str(path) for path in files]) if args.format == "table" else None
    if table is not None:
        print(table.header(), flush=True)
    for path in files:
        try:
            quotes = file_quotes(path, args.headline)
        except CliError as exc:
            print(error_line(exc), file=sys.stderr, flush=True)
            failed = True
            continue
        # Printed as each file is done: nothing is held across files.
        for quote in quotes:
            row = {"source": str(path), **quote.model_dump()}
            print(table.row(row) if table else json.dumps(row, ensure_ascii=False))
        sys.stdout.flush()
    return EXIT_FAILED if failed else EXIT_OK


class QuoteTable:
    """Aligned columns that can be printed row by row: fixed widths (the file column as wide
    as the longest name given, known before the first file is read), long cells cut with an
    ellipsis, blanks for nothing."""

    QUOTE_WIDTH = 80

    def __init__(self, files: list[str]) -> None:
        self.columns = (
            ("file", max([4, *map(len, files)])),
            ("kind", 8),
            ("speaker", 24),
            ("cue", 12),
            ("para", 4),
        )

    @staticmethod
    def _fit(text: str, width: int) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    def header(self) -> str:
        cells = [name.ljust(width) for name, width in self.columns]
        return "  ".join([*cells, "quote"])

    def row(self, row: dict[str, Any]) -> str:
        values = {
            "file": row["source"],
            "kind": row["kind"],
            "speaker": row["speaker"],
            "cue": row["cue"],
            "para": row["paragraph"],
        }
        cells = []
        for name, width in self.columns:
            value = values[name]
            text = "" if value is None else str(value)
            fitted = self._fit(text, width)
            cells.append(fitted.rjust(width) if name == "para" else fitted.ljust(width))
        quote = " ".join(str(row["quote"]).split())
        return "  ".join([*cells, self._fit(quote, self.QUOTE_WIDTH)]).rstrip()
