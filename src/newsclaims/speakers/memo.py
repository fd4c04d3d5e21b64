"""Memoised word tests whose cache the cyclic garbage collector never walks.

`functools.lru_cache` keeps its entries in a linked list that every full
collection traverses: with the word caches warm (~250,000 entries) one full
collection took ~80 ms, a quarter of the quote finder's time. A plain dict of
strings to strings, numbers, booleans or None holds nothing the collector
tracks, so CPython leaves it untracked and never visits it. Only for pure
functions of one string whose answers are such atoms: when full the dict is
emptied (no recency order), which changes no answer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, TypeVar

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., Any])


def word_memo(maxsize: int) -> Callable[[Callable[[str], _T]], Callable[[str], _T]]:
    """Like `lru_cache(maxsize)` for `fn(word) -> atom`, but invisible to the collector."""

    def decorate(fn: Callable[[str], _T]) -> Callable[[str], _T]:
        cache: dict[str, _T] = {}

        def cached(word: str) -> _T:
            try:
                return cache[word]
            except KeyError:
                return _remember(cache, maxsize, word, fn(word))

        return _exposed(cached, fn, cache)

    return decorate


def pair_memo(maxsize: int) -> Callable[[Callable[[str, str], _T]], Callable[[str, str], _T]]:
    """`word_memo` for `fn(a, b)`: the key is one string, `a`'s length, `:`, `a`, `b`, which
    tells every pair apart (a tuple key would be a tracked object)."""

    def decorate(fn: Callable[[str, str], _T]) -> Callable[[str, str], _T]:
        cache: dict[str, _T] = {}

        def cached(a: str, b: str) -> _T:
            key = f"{len(a)}:{a}{b}"
            try:
                return cache[key]
            except KeyError:
                return _remember(cache, maxsize, key, fn(a, b))

        return _exposed(cached, fn, cache)

    return decorate


def _remember(cache: dict[str, _T], maxsize: int, key: str, value: _T) -> _T:
    """Keep ``value`` (a full cache is emptied first: the functions are pure)."""
    if len(cache) >= maxsize:
        cache.clear()
    cache[key] = value
    return value


def _exposed(cached: _F, fn: Callable[..., object], cache: dict[str, Any]) -> _F:
    """``cached`` named like ``fn``, its cache readable as ``.cache`` (for the tests)."""
    update_wrapper(cached, fn)
    cached.cache = cache  # type: ignore[attr-defined]
    return cached
