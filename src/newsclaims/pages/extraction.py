"""HTML page → Article: trafilatura for the main text and metadata, then furniture rules.

Pure and synchronous on purpose: the crawl runs it in a process pool, the CLI and
the archive reader call it directly, and all three get the same article.
"""

from __future__ import annotations

import contextlib
import copy
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any

import lxml.html
import py3langid
import trafilatura
from lxml import etree
from trafilatura import metadata
from trafilatura.settings import Document, Extractor

from newsclaims import settings
from newsclaims.dates import latest_publish_day, parse_datetime
from newsclaims.discovery.urls import canonical_url
from newsclaims.pages.decoding import binary_kind
from newsclaims.pages.detection import PageSignals, page_signals, refusal
from newsclaims.pages.errors import ExtractionError, NotAnArticle, NotHTML
from newsclaims.pages.furniture import Block, furniture_rule
from newsclaims.records import Article, Paragraph
from newsclaims.text import collapse_whitespace

__all__ = ["Extraction", "ExtractionError", "NotAnArticle", "NotHTML", "extract_article"]

# Elements of trafilatura's output tree that carry article text, in reading order:
# paragraphs, quotes, list items, subheadings, table rows and code blocks.
_TEXT_BLOCKS = ("p", "quote", "item", "head", "row", "code")
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# An XML declaration naming an encoding: lxml refuses it on an already decoded str.
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>", re.IGNORECASE)


@dataclass(frozen=True)
class Extraction:
    """The article and the page signals that made it one (``newsclaims extract`` shows them)."""

    article: Article
    signals: PageSignals


def extract_article(html: str, url: str, source: str, **options: Any) -> Article:
    """Extract one article; raise ExtractionError/NotAnArticle with a reason otherwise."""
    return extract_page(html, url, source, **options).article


def extract_page(
    html: str,
    url: str,
    source: str,
    *,
    http_status: int = 200,
    fetched_at: datetime | None = None,
    min_words: int = settings.NEWSCLAIMS_MIN_WORDS,
    today: date | None = None,
    listed: bool = False,
    feed_published: datetime | None = None,
) -> Extraction:
    """Parse, extract the main text, decide whether it is an article, collect metadata.

    ``listed``: the page came from a feed or news-sitemap entry (an article signal);
    ``feed_published``: that entry's date, the last resort for the publish date.
    """
    if not html or not html.strip():
        raise ExtractionError("empty document")
    kind = binary_kind(html[:4096].encode("utf-8", "surrogateescape"))
    if kind is not None:
        raise NotHTML(f"{kind}, not HTML")
    tree = parse_html(html)
    latest = latest_publish_day(fetched_at)
    latest = min(today, latest) if today else latest

    document = trafilatura_document(tree, url, latest)
    title = collapse_whitespace(document.title) if document and document.title else None
    blocks = _blocks(document.body, title, tree) if document and document.body is not None else []
    words = _word_count(blocks)
    if not blocks:
        raise NotAnArticle("no main text found")

    declared = [v for xpath in _PUBLISHED_XPATHS for v in xpath(tree)]
    signals = page_signals(
        tree,
        url,
        dated=_first_date(declared, latest) is not None,
        listed=listed,
        text_dated=bool(document and document.date),
    )
    signals.words = words
    signals.link_share = _link_share(blocks)
    reason = refusal(signals, min_words)
    if reason is not None:
        raise NotAnArticle(reason)

    paragraphs = _without_furniture(blocks)
    if not paragraphs:
        raise NotAnArticle("only site furniture, no article text")
    text = "\n".join(paragraphs)
    article = Article(
        url=url,
        canonical_url=canonical_url(url, _declared_canonical(tree)),
        source=source,
        title=title,
        byline=collapse_whitespace(document.author) if document and document.author else None,
        published=_first_date(
            [*declared, document.date if document else None, feed_published], latest
        ),
        fetched_at=fetched_at or datetime.now(UTC),
        language=_language(tree, text),
        site_name=document.sitename if document else None,
        http_status=http_status,
        # Already what Paragraph validates (non-blank: collapsed, stripped, non-empty blocks).
        paragraphs=[
            Paragraph.model_construct(position=i, text=p) for i, p in enumerate(paragraphs)
        ],
    )
    return Extraction(article, signals)


def _word_count(blocks: list[tuple[str, float]]) -> int:
    return sum(len(text.split()) for text, _ in blocks)


