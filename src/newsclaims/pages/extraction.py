"""HTML page → Article: trafilatura for the main text and metadata, then furniture rules.

Pure and synchronous on purpose: the crawl runs it in a process pool, the CLI and
the archive reader call it directly, and all three get the same article.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import lxml.html
import py3langid
import trafilatura
from lxml import etree
from trafilatura.settings import Document

from newsclaims import settings
from newsclaims.dates import parse_datetime
from newsclaims.discovery.urls import canonical_url
from newsclaims.pages.furniture import Block, dominant_script, furniture_rule
from newsclaims.records import Article, Paragraph
from newsclaims.text import collapse_whitespace

# Elements of trafilatura's output tree that carry article text, in reading order.
_TEXT_BLOCKS = {"p", "quote", "item", "head"}
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


class ExtractionError(ValueError):
    """The page could not be turned into an article (empty, not HTML, no main text)."""


class NotAnArticle(ExtractionError):
    """The page parsed but is an index, a section front or too short to be an article."""


def extract_article(
    html: str,
    url: str,
    source: str,
    *,
    http_status: int = 200,
    fetched_at: datetime | None = None,
    min_words: int = settings.NEWSCLAIMS_MIN_WORDS,
    today: date | None = None,
) -> Article:
    """Extract one article; raise ExtractionError/NotAnArticle with a reason otherwise."""
    if not html or not html.strip():
        raise ExtractionError("empty document")
    if "\x00" in html[:4096]:
        raise ExtractionError("binary content, not HTML")
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from None

    if _page_type(tree) in {"website", "section", "homepage"}:
        raise NotAnArticle("page declares itself a website/section, not an article")

    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=True,
        deduplicate=False,
        fast=True,
        date_extraction_params={
            "extensive_search": True,
            "original_date": True,
            "outputformat": _DATE_FORMAT,
            "max_date": (today or datetime.now(UTC).date()).isoformat(),
        },
    )
    if not isinstance(document, Document) or document.body is None:
        raise ExtractionError("no main text found")

    title = collapse_whitespace(document.title) if document.title else None
    paragraphs = _paragraphs(document.body, title)
    words = sum(len(p.split()) for p in paragraphs)
    if words < min_words:
        raise NotAnArticle(f"{words} words of text, fewer than the {min_words} an article has")

    text = "\n".join(paragraphs)
    return Article(
        url=url,
        canonical_url=canonical_url(url, _declared_canonical(tree)),
        source=source,
        title=title,
        byline=collapse_whitespace(document.author) if document.author else None,
        published=_published(tree, document.date, today or datetime.now(UTC).date()),
        fetched_at=fetched_at or datetime.now(UTC),
        language=_language(tree, text),
        site_name=document.sitename,
        http_status=http_status,
        paragraphs=[Paragraph(position=i, text=p) for i, p in enumerate(paragraphs)],
    )


def _paragraphs(body: etree._Element, title: str | None) -> list[str]:
    """Reading-order text blocks with furniture removed."""
    blocks: list[tuple[str, float]] = []
    for element in body.iter(*_TEXT_BLOCKS):
        if element.tag == "quote" and element.find(".//p") is not None:
            continue  # its <p> children are visited on their own
        text = collapse_whitespace("".join(element.itertext()))
        if not text or (element.tag == "head" and title and text == title):
            continue
        link_text = sum(
            len(collapse_whitespace("".join(r.itertext()))) for r in element.iter("ref")
        )
        blocks.append((text, min(link_text / len(text), 1.0)))
    script = dominant_script(" ".join(text for text, _ in blocks))
    return [
        text
        for text, link_share in blocks
        if furniture_rule(Block(text, link_share, script)) is None
    ]


def _page_type(tree: lxml.html.HtmlElement) -> str | None:
    values = tree.xpath("//meta[@property='og:type']/@content")
    return values[0].strip().lower() if values else None


def _declared_canonical(tree: lxml.html.HtmlElement) -> str | None:
    hrefs = tree.xpath("//link[@rel='canonical']/@href")
    return hrefs[0] if hrefs else None


_PUBLISHED_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='pubdate' or @name='publishdate' or @name='dc.date.issued']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//article//time[@datetime]/@datetime",
)


def _published(
    tree: lxml.html.HtmlElement, htmldate_value: str | None, today: date
) -> datetime | None:
    """The page's own full timestamp when it declares one, else htmldate's find; never future."""
    candidates = [v for xpath in _PUBLISHED_XPATHS for v in tree.xpath(xpath)]
    for value in [*candidates, htmldate_value]:
        parsed = parse_datetime(value)
        if parsed is not None and parsed.date() <= today:
            return parsed
    return None


_LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}")


def _language(tree: lxml.html.HtmlElement, text: str) -> str | None:
    """The page's declared language if any, else a guess from the text."""
    declared = tree.get("lang") or next(
        iter(tree.xpath("//meta[@http-equiv='content-language']/@content")), None
    )
    if declared and (match := _LANG_TAG.match(declared.strip())):
        return match.group(0).lower()
    if not text:
        return None
    language, _score = py3langid.classify(text[:5000])
    return str(language)
