"""The spider's link finder (spiders.links.Links) gives exactly what Scrapy's
LinkExtractor(allow, deny, allow_domains) gives: same links (URL, text, nofollow), same
order, same de-duplication, on the fixture web, on bench/corpus.py pages and on pages
written to catch every shortcut it takes (relative links, base href, off-domain hosts,
denied extensions, fragments, duplicates, odd hosts and paths)."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse, Request
from scrapy.linkextractors import LinkExtractor

from newsclaims.config.sources import load_sources
from newsclaims.spiders import links as links_module
from newsclaims.spiders.links import Links

from .conftest import FIXTURE_SOURCES, ROOT

sys.path.insert(0, str(ROOT / "bench"))
import corpus

SITE = ROOT / "fixtures" / "site"


def _response(url: str, body: bytes | str, encoding: str = "utf-8") -> HtmlResponse:
    raw = body.encode(encoding, "xmlcharrefreplace") if isinstance(body, str) else body
    return HtmlResponse(url, body=raw, encoding=encoding, request=Request(url))


def assert_same_links(response: HtmlResponse, allow=(), deny=(), domains=()) -> int:
    ours = Links(allow, deny, domains).extract_links(response)
    scrapys = LinkExtractor(allow=allow, deny=deny, allow_domains=domains).extract_links(response)
    assert [(link.url, link.text, link.nofollow) for link in ours] == [
        (link.url, link.text, link.nofollow) for link in scrapys
    ]
    assert ours == scrapys
    return len(scrapys)


def _fixture_pages() -> list[tuple[str, Path]]:
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        host, *rest = path.relative_to(SITE).parts
        pages.append((f"http://{host}/{'/'.join(rest)}", path))
    return pages


def test_the_fixture_web_gives_scrapys_links_under_every_sources_rules():
    sources = load_sources(FIXTURE_SOURCES).sources
    found = 0
    pages = _fixture_pages()
    assert len(pages) > 40
    for url, path in pages:
        for source in sources:  # the page's own source and the others (off-domain)
            found += assert_same_links(
                _response(url, path.read_bytes()), source.allow, source.deny, source.domains
            )
        found += assert_same_links(_response(url, path.read_bytes()))  # no rules at all
    assert found > 100


def test_bench_corpus_pages_give_scrapys_links(tmp_path):
    articles = corpus.generate(tmp_path, 24)
    sources = load_sources(tmp_path / "sources.toml").sources
    found = 0
    for url, path in articles:
        for source in sources[:3]:
            found += assert_same_links(
                _response(url, path.read_bytes()), source.allow, source.deny, source.domains
            )
        # Rules that let the navigation through, so the shortcut's "keep" side is used too.
        found += assert_same_links(_response(url, path.read_bytes()), domains=sources[0].domains)
        found += assert_same_links(_response(url, path.read_bytes()), allow=[r"/section/"])
    assert found > 100


TRICKY_HREFS = [
    "/world/2014/12/03/a.html", "/world/2014/12/03/a.html", "world/2014/rel.html",
    "../world/2014/up.html", "./world/2014/dot.html", "/world/./2014/x.html",
    "/world/2014/../2015/y.html", "/world/2014/a.html#frag", "/world/2014/a.html#",
    "/world/2014/a.html?", "/world/2014/a.html?x=1&y=2", "#top", "?page=2", "",
    "  /world/2014/spaced.html \n", "/world/2014/photo.jpg", "/world/2014/doc.PDF",
    "/world/2014/file.tar.gz", "http://www.example.test/world/2014/abs.html",
    "https://www.example.test/world/2014/tls.html", "http://WWW.Example.TEST/world/2014/up.html",
    "http://www.example.test:80/world/2014/port.html",
    "http://www.example.test:8080/world/2014/port.html",
    "http://user:pw@www.example.test/world/2014/user.html", "//www.example.test/world/2014/p.html",
    "http://other.test/world/2014/off.html", "http://sub.www.example.test/world/2014/sub.html",
    "http://www.example.test./world/2014/dot-host.html", "http://127.0.0.1/world/2014/ip.html",
    "http://0x7f.1/world/2014/hex.html", "http://xn--bcher-kva.test/world/2014/idn.html",
    "http://bücher.test/world/2014/idn.html", "http://www.example.test/world/2014/caf\u00e9.html",
    "/world/2014/caf%C3%A9.html", "/world/2014/%2e%2e/enc.html", "/world/2014/a;b.html",
    "/world/2014/a'b.html", "/world/2014/a|b.html", "/world/2014/a b.html",
    "/world/2014/a\\b.html", "/world//2014/double.html", "/world/2014/a.html;", "/world/2014/100%.html",
    "http://www.example.test/world/2014/b.html;", "http://www.example.test/world/2014/b.html?",
    "http://www.example.test/world/2014/b.html#", "http://www.example.test:0080/world/2014/p.html", "mailto:desk@example.test",
    "javascript:void(0)", "tel:+123", "ftp://www.example.test/world/2014/ftp.html",
    "HTTP://www.example.test/world/2014/upper-scheme.html", "http:/world/2014/one-slash.html",
    "http://www.example.test", "http://www.example.test?q=1", "/world/2014/a.html?q='x'",
    "/world/2014/a.html#a#b", "/world/2014/search?q=x", "/world/2014/x.html\t",
    "http://[::1]/world/2014/v6.html", "http://www.exa_mple.test/world/2014/under.html",
    "http://-bad-.test/world/2014/h.html", "http://a..b.test/world/2014/h.html",
    "http://www.example.test/world/2014/%41.html", "/world/2014/~tilde/(x)!*$+,=:@.html",
]  # fmt: skip


def _tricky_page(base: str | None) -> str:
    anchors = "".join(
        f'<a href="{href.replace("&", "&amp;").replace(chr(34), "&quot;")}" rel="nofollow">'
        f'link <b>{n}</b></a><area href="{href.replace(chr(34), "&quot;")}">'
        for n, href in enumerate(TRICKY_HREFS)
    )
    head = f'<base href="{base}">' if base else ""
    return f"<html><head>{head}</head><body><p>{anchors}<a>no href</a></p></body></html>"


@pytest.mark.parametrize(
    "url",
    [
        "http://www.example.test/world/2014/12/03/page.html",
        "https://www.example.test/index",
        "http://www.example.test:8080/world/",
        "http://WWW.EXAMPLE.test/Upper/",
        "http://127.0.0.1:8000/world/2014/",
    ],
)
@pytest.mark.parametrize(
    "base", [None, "/other/dir/", "http://cdn.example.test/world/", "https://www.example.test/"]
)
@pytest.mark.parametrize(
    "rules",
    [
        {},
        {"allow": [r"/world/\d{4}/"], "deny": [r"/search"], "domains": ["www.example.test"]},
        {"allow": [r"/world/"], "domains": ["example.test", "other.test"]},
        {"deny": [r"\.html#"], "domains": ["www.example.test:8080", "127.0.0.1"]},
        {"allow": [r"^https://"]},
        # Rules that tell apart the forms Scrapy normalises: host case, a protocol-relative
        # link, an empty query, fragment or parameters, characters it escapes, ports.
        {
            "allow": [r"^https?://www\.example\.test/world/"],
            "deny": [r"[;?#]$", r"['| \u00e9]", r"#.*#", r"%\."],
        },
        {"allow": [r"/world/\d{4}/[a-z]+/"]},
        {"domains": ["www.example.test:80"]},
    ],
)
def test_tricky_hrefs_give_scrapys_links(url, base, rules):
    assert_same_links(_response(url, _tricky_page(base)), **rules)


def test_a_page_in_another_encoding_gives_scrapys_links():
    page = _tricky_page(None) + '<a href="/world/2014/\u00e9t\u00e9.html?q=\u00e9">x</a>'
    for encoding in ("latin-1", "cp1252", "utf-8"):
        response = _response("http://www.example.test/world/", page, encoding)
        assert_same_links(response, [r"/world/"], [], ["www.example.test"])


PIECES = ["/", "world", "2014", ".", "..", "a.html", "x.jpg", "?", "#", "q=1", "&", ";", "%2e",
          "%", "'", "|", " ", ":", "@", "http:", "https:", "//", "www.example.test", "WWW",
          "other.test", ":80", "xn--", "-", "\u00e9", "\\", "~", "+", "="]  # fmt: skip
PAGE_URLS = ["http://www.example.test/world/2014/a.html", "https://www.example.test/",
             "http://www.example.test:81/x/", "http://www.example.test/world?x=1"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    hrefs=st.lists(
        st.lists(st.sampled_from(PIECES), max_size=8).map("".join), min_size=1, max_size=12
    ),
    url=st.sampled_from(PAGE_URLS),
)
def test_generated_hrefs_give_scrapys_links(hrefs, url):
    anchors = "".join(
        f'<a href="{h.replace("&", "&amp;").replace(chr(34), "&quot;")}">{n}</a>'
        for n, h in enumerate(hrefs)
    )
    response = _response(url, f"<html><body>{anchors}</body></html>")
    assert_same_links(response, [r"/world/"], [r"\.jpg"], ["www.example.test"])
    assert_same_links(response)


@settings(max_examples=400, deadline=None)
@given(
    href=st.one_of(
        st.from_regex(links_module._PLAIN_ABSOLUTE, fullmatch=True),
        st.from_regex(links_module._PLAIN_PATH, fullmatch=True),
    ),
    url=st.sampled_from([*PAGE_URLS[:2], "https://a-b.example.test/x/y?z=1#f"]),
)
def test_a_plain_href_is_its_own_final_url(href, url):
    """The claim the shortcut rests on: Scrapy turns a plain href into itself (a plain
    root-relative one into the page's origin + the path), never into anything else."""
    page = f'<html><body><a href="{href.replace("&", "&amp;")}">x</a></body></html>'
    response = _response(url, page)
    origin = "/".join(url.split("/")[:3])
    final = origin + href if href.startswith("/") else href
    assert [link.url for link in LinkExtractor().extract_links(response)] == [final]
    assert [link.url for link in Links().extract_links(response)] == [final]


def test_repeated_hrefs_give_scrapys_first_links_and_are_judged_once(monkeypatch):
    """Menus repeat their links: a repeated href keeps the text and rel of its first anchor,
    as Scrapy's de-duplication does, and the rules are asked about it once."""
    hrefs = ["/world/2014/a.html", "http://www.example.test/world/2014/b.html", "#top",
             "/about.html", "world/2014/rel.html", "javascript:void(0)"]  # fmt: skip
    anchors = "".join(
        f'<a href="{href}"{" rel=nofollow" if n % 2 else ""}>copy {n} of {href}</a>'
        for n in range(3)
        for href in hrefs
    )
    page = f'<html><body><a href="/world/2014/b.html">b by path</a>{anchors}</body></html>'
    response = _response("http://www.example.test/world/", page)
    rules = {"allow": [r"/world/"], "domains": ["www.example.test"]}
    assert assert_same_links(response, **rules) == 4  # a, b, #top, rel (not /about)
    assert assert_same_links(response) == 5  # and /about; never javascript:
    asked: list[str] = []
    judge = Links._allowed
    monkeypatch.setattr(Links, "_allowed", lambda self, url: asked.append(url) or judge(self, url))
    Links(**rules).extract_links(response)
    # Each distinct href once: the seven of the page (b by path and b absolute are two).
    assert len(asked) == len(hrefs) + 1


def _bodies() -> list[tuple[str, bytes, str]]:
    """Pages whose bytes the UTF-8 shortcut must refuse, or take with the same result."""
    page = _tricky_page(None) + '<a href="/world/2014/\u00e9t\u00e9.html">\u00e9t\u00e9</a>'
    utf8 = page.encode("utf-8")
    # <base href> after 4,096 characters (ignored) and just before, behind 4-byte letters.
    late_base = "<!--" + "x" * 4100 + '--><base href="http://other.test/">' + page
    near_base = "<!--" + "\U0001f600" * 4000 + '--><base href="http://www.example.test/b/">'
    return [
        ("utf-8", utf8, "utf-8"),
        ("BOM", codecs.BOM_UTF8 + utf8, "utf-8"),
        ("NUL bytes", utf8.replace(b"<p>", b"<p>\x00", 1) + b"\x00", "utf-8"),
        ("invalid UTF-8", utf8.replace(b"<p>", b"<p>\xff\xfe<a href='/world/2014/bad\xe9.html'>",
                                       1), "utf-8"),
        ("leading NBSP", "\u00a0".encode() + utf8 + "\u3000".encode(), "utf-8"),
        ("leading U+001C", b"\x1c" + utf8 + b"\x1f", "utf-8"),
        ("spaces only", b" \n\t ", "utf-8"),
        ("empty", b"", "utf-8"),
        ("cp1252", page.encode("cp1252", "xmlcharrefreplace"), "cp1252"),
        ("utf-16", page.encode("utf-16"), "utf-16"),
        ("gb18030", page.encode("gb18030"), "gb18030"),
        ("late base", late_base.encode(), "utf-8"),
        ("near base", (near_base + page).encode(), "utf-8"),
        ("near base, utf-16", (near_base + page).encode("utf-16"), "utf-16"),
    ]  # fmt: skip


@pytest.mark.parametrize(("name", "body", "encoding"), _bodies(), ids=[b[0] for b in _bodies()])
def test_pages_read_from_their_bytes_give_scrapys_links(name, body, encoding):
    """Parsed from the bytes (UTF-8) or decoded for the parse (the rest), with the base URL
    from the page's first 4,096 characters: Scrapy's links either way."""
    url = "http://www.example.test/world/"
    assert_same_links(_response(url, body, encoding), [r"/world/"], [], ["www.example.test"])
    assert_same_links(_response(url, body, encoding))  # a fresh one: Scrapy keeps its tree


@pytest.mark.parametrize(
    ("name", "body", "headers"),
    [
        ("HTTP charset", "<a href='/world/caf\u00e9.html'>x</a>".encode("cp1252"),
         {"Content-Type": "text/html; charset=windows-1252"}),
        ("meta charset", "<meta charset='cp1252'><a href='/world/caf\u00e9.html'>x</a>".encode("cp1252"),
         {"Content-Type": "text/html"}),
        ("guessed UTF-8", "<a href='/world/caf\u00e9.html'>x</a>".encode(), {"Content-Type": "text/html"}),
        ("read as ASCII", b"<a href='/world/caf\xe9.html'>x\x00\x81\x8d\x8f\x90\x9d</a>",
         {"Content-Type": "text/html"}),
        ("XML", b"<?xml version='1.0'?><root xmlns:h='http://www.w3.org/1999/xhtml'><a href='/world/p'/>"
         b"<h:a href='/world/x'>x</h:a></root>", {}),
    ],
)  # fmt: skip
def test_pages_whose_encoding_scrapy_settles_give_scrapys_links(name, body, headers):
    """Encodings from the header, the page, Scrapy's guess, and a page Scrapy sees as XML."""
    from scrapy.http.response.text import TextResponse
    from scrapy.responsetypes import responsetypes

    url = "http://www.example.test/world/"

    def response() -> TextResponse:
        cls = responsetypes.from_args(headers=headers, url=url, body=body)
        return cls(url, body=body, headers=headers, request=Request(url))

    assert isinstance(response(), TextResponse)
    ours = Links().extract_links(response())
    assert ours == LinkExtractor().extract_links(response())
    assert ours


def test_the_links_leave_no_tree_and_no_text_on_the_response():
    """The parse is dropped with the links: a response waiting for its page's analysis does
    not hold its tree (~5x the page) or its decoded text (~2x) meanwhile; a tree made
    before is used, not made again."""
    for encoding in ("utf-8", "cp1252"):
        response = _response("http://www.example.test/world/", _tricky_page(None), encoding)
        rules = {"allow": [r"/world/"], "domains": ["www.example.test"]}
        ours = Links(**rules).extract_links(response)
        assert ours and response._cached_selector is None
        assert response._cached_ubody is None  # Scrapy's cache of response.text
    root = response.selector.root
    assert Links(**rules).extract_links(response) == ours
    assert response.selector.root is root
