"""The shared text folding: one definition of "the same words" for every stage."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsclaims.text import _QUOTE_FOLD, fold_quotes, normalize

MARKS = "".join(chr(code) for code in _QUOTE_FOLD)


def test_typographic_quotes_and_apostrophes_become_ascii():
    assert fold_quotes("\u201cIt\u2019s \u00abfine\u00bb\u201d, \u2018ok\u2019 `x\u00b4") == (
        "\"It's \"fine\"\", 'ok' 'x'"
    )
    assert fold_quotes("caf\u00e9 \u2014 na\u00efve") == "caf\u00e9 \u2014 na\u00efve"


@given(st.text(alphabet=st.sampled_from(MARKS + "ab \u00e9\u2014\"'")) | st.text())
def test_folding_is_a_per_character_translation(text):
    assert fold_quotes(text) == text.translate(_QUOTE_FOLD)


def test_normalize_folds_quotes_space_edges_and_case():
    assert normalize("  \u201cWe Will\u00a0Win.\u201d ") == "we will win"


_SPACES = "".join(chr(c) for c in range(0x3000 + 1) if chr(c).isspace()) + "\u205f\u3000"


@given(st.text(alphabet=st.sampled_from(_SPACES + "ab.\u00e9\u200b\ufeff")) | st.text())
def test_collapse_whitespace_is_the_regex_it_replaced(text):
    """str.split and the regex agree on whitespace, every Unicode space included."""
    import re

    from newsclaims.text import collapse_whitespace

    assert collapse_whitespace(text) == re.sub(r"\s+", " ", text).strip()
