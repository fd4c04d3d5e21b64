"""Is this page an article? Decided by how the page is built, never by its length alone.

A 40-word wire brief is an article; a section front of teaser links is not, however many
words its teasers add up to. The signals are what the page declares (``og:type``, JSON-LD
``@type``, a publication time), how it is built (an ``<article>`` element, how much of the
extracted text is link text), how the crawl reached it (a feed or news-sitemap entry) and
the shape of its URL (a date or a long slug). A declared ``og:type`` of ``website`` does not
settle it: many CMSs print it on every page, articles included, so a page that declares
itself a website is still an article when it carries a publication time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "backgroundnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "report",
        "scholarlyarticle",
        "techarticle",
    }
)
NON_ARTICLE_OG = frozenset({"website", "section", "homepage", "profile", "video.other"})
NON_ARTICLE_LD = frozenset({"website", "collectionpage", "searchresultspage", "itemlist"})
# At least this share of the extracted text is link text: a page of teasers.
LINK_PAGE_SHARE = 0.5
# A page declared a website, dated only in its text, needs this much prose to count.
PROSE_WORDS = 150

# Compiled once; plain str results.
_LD_SCRIPTS = etree.XPath("//script[@type='application/ld+json']")
_OG_TYPE = etree.XPath("//meta[@property='og:type']/@content", smart_strings=False)

_DATED_PATH = re.compile(r"/(?:19|20)\d\d[/-]?(?:0?[1-9]|1[0-2])(?:[/-]|[0-3]\d)")
_SLUG = re.compile(r"[^\W_]+(?:[-_][^\W_]+){3,}")
_NUMERIC_ID = re.compile(r"\d{5,}")


@dataclass
class PageSignals:
    """What a page says about itself; ``reasons`` name the signals that counted."""

    og_type: str | None = None
    ld_types: set[str] = field(default_factory=set)
    article_element: bool = False
    dated: bool = False
    text_dated: bool = False
    """htmldate found a date in the page's text (weaker than a declared publication time)."""
    listed: bool = False
    url_shape: bool = False
    words: int = 0
    link_share: float = 0.0

    def article_evidence(self) -> list[str]:
        evidence = []
        if self.og_type == "article":
            evidence.append("og:type article")
        if self.ld_types & ARTICLE_TYPES:
            evidence.append("JSON-LD " + "/".join(sorted(self.ld_types & ARTICLE_TYPES)))
        if self.listed:
            evidence.append("listed by a feed or news sitemap")
        if self.dated:
            evidence.append("publication time")
        if self.article_element:
            evidence.append("<article> element")
        if self.url_shape:
            evidence.append("article-shaped URL")
        return evidence


def _ld_objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _ld_objects(item)
    elif isinstance(value, dict):
        yield value
        yield from _ld_objects(value.get("@graph"))


def json_ld(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page (``@graph`` members included); bad JSON is skipped."""
    objects: list[dict[str, Any]] = []
    for script in _LD_SCRIPTS(tree):
        try:
            objects.extend(_ld_objects(json.loads(script.text or "")))
        except ValueError:
            continue
    return objects


def _ld_types(objects: list[dict[str, Any]]) -> set[str]:
    types: set[str] = set()
    for obj in objects:
        declared = obj.get("@type")
        for name in declared if isinstance(declared, list) else [declared]:
            if isinstance(name, str):
                types.add(name.rsplit("/", 1)[-1].lower())
    return types


def article_shaped_url(url: str) -> bool:
    """A date in the path, a slug of four words or more, or a long numeric id (path or query)."""
    parts = urlsplit(url)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    return bool(
        _DATED_PATH.search(parts.path)
        or _SLUG.search(last)
        or _NUMERIC_ID.search(last)
        or any(_NUMERIC_ID.fullmatch(v.split("=", 1)[-1]) for v in parts.query.split("&"))
    )


def page_signals(
    tree: lxml.html.HtmlElement, url: str, *, dated: bool, listed: bool, text_dated: bool = False
) -> PageSignals:
    og = _OG_TYPE(tree)
    objects = json_ld(tree)
    return PageSignals(
        og_type=og[0].strip().lower() if og else None,
        ld_types=_ld_types(objects),
        article_element=next(tree.iter("article"), None) is not None,
        dated=dated or any(isinstance(o.get("datePublished"), str) for o in objects),
        listed=listed,
        text_dated=text_dated,
        url_shape=article_shaped_url(url),
    )


def refusal(signals: PageSignals, min_words: int) -> str | None:
    """Why the page is not an article, or None when it is one."""
    if signals.words < min_words:
        return f"{signals.words} words of text, under the floor of {min_words}"
    if signals.link_share >= LINK_PAGE_SHARE:
        return f"a page of links ({signals.link_share:.0%} of its text is link text)"
    declared_other = signals.og_type in NON_ARTICLE_OG or bool(
        signals.ld_types & NON_ARTICLE_LD and not signals.ld_types & ARTICLE_TYPES
    )
    if not declared_other:
        return None  # prose with little link text, and nothing says otherwise
    if (
        signals.dated
        or signals.listed
        or signals.ld_types & ARTICLE_TYPES
        or signals.url_shape
        or (signals.text_dated and signals.words >= PROSE_WORDS)
    ):
        return None  # "website" printed on every page of the site, this one an article
    return "declares itself a website/section and shows no date, feed entry or article URL"
