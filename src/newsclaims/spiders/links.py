"""Scrapy's ``LinkExtractor(allow, deny, allow_domains)``, with the same answers, cheaper.

The spider follows only the links a source's rules allow; on news pages most of the
60-200 anchors are navigation that fails them. Scrapy resolves every anchor (two
``urljoin`` calls, ``safe_url_string``, the anchor's text) before its rules look at it:
~20 us an anchor, most of the crawl's link extraction. Here an anchor whose href is
already its final URL skips those steps: it is judged by the extractor's own rules at
once, and its text is read only when it is kept. Every other anchor goes through
Scrapy's steps; the links, their text, order and de-duplication are Scrapy's
(``tests/test_links.py`` compares the two, and checks the claim below on generated hrefs).

An href is "already final" when it is a plain absolute http(s) URL, or a plain
root-relative path on a plain base (then the base's origin + the path): a lower-case host
without port, user or ``xn--`` label, its last label starting with a letter (no IPv4
forms); path segments, query and fragment of characters ``safe_url_string`` leaves as
they are, no ``.``/``..`` or empty segment, no ``;`` (urlparse's parameters), no empty
query or fragment. ``urljoin`` and ``safe_url_string`` return such a URL unchanged.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterable
from operator import attrgetter
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse
from scrapy.link import Link
from scrapy.linkextractors import LinkExtractor
from scrapy.selector import Selector as ScrapySelector
from scrapy.utils.misc import rel_has_nofollow
from scrapy.utils.python import unique as unique_list
from scrapy.utils.response import get_base_url
from w3lib.html import get_base_url as w3lib_base_url
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from newsclaims.crawl.responses import scrapy_text
from newsclaims.pages.decoding import decoded, head_text

# LinkExtractor's default tags (``a``, ``area``); the XHTML forms are what its _nons folds.
_XHTML = "{http://www.w3.org/1999/xhtml}"
_TAGS = ("a", "area", f"{_XHTML}a", f"{_XHTML}area")
_LABEL = r"(?![a-z0-9]{2}--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_NAME = r"(?![a-z0-9]{2}--)[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?"  # last: not an IPv4 number
_HOST = rf"(?:{_LABEL}\.)*{_NAME}"
_CHARS = r"[A-Za-z0-9._~!$&()*+,=:@-]"
_SEGMENT = rf"(?!\.\.?(?:[/?#]|$)){_CHARS}+"
_PATH = rf"/(?:{_SEGMENT}(?:/{_SEGMENT})*/?)?"
_REST = rf"{_PATH}(?:\?[A-Za-z0-9._~!$&()*+,=:@/?-]+)?(?:#[A-Za-z0-9._~!$&()*+,=:@/?-]+)?"
_ORIGIN = rf"https?://{_HOST}"
_PLAIN_ABSOLUTE = re.compile(rf"{_ORIGIN}{_REST}")
_PLAIN_PATH = re.compile(_REST)
_PLAIN_BASE = re.compile(rf"({_ORIGIN})(?:[/?#]|$)")


class Links:
    """The links of a page that a source's rules allow, as ``LinkExtractor`` gives them."""

    def __init__(
        self, allow: Iterable[str] = (), deny: Iterable[str] = (), domains: Iterable[str] = ()
    ) -> None:
        self.extractor = LinkExtractor(
            allow=tuple(allow), deny=tuple(deny), allow_domains=tuple(domains)
        )

    def _allowed(self, url: str) -> bool:
        """The extractor's own rules on a final URL. Its first rule that looks at the URL,
        ``allow``, is asked here first: most anchors fail it, and then no ``Link`` is made
        (the rules only read the URL and answer yes or no, so their order is free)."""
        allow = self.extractor.allow_res
        if allow and not any(pattern.search(url) for pattern in allow):
            return False
        return self.extractor._link_allowed(Link(url))

    def extract_links(self, response: Any) -> list[Link]:
        """What ``LinkExtractor.extract_links(response)`` returns for this response."""
        text = scrapy_text(response)
        if text is not None or not isinstance(response, HtmlResponse):
            # Scrapy has the text already (or the page is XML, or of no type): its own steps.
            base_url = get_base_url(response)
            root = _cached_or(response, lambda: ScrapySelector(response))
        else:
            head = head_text(response.body, response.encoding)
            base_url = w3lib_base_url(head, response.url, response.encoding)
            root = _cached_or(response, lambda: _html_root(response, base_url))
        plain_base = _PLAIN_BASE.match(base_url)
        origin = plain_base.group(1) if plain_base and _keeps_ascii(response.encoding) else None
        links: list[Link] = []
        # An href met before on this page gives the same URL: refused then, or kept with
        # the text of its first anchor, which the de-duplication below keeps. Menus repeat
        # their links at the top and the bottom; only the first costs the steps and rules.
        seen: set[str] = set()
        for element in root.iter(*_TAGS):
            value = element.get("href")
            if value is None or value in seen:
                continue
            seen.add(value)
            url = _final(strip_html5_whitespace(value), origin) if origin else None
            if url is None:  # not plain: Scrapy's own steps
                url = _scrapy_url(value, base_url, response.url, response.encoding)
                if url is None:
                    continue
            if not self._allowed(url):
                continue
            text = _text(element) or ""
            links.append(Link(url, text, nofollow=rel_has_nofollow(element.get("rel"))))
        # LinkExtractor de-duplicates by URL before and after its rules: as the rules look
        # at the URL alone, once after them keeps the same first links.
        return unique_list(links, key=attrgetter("url"))


