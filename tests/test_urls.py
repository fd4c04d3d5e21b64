from newsclaims.discovery.urls import canonical_url, url_hash, url_key


def test_tracking_parameters_and_fragment_are_dropped():
    url = "http://www.ibtimes.test/a/b.html?utm_source=rss&utm_medium=feed&id=7#comments"
    assert canonical_url(url) == "http://www.ibtimes.test/a/b.html?id=7"


def test_www_and_scheme_variants_share_one_key():
    variants = [
        "http://www.ibtimes.test/a/b.html",
        "https://ibtimes.test/a/b.html",
        "https://WWW.ibtimes.test/a/b.html?utm_campaign=x",
        "http://ibtimes.test:80/a/b.html#top",
    ]
    assert len({url_key(v) for v in variants}) == 1
    assert len({url_hash(v) for v in variants}) == 1


def test_real_query_parameters_keep_articles_apart():
    assert url_key("http://x.test/story?id=1") != url_key("http://x.test/story?id=2")


def test_declared_canonical_wins_on_same_site_only():
    page = "http://www.voanews.test/a/old.html?utm_source=x"
    assert canonical_url(page, "/a/new.html") == "http://www.voanews.test/a/new.html"
    assert canonical_url(page, "http://other.test/a.html") == "http://www.voanews.test/a/old.html"