def _link_share(blocks: list[tuple[str, float]]) -> float:
    total = sum(len(text) for text, _ in blocks)
    return sum(len(text) * share for text, share in blocks) / total if total else 0.0


def _block_text(element: etree._Element) -> str:
    if element.tag == "row":  # one line per table row, its cells separated by spaces
        return collapse_whitespace(
            " ".join(collapse_whitespace("".join(c.itertext())) for c in element.iter("cell"))
        )
    return collapse_whitespace("".join(element.itertext()))


def _blocks(
    body: etree._Element, title: str | None, page: lxml.html.HtmlElement
) -> list[tuple[str, float]]:
    """Reading-order text blocks of trafilatura's tree, with the share that is link text.

    A block of several lines without links is what trafilatura's fallback makes of a
    page it found no main text in (the whole page's text, its links gone): there a line
    that is the text of one of the page's links counts as link text.
    """
    blocks: list[tuple[str, float]] = []
    anchors: set[str] | None = None
    for element in body.iter(*_TEXT_BLOCKS):
        if element.tag in {"quote", "item"} and element.find(".//p") is not None:
            continue  # its <p> children are visited on their own
        if element.tag != "p" and any(a.tag in _TEXT_BLOCKS for a in element.iterancestors()):
            continue  # part of the enclosing block's text
        text = _block_text(element)
        if not text or (element.tag == "head" and title and text == title):
            continue
        refs = list(element.iter("ref"))
        link_text = sum(len(collapse_whitespace("".join(r.itertext()))) for r in refs)
        if not refs:
            lines = "".join(element.itertext()).splitlines()
            if len(lines) > 1:
                anchors = _anchor_texts(page) if anchors is None else anchors
                link_text = sum(
                    len(line) for line in map(collapse_whitespace, lines) if line in anchors
                )
        blocks.append((text, min(link_text / len(text), 1.0)))
    return blocks


def _anchor_texts(page: lxml.html.HtmlElement) -> set[str]:
    """The text of every link of the page, as ``_block_text`` collapses it."""
    return {collapse_whitespace("".join(a.itertext())) for a in page.iter("a")} - {""}


def trafilatura_document(tree: lxml.html.HtmlElement, url: str, latest: date) -> Document | None:
    """trafilatura's main text and metadata (title, byline, date) with the options the
    product needs; ``bench/stages.py`` times this call alone as the floor of extraction.

    The same as ``trafilatura.bare_extraction(tree, url=url, with_metadata=True, ...)``
    (tests/test_extraction.py holds it to that), less three costs that bought nothing: its
    metadata step also collected categories, tags and a licence (two thirds of that step),
    it rebuilt its options from the config file on every page, and it rendered the body as
    plain text; newsclaims reads none of them (it walks ``document.body``). The metadata is
    read on our tree before trafilatura copies it: it only reads the page, as
    bare_extraction does on its copy before extracting.
    """
    document = _metadata(tree, url, _date_params(latest))
    extracted = trafilatura.bare_extraction(tree, options=_extractor(url, latest))
    if not isinstance(extracted, Document):
        return None
    document.body = extracted.body
    return document


# A few days' options at once: an archive's pages bound their dates by their fetch days.
@lru_cache(maxsize=32)
def _date_params(latest: date) -> dict[str, Any]:
    """htmldate's options, no date after ``latest`` (``dates.latest_publish_day``)."""
    return {
        "extensive_search": True,
        "original_date": True,
        "outputformat": _DATE_FORMAT,
        # The end of the day: htmldate reads a bare date as its midnight, and then drops
        # the time of every page published that day (stored as 00:00).
        "max_date": datetime.combine(latest, time.max).isoformat(),
    }


@lru_cache(maxsize=32)
def _base_extractor(latest: date) -> Extractor:
    """What ``bare_extraction`` builds from our arguments, metadata off (read separately);
    output "txt": the same body, not rendered to text (only "python" renders it, and the
    format decides nothing else in bare_extraction)."""
    return Extractor(
        output_format="txt",
        comments=False,
        tables=True,
        images=False,
        links=True,
        dedup=False,
        with_metadata=False,
        date_params=_date_params(latest),
    )


def _extractor(url: str, latest: date) -> Extractor:
    """The day's options for one page: a copy (trafilatura may adjust what it is given)."""
    options = copy.copy(_base_extractor(latest))
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")
    return options


