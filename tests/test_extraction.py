"""HTML → Article on the fixture pages and on bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from newsclaims.pages.analyse import analyse_page
from newsclaims.pages.extraction import ExtractionError, NotAnArticle, NotHTML, extract_article
from newsclaims.records import FetchedPage

from .conftest import ROOT

SITE = ROOT / "fixtures" / "site"
SEED_004 = (
    SITE
    / "english.alarabiya.test/en/News/middle-east/2014/09/14/Kerry-U-S-will-not-coordinate-air-strikes-with-Syria.html"
)
SEED_002 = SITE / "sputniknews.test/middleeast/20141203/1015495513.html"


def read(path) -> str:
    return path.read_bytes().decode("utf-8")


def test_metadata_and_paragraphs_of_a_seed_page():
    article = extract_article(
        read(SEED_004), "http://english.alarabiya.test/a.html?utm_source=x", "alarabiya"
    )
    assert article.title == "Kerry: U.S. will not Coordinate Air Strikes with Syria"
    assert article.published == datetime(2014, 9, 14, 14, 21, tzinfo=UTC)
    assert article.language == "en"
    assert article.paragraphs[0].text.startswith("The United States will not coordinate")
    assert article.paragraphs[-1].text.startswith("But Kerry insisted")
    assert [p.position for p in article.paragraphs] == list(range(len(article.paragraphs)))


def test_declared_canonical_url_is_used():
    article = extract_article(
        read(SEED_002), "http://sputniknews.test/middleeast/20141203/1015495513.html", "sputnik"
    )
    assert (
        str(article.canonical_url)
        == "http://www.sputniknews.test/middleeast/20141203/1015495513.html"
    )


def test_future_dates_are_refused():
    html = read(SEED_004).replace("2014-09-14T17:21:00+03:00", "2031-09-14T17:21:00+03:00")
    article = extract_article(
        html, "http://english.alarabiya.test/a.html", "x", today=date(2026, 11, 21)
    )
    assert article.published is None or article.published.year < 2027


def test_an_archived_page_is_not_dated_after_its_capture():
    # Declared 2014-09-14; a capture two days earlier cannot show it published then.
    captured = datetime(2014, 9, 12, 8, tzinfo=UTC)
    article = extract_article(read(SEED_004), "http://a.test/a.html", "x", fetched_at=captured)
    assert article.published is None or article.published.date() <= captured.date()
    later = extract_article(
        read(SEED_004), "http://a.test/a.html", "x", fetched_at=datetime(2014, 9, 15, tzinfo=UTC)
    )
    assert later.published == datetime(2014, 9, 14, 14, 21, tzinfo=UTC)


PROSE = "<p>" + " ".join(["The coalition said its aircraft struck targets overnight."] * 6) + "</p>"


def undated_page(extra: str = "") -> str:
    return (
        "<html><head><title>Strikes resume</title></head><body><article>"
        f"<h1>Strikes resume</h1>{PROSE * 4}{extra}</article></body></html>"
    )


def test_a_date_the_text_announces_after_the_capture_is_not_the_publish_date():
    captured = datetime(2015, 3, 4, tzinfo=UTC)
    announced = "<p>The next conference is planned for 12 June 2016, the ministry said.</p>"
    article = extract_article(
        undated_page(announced), "http://a.test/news/x", "x", fetched_at=captured
    )
    assert article.published is None or article.published.date() <= captured.date()


@pytest.mark.parametrize(
    "declared",
    [
        '<meta property="og:published_time" content="{}">',
        '<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{}"}}'
        "</script>",
    ],
)
def test_a_page_fetched_the_day_it_was_published_keeps_its_time(declared):
    # Read by htmldate (not newsclaims' own XPaths), whose bound was that day's midnight.
    head = declared.format("2015-03-04T10:30:00+02:00")
    html = undated_page().replace("</head>", head + "</head>")
    article = extract_article(
        html, "http://a.test/news/x", "x", fetched_at=datetime(2015, 3, 4, 15, tzinfo=UTC)
    )
    assert article.published == datetime(2015, 3, 4, 8, 30, tzinfo=UTC)


def test_a_local_date_ahead_of_utc_at_the_fetch_is_kept():
    # 21:00 UTC is already the 4th east of UTC+3: an outlet there may date its page so.
    html = undated_page().replace(
        "</head>", '<meta property="article:published_time" content="2015-03-04"></head>'
    )
    article = extract_article(
        html, "http://a.test/news/x", "x", fetched_at=datetime(2015, 3, 3, 21, tzinfo=UTC)
    )
    assert article.published == datetime(2015, 3, 4, tzinfo=UTC)


@pytest.mark.parametrize(("days", "kept"), [(-1, True), (10, False)])
def test_a_feed_date_after_the_fetch_is_refused(days, kept):
    fetched = datetime(2015, 3, 4, 12, tzinfo=UTC)
    url = "http://a.test/news/x"
    page = FetchedPage(
        url=url,
        requested_url=url,
        source="x",
        status=200,
        html=undated_page(),
        fetched_at=fetched,
        discovered_via="feed",
        feed_published=fetched + timedelta(days=days),
    )
    published = analyse_page(page).article.published
    assert published == (fetched + timedelta(days=days) if kept else None)


@pytest.mark.parametrize(
    ("html", "error", "message"),
    [
        ("", ExtractionError, "empty document"),
        ("\x00\x01\x02PNG garbage" * 50, ExtractionError, "binary"),
        ("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", NotHTML, "PDF"),
        (
            "<html><body><article><p>Too short to be an article.</p></article></body></html>",
            NotAnArticle,
            "words",
        ),
    ],
)
def test_bad_input_is_a_clear_error(html, error, message):
    with pytest.raises(error, match=message):
        extract_article(html, "http://x.test/a", "x")


def test_truncated_html_still_parses():
    html = read(SEED_004)
    cut = html[: len(html) * 2 // 3]
    article = extract_article(
        cut, "http://english.alarabiya.test/a.html", "alarabiya", min_words=50
    )
    assert article.paragraphs


BRIEF = (
    "BRUSSELS, Dec 3 (Wire) - Coalition jets struck oil installations held by militants in "
    "eastern Syria overnight, a spokesman said on Wednesday, adding that all aircraft returned "
    "safely. Further raids were planned for the coming days, he said."
)


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="og:type" content="article">',
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script>',
        # "website" on every page of the site: a publication time says this one is an article
        '<meta property="og:type" content="website">'
        '<meta property="article:published_time" content="2014-12-03T10:00:00Z">',
    ],
)
def test_a_wire_brief_is_an_article(head):
    html = _page(head, f"<article><h1>Jets strike oil sites</h1><p>{BRIEF}</p></article>")
    article = extract_article(html, "http://wire.test/news/brief", "wire")
    assert article.text == BRIEF


def test_a_section_front_of_teaser_links_is_not_an_article():
    teasers = "".join(
        f'<p><a href="/world/2014/12/0{i}/story-{i}.html">Coalition air strikes hit Islamic '
        f"State targets in Syria and Iraq, day {i} of the campaign</a></p>"
        for i in range(1, 9)
    )
    with pytest.raises(NotAnArticle, match="page of links"):
        extract_article(_page("", f"<main><h1>World</h1>{teasers}</main>"), "http://x.test/", "x")


def test_a_bare_list_of_headline_links_is_a_page_of_links():
    """A front page that is only a heading and a list of headline links: trafilatura finds
    no main text in it and falls back to the page's text as one block, without its links;
    the lines that are a link's text still count as link text (it was stored, words
    dated in the headlines making a "website" page look like dated prose)."""
    places = ["Mosul", "Kobani", "Raqqa", "Tikrit", "Baiji", "Sinjar", "Ramadi", "Haditha"]
    verbs = ["hit", "struck", "damaged", "targeted", "pushed back"]
    teasers = "".join(
        f'<li><a href="http://x.test/world/2014/12/0{i % 9 + 1}/story-{i}.html">Air strikes '
        f"{verbs[i % 5]} convoys near {places[i % 8]}</a></li>"
        for i in range(60)
    )
    html = _page(
        '<title>X News</title><meta property="og:type" content="website">',
        f"<h1>X News</h1><ul>{teasers}</ul>",
    )
    with pytest.raises(NotAnArticle, match="page of links"):
        extract_article(html, "http://x.test/", "x")


def test_a_website_page_without_date_or_article_url_is_not_an_article():
    html = _page('<meta property="og:type" content="website">', f"<main><p>{BRIEF}</p></main>")
    with pytest.raises(NotAnArticle, match="website"):
        extract_article(html, "http://x.test/about/", "x")


def test_page_with_an_xml_declaration_extracts():
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + read(SEED_004)
    article = extract_article(html, "http://english.alarabiya.test/a.html", "alarabiya")
    assert article.paragraphs[0].text.startswith("The United States will not coordinate")


# Head metadata trafilatura's own step escapes, trims and falls back on (og:site_name with
# an entity, an author of one word, a JSON-LD block): what trafilatura_document must match.
_METADATA_HEAD = (
    '<meta property="og:site_name" content="Harbour&#039;s  Gazette ">'
    '<meta name="author" content="Editor">'
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A &amp; B",'
    ' "author": {"@type": "Person", "name": "Jane Roe"}, "datePublished": "2026-11-02"}'
    "</script>"
)


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(lambda: read(SEED_004), id="seed-004"),
        pytest.param(lambda: read(SEED_002), id="seed-002"),
        pytest.param(
            lambda: _page(_METADATA_HEAD, "<p>" + "Words of the story. " * 40 + "</p>"), id="head"
        ),
        pytest.param(lambda: _page("", "<p>" + "Undated prose here. " * 30 + "</p>"), id="bare"),
        pytest.param(
            lambda: _page(
                "",
                "<p>" + "Prose before a form. " * 30 + "</p><form action='/s'><label>Q"
                "<input name='q' value='x'></label><select><option>a</select>"
                "<textarea>t</textarea></form><!-- c --><?pi x?>",
            ),
            id="form",
        ),
    ],
)
def test_trafilatura_document_is_bare_extraction_with_metadata(html):
    """Our cheaper call (our parser, no categories/tags/licence, options built once a day,
    no text rendering) must give what trafilatura's own with_metadata call gives, field for
    field and the body's XML: a trafilatura upgrade that changes its metadata step shows
    up here."""
    import trafilatura
    from lxml import etree

    from newsclaims.pages.extraction import _DATE_FORMAT, parse_html, trafilatura_document

    text, url, today = html(), "https://news.example/2026/11/02/a-story-of-words", date(2026, 12, 1)
    ours = trafilatura_document(parse_html(text), url, today)
    theirs = trafilatura.bare_extraction(  # the page as trafilatura parses it itself
        text,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=True,
        deduplicate=False,
        date_extraction_params={
            "extensive_search": True,
            "original_date": True,
            "outputformat": _DATE_FORMAT,
            "max_date": today.isoformat(),
        },
    )
    assert ours is not None and theirs is not None
    for field in ("title", "author", "url", "date", "sitename", "description"):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert etree.tostring(ours.body) == etree.tostring(theirs.body)
