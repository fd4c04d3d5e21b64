"""The crawl's meta refresh middleware answers as Scrapy's does, reading only the page's
first 4,096 characters (crawl.redirects.HeadMetaRefreshMiddleware): the same redirect or
none, and the page's text left undecoded on the response."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.utils.test import get_crawler

from newsclaims.crawl.redirects import HeadMetaRefreshMiddleware
from newsclaims.pages.decoding import HEAD_CHARS, decoded, head_text

URL = "http://www.example.test/world/page.html"
REFRESH = '<meta http-equiv="refresh" content="{delay}; url={target}">'


def _pages() -> list[tuple[str, str, str]]:
    # Past the 16 KB that the first 4,096 characters are decoded from, so the cut is met.
    filler = "<p>" + "caf\u00e9 \u201cquoted\u201d " * 1200 + "</p>"
    page = "<html><head>{head}</head><body>" + filler + "</body></html>"
    refresh = REFRESH.format(delay=0, target="/world/moved.html")
    return [
        ("refresh", page.format(head=refresh), "utf-8"),
        ("no refresh", page.format(head=""), "utf-8"),
        ("slow refresh", page.format(head=REFRESH.format(delay=1000, target="/x.html")), "utf-8"),
        ("in a script", page.format(head=f"<script>document.write('{refresh}')</script>"), "utf-8"),
        ("in noscript", page.format(head=f"<noscript>{refresh}</noscript>"), "utf-8"),
        ("absolute", page.format(head=REFRESH.format(delay=0, target="http://other.test/a")), "utf-8"),
        ("not http", page.format(head=REFRESH.format(delay=0, target="ftp://other.test/a")), "utf-8"),
        ("with base", page.format(head='<base href="http://www.example.test/b/">' + refresh), "utf-8"),
        ("after 4,096 characters", page.format(head="<!--" + "x" * 4100 + "-->" + refresh), "utf-8"),
        ("just before, 4-byte letters", page.format(head="<!--" + "\U0001f600" * 4030 + "-->" + refresh),
         "utf-8"),
        ("cut by the limit", page.format(head="<!--" + "\u00e9" * 4020 + "-->" + refresh), "utf-8"),
        ("cp1252", page.format(head=refresh), "cp1252"),
        ("utf-16", page.format(head=refresh), "utf-16"),
        ("gb18030, near the limit", page.format(head="<!--" + "\u4e2d" * 4030 + "-->" + refresh),
         "gb18030"),
        ("4-byte letters past the cut", page.format(head="<!--" + "\U0001f600" * 4200 + "-->" + refresh),
         "utf-8"),
        ("iso-2022-jp", page.format(head="<!--" + "\u4e2d\u0061" * 2030 + "-->" + refresh), "iso-2022-jp"),
    ]  # fmt: skip


def _answer(middleware: MetaRefreshMiddleware, body: bytes, encoding: str, **meta):
    request = Request(URL, meta=dict(meta))
    response = HtmlResponse(URL, body=body, encoding=encoding, request=request)
    result = middleware.process_response(request, response)
    if isinstance(result, Request):
        return ("redirect", result.url, result.method, result.meta.get("redirect_urls")), response
    assert result is response
    return ("page",), response


@pytest.fixture(scope="module")
def middlewares() -> tuple[MetaRefreshMiddleware, HeadMetaRefreshMiddleware]:
    crawler = get_crawler()
    return MetaRefreshMiddleware.from_crawler(crawler), HeadMetaRefreshMiddleware.from_crawler(
        crawler
    )


@pytest.mark.parametrize(("name", "page", "encoding"), _pages(), ids=[p[0] for p in _pages()])
def test_the_same_redirect_as_scrapys_without_decoding_the_page(middlewares, name, page, encoding):
    scrapys, ours = middlewares
    body = page.encode(encoding, "xmlcharrefreplace")
    expected, _ = _answer(scrapys, body, encoding)
    answer, response = _answer(ours, body, encoding)
    assert answer == expected
    assert response._cached_ubody is None  # Scrapy's cache of response.text: never made


def test_the_pages_cover_both_answers(middlewares):
    scrapys, _ = middlewares
    answers = {_answer(scrapys, p.encode(e, "xmlcharrefreplace"), e)[0][0] for _, p, e in _pages()}
    assert answers == {"redirect", "page"}


def test_dont_redirect_head_requests_and_other_responses_are_left_alone(middlewares):
    _, ours = middlewares
    page = REFRESH.format(delay=0, target="/moved.html").encode()
    assert _answer(ours, page, "utf-8", dont_redirect=True)[0] == ("page",)
    request = Request(URL, method="HEAD")
    response = HtmlResponse(URL, body=page, encoding="utf-8", request=request)
    assert ours.process_response(request, response) is response
    for cls in (TextResponse, Response):
        other = cls(URL, body=page, request=Request(URL))
        assert ours.process_response(Request(URL), other) is other


def test_the_crawl_uses_it_in_place_of_scrapys_at_its_place_in_the_chain():
    """Scrapy's own would decode every page again: it is off, ours runs where it ran."""
    from scrapy.settings import Settings
    from scrapy.utils.conf import build_component_list

    from newsclaims import settings as project_settings

    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    chain = build_component_list(settings.getwithbase("DOWNLOADER_MIDDLEWARES"))
    names = [c if isinstance(c, str) else f"{c.__module__}.{c.__qualname__}" for c in chain]
    assert "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware" not in names
    ours = names.index("newsclaims.crawl.redirects.HeadMetaRefreshMiddleware")
    assert ours < names.index("newsclaims.crawl.incremental.Incremental")
    assert ours < names.index(
        "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware"
    )


ENCODINGS = ["utf-8", "utf-16", "utf-16-be", "utf-32", "cp1252", "latin-1", "gb18030", "shift_jis",
             "euc-jp", "iso-2022-jp", "big5", "koi8-r", "ascii"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(min_size=0, max_size=5000),
    junk=st.binary(max_size=40),
    at=st.integers(min_value=0, max_value=20_000),
    repeat=st.integers(min_value=1, max_value=8),
    encoding=st.sampled_from(ENCODINGS),
)
def test_the_head_is_the_first_characters_of_the_whole_decoding(text, junk, at, repeat, encoding):
    """``head_text`` is ``decoded(...)[:4096]`` on any bytes, cut anywhere, in any encoding."""
    body = (text * repeat).encode(encoding, "xmlcharrefreplace") if text else b""
    body = body[:at] + junk + body[at:]
    assert head_text(body, encoding) == decoded(body, encoding)[:HEAD_CHARS]