def _metadata(tree: lxml.html.HtmlElement, url: str, date_params: dict[str, Any]) -> Document:
    """``trafilatura.metadata.extract_metadata`` up to the fields newsclaims reads (title,
    author, url, date, site name), in its order; no categories, tags or licence."""
    document = metadata.examine_meta(tree)
    if document.author and " " not in document.author:
        document.author = None
    with contextlib.suppress(Exception):  # trafilatura too goes on past its JSON-LD bugs
        document = metadata.extract_meta_json(tree, document)
    if not document.title:
        document.title = metadata.extract_title(tree)
    if not document.author:
        document.author = metadata.extract_author(tree)
    if not document.url:
        document.url = metadata.extract_url(tree, url)
    document.date = metadata.find_date(tree, **{**date_params, "url": document.url})
    if not document.sitename:
        document.sitename = metadata.extract_sitename(tree)
    if document.sitename:
        document.sitename = document.sitename.lstrip("@")
        if (
            document.sitename
            and "." not in document.sitename
            and not document.sitename[0].isupper()
        ):
            document.sitename = document.sitename.title()
    elif document.url:
        match = metadata.META_URL.match(document.url)
        if match:
            document.sitename = match[1]
    document.filedate = date_params["max_date"][:10]
    document.clean_and_trim()  # html.unescape and trimming, as trafilatura finishes
    return document


def _without_furniture(blocks: list[tuple[str, float]]) -> list[str]:
    return [text for text, share in blocks if furniture_rule(Block(text, share)) is None]


def declared_url(html: str) -> str | None:
    """The absolute http(s) URL a saved page declares for itself (rel=canonical, og:url)."""
    try:
        tree = parse_html(html)
    except ExtractionError:
        return None
    for value in (_declared_canonical(tree), *_OG_URL(tree)):
        if value and value.strip().lower().startswith(("http://", "https://")):
            return str(value).strip()
    return None


def _html_parser() -> lxml.html.HTMLParser:
    """lxml.html's parser with its element classes chosen in C, not by a Python callback.

    lxml.html asks a Python method which class each element gets every time one is
    handed to Python (some 700 times a page inside trafilatura, 7% of extraction); only
    the form controls get a class of their own there (FormElement, InputElement, ...), and
    nothing newsclaims, trafilatura or htmldate calls needs it. Every element here is an
    HtmlElement, comments, PIs and entities lxml.html's own classes.
    """
    parser = lxml.html.HTMLParser()
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


_HTML_PARSER = _html_parser()


def parse_html(html: str) -> lxml.html.HtmlElement:
    """The page's tree; an XML encoding declaration is dropped (lxml refuses it on a str)."""
    try:
        return lxml.html.document_fromstring(
            _XML_DECLARATION.sub("", html, count=1), parser=_HTML_PARSER
        )
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from None


def _declared_canonical(tree: lxml.html.HtmlElement) -> str | None:
    hrefs = _CANONICAL(tree)
    return hrefs[0] if hrefs else None


def _xpath(expression: str) -> etree.XPath:
    """Compiled once, not on every call; plain str results (no link back to the tree)."""
    return etree.XPath(expression, smart_strings=False)


_CANONICAL = _xpath("//link[@rel='canonical']/@href")
_OG_URL = _xpath("//meta[@property='og:url']/@content")
_CONTENT_LANGUAGE = _xpath("//meta[@http-equiv='content-language']/@content")
_PUBLISHED_XPATHS = tuple(
    _xpath(expression)
    for expression in (
        "//meta[@property='article:published_time']/@content",
        "//meta[@itemprop='datePublished']/@content",
        "//meta[@name='pubdate' or @name='publishdate' or @name='dc.date.issued']/@content",
        "//*[@itemprop='datePublished']/@datetime",
        "//article//time[@datetime]/@datetime",
    )
)


def _first_date(values: list[str | datetime | None], latest: date) -> datetime | None:
    """The first value that is a time not after ``latest`` (the page's own, then htmldate's,
    then the feed's)."""
    for value in values:
        parsed = value if isinstance(value, datetime) else parse_datetime(value)
        if parsed is not None and parsed.date() <= latest:
            return parsed
    return None


_LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}")


def _language(tree: lxml.html.HtmlElement, text: str) -> str | None:
    """The page's declared language if any, else a guess from the text."""
    declared = tree.get("lang") or next(iter(_CONTENT_LANGUAGE(tree)), None)
    if declared and (match := _LANG_TAG.match(declared.strip())):
        return match.group(0).lower()
    if not text:
        return None
    language, _score = py3langid.classify(text[:5000])
    return str(language)