@functools.cache
def _keeps_ascii(encoding: str) -> bool:
    """Whether the page's encoding writes ASCII as ASCII. ``safe_url_string`` encodes a URL's
    query in it, so on a UTF-16 or UTF-32 page even a plain href comes out changed (its
    query gets the byte order mark: ``?%FF%FE``): no href is final as it stands there."""
    return "?q=1".encode(encoding) == b"?q=1"


def _cached_or(response: Any, parse: Any) -> Any:
    """A tree some other part already made is used as it is; else ``parse()``'s, not kept."""
    cached = getattr(response, "_cached_selector", None)
    return (cached if cached is not None else parse()).root


def _html_root(response: Any, base_url: str) -> Any:
    """The tree ``Selector(response)`` parses, without keeping it or the page's text on
    the response.

    ``response.selector`` caches its tree (~5x the page's size) and ``response.text`` the
    decoded page (~2x) on the response, which lives until the page's analysis is done: with
    the scraper's responses waiting, that was ~100 MB of the crawl's process for trees
    nothing read again, then ~20 MB of texts. A UTF-8 page is parsed from its bytes, which
    are then exactly what ``Selector(response)`` hands lxml (it decodes the page and encodes
    it back to UTF-8); any other page is decoded for the parse and the text dropped after."""
    body, encoding = response.body, response.encoding
    if _same_as_decoded(body, encoding):
        return Selector(body=body, encoding="utf-8", type="html", base_url=base_url)
    return Selector(text=decoded(body, encoding), type="html", base_url=base_url)


# What str.strip() strips in ASCII that bytes.strip() leaves.
_STR_ONLY_SPACES = frozenset(b"\x1c\x1d\x1e\x1f")


def _same_as_decoded(body: bytes, encoding: str) -> bool:
    """Whether parsel's bytes path gives lxml the bytes its text path would: the page is
    UTF-8 without a BOM (the decoding drops it) or NUL bytes (stripped before the outer
    spaces on one path, after on the other), valid (else the decoding puts U+FFFD where lxml
    would see the bad bytes), and its ends strip alike as bytes and as text."""
    if codecs.lookup(encoding).name != "utf-8" or body.startswith(codecs.BOM_UTF8):
        return False
    if b"\x00" in body:
        return False
    if not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return False
    stripped = body.strip()
    if not stripped:
        return False  # parsel wants text then; Scrapy's gives it the empty text
    return all(end < 0x80 and end not in _STR_ONLY_SPACES for end in (stripped[0], stripped[-1]))


def _final(href: str, origin: str) -> str | None:
    """The final URL of a plain href (as Scrapy's steps would make it), else None."""
    if href.startswith("/"):
        if href.startswith("//") or not _PLAIN_PATH.fullmatch(href):
            return None
        return origin + href
    return href if _PLAIN_ABSOLUTE.fullmatch(href) else None


def _scrapy_url(value: str, base_url: str, response_url: str, encoding: str) -> str | None:
    """An anchor's URL by LxmlParserLinkExtractor._extract_links's steps: strip, join
    with the base, make safe, join with the response URL; None where it skips one."""
    try:
        url = urljoin(base_url, strip_html5_whitespace(value))
    except ValueError:
        return None
    try:
        url = safe_url_string(url, encoding=encoding)
    except ValueError:
        return None
    return urljoin(response_url, url)


_text = etree.XPath("string()")
