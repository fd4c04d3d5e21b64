"""Article links from RSS/Atom feeds and (news) sitemaps.

feedparser reads every feed dialect; sitemaps are parsed here because Scrapy's
sitemap reader drops the ``news:`` extension (publication date and title).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser
from lxml import etree

from newsclaims.dates import parse_datetime

_NS_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


@dataclass(frozen=True)
class Entry:
    """One article link found in a feed or a sitemap."""

    url: str
    title: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    """When the feed/sitemap says the page last changed (``updated``, ``lastmod``), else
    its publication date: a later date than the one last seen means re-fetch it."""


@dataclass(frozen=True)
class SitemapContent:
    entries: list[Entry]
    child_sitemaps: list[str]


def parse_feed(body: bytes) -> list[Entry]:
    parsed = feedparser.parse(body)
    entries = []
    for item in parsed.entries:
        link = item.get("link")
        if not link:
            continue
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        published = _utc(stamp)
        # The entry's own <updated>, read past feedparser's deprecated fallback to published.
        own_updated = dict.get(item, "updated_parsed")
        updated = _utc(own_updated) or published
        entries.append(Entry(link.strip(), item.get("title"), published, updated))
    return entries


def _utc(stamp: tuple[int, ...] | None) -> datetime | None:
    if not stamp:
        return None
    year, month, day, hour, minute, second = stamp[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _text(element: etree._Element | None) -> str | None:
    return element.text.strip() if element is not None and element.text else None


def parse_sitemap(body: bytes) -> SitemapContent:
    """A urlset (with news: tags when present) or a sitemap index; gzip accepted."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    root = etree.fromstring(body, parser=_SAFE_XML)
    if root is None:
        return SitemapContent([], [])
    local = etree.QName(root).localname
    if local == "sitemapindex":
        children = [_text(el) for el in root.iter("{*}loc")]
        return SitemapContent([], [c for c in children if c])
    entries = []
    for url in root.iter("{*}url"):
        loc = _text(url.find("{*}loc"))
        if not loc:
            continue
        news = url.find(f"{{{_NS_NEWS}}}news")
        title = _text(news.find(f"{{{_NS_NEWS}}}title")) if news is not None else None
        date = _text(news.find(f"{{{_NS_NEWS}}}publication_date")) if news is not None else None
        lastmod = parse_datetime(_text(url.find("{*}lastmod")))
        published = parse_datetime(date) if date else lastmod
        entries.append(Entry(loc, title, published, lastmod or published))
    return SitemapContent(entries, [])
