from newsclaims.discovery.feeds import parse_feed, parse_sitemap

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>http://a.test/one.html</loc>
    <news:news><news:publication><news:name>A</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2014-12-03T10:15:00+01:00</news:publication_date>
      <news:title>Kerry hails strikes</news:title></news:news></url>
  <url><loc>http://a.test/two.html</loc><lastmod>2014-12-04</lastmod></url>
</urlset>"""


def test_news_sitemap_keeps_news_title_and_date():
    content = parse_sitemap(NEWS_SITEMAP)
    first, second = content.entries
    assert first.title == "Kerry hails strikes"
    assert first.published.isoformat() == "2014-12-03T09:15:00+00:00"
    assert second.title is None and second.published.year == 2014


def test_sitemap_index_lists_children():
    body = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>http://a.test/s1.xml</loc></sitemap><sitemap><loc>http://a.test/s2.xml</loc></sitemap>
    </sitemapindex>"""
    content = parse_sitemap(body)
    assert content.child_sitemaps == ["http://a.test/s1.xml", "http://a.test/s2.xml"]
    assert content.entries == []


def test_rss_and_atom_entries():
    rss = b"""<rss version="2.0"><channel><title>t</title><item><title>A</title>
      <link>http://a.test/a.html</link><pubDate>Wed, 03 Dec 2014 10:00:00 GMT</pubDate></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>B</title>
      <link href="http://b.test/b.html"/><updated>2015-10-01T12:00:00Z</updated></entry></feed>"""
    (a,) = parse_feed(rss)
    (b,) = parse_feed(atom)
    assert (a.url, a.published.day) == ("http://a.test/a.html", 3)
    assert (b.url, b.published.month) == ("http://b.test/b.html", 10)


def test_garbage_is_not_an_error():
    assert parse_feed(b"\x00\x01 not xml") == []
    assert parse_sitemap(b"<<<>>> not xml").entries == []
