"""Scrapy's check of generator callbacks, made here once instead of on every response."""

from __future__ import annotations

import inspect

from scrapy.utils.misc import is_generator_with_return_value

from newsclaims.spiders.news import NewsSpider


def _generator_methods() -> list[str]:
    return [
        name
        for name, function in inspect.getmembers(NewsSpider, inspect.isfunction)
        if inspect.isgeneratorfunction(function)
    ]


def test_no_spider_callback_returns_a_value_from_a_generator() -> None:
    """What WARN_ON_GENERATOR_RETURN_VALUE would warn about (the setting is off, see
    settings.py): a value returned from a callback generator is silently dropped."""
    names = _generator_methods()
    assert {"parse_feed", "parse_sitemap", "parse_page"} <= set(names)
    spider = NewsSpider.__new__(NewsSpider)
    for name in names:
        assert not is_generator_with_return_value(getattr(spider, name)), name


def test_the_check_finds_a_generator_that_returns_a_value() -> None:
    """The check above can fail: Scrapy's test sees a returned value."""

    class Returning:
        def parse(self):  # type: ignore[no-untyped-def]
            yield 1
            return 2

    assert is_generator_with_return_value(Returning().parse)
