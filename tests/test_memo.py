"""The word caches: same answers as the function, and nothing for the collector to walk."""

from __future__ import annotations

import gc

from newsclaims.quotes.wordclass import word_flags
from newsclaims.speakers.memo import pair_memo, word_memo
from newsclaims.speakers.organisations import names_same_org
from newsclaims.speakers.words import bare, bare_uncached


def test_word_memo_answers_as_the_function_and_empties_when_full() -> None:
    calls: list[str] = []

    @word_memo(2)
    def length(word: str) -> int:
        calls.append(word)
        return len(word)

    assert [length(w) for w in ["ab", "abc", "ab", "abcd", "abc"]] == [2, 3, 2, 4, 3]
    assert calls == ["ab", "abc", "abcd", "abc"]  # full at "abcd": emptied, "abc" asked again
    assert length.cache == {"abcd": 4, "abc": 3}  # type: ignore[attr-defined]


def test_pair_memo_tells_pairs_apart_whose_strings_join_alike() -> None:
    @pair_memo(16)
    def joined(a: str, b: str) -> str:
        return a + "|" + b

    assert joined("ab", "c") == "ab|c"
    assert joined("a", "bc") == "a|bc"
    assert joined("1:a", "") == "1:a|"
    assert joined("", "1:a") == "|1:a"


def test_word_caches_are_invisible_to_the_garbage_collector() -> None:
    for word in ["Kerry", "said", "spokesman", "Daesh's", "U.S."]:
        word_flags(word)
        bare(word)
    names_same_org("SOHR", "Syrian Observatory for Human Rights")
    for fn in (word_flags, bare, names_same_org):
        assert fn.cache  # type: ignore[attr-defined]
        assert not gc.is_tracked(fn.cache)  # type: ignore[attr-defined]


def test_bare_uncached_is_bare() -> None:
    for word in ["Kerry's", "U.S.", "’90s", "Assad’s", "said."]:
        assert bare(word) == bare_uncached(word)
