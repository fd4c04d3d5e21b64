"""Sentence splitting, the matching form, tolerated variants and rejected look-alikes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclaims.claims.forms import match_form
from newsclaims.claims.index import ClaimIndex
from newsclaims.claims.matching import MATCH_THRESHOLD, claim_similarity
from newsclaims.claims.sentences import claim_sentences
from newsclaims.claims.wording import Edit, wording_diff

SEED_000_IMPACT = (
    "Our impact will be measured most likely in years but our efforts are already having a "
    "significant impact."
)


def _texts(quote: str) -> list[str]:
    return [span.text for span in claim_sentences(quote)]


def _similarity(a: str, b: str) -> float:
    return claim_similarity(match_form(a).split(), match_form(b).split())


@pytest.mark.parametrize(
    ("quote", "sentences"),
    [
        (
            "We are flying missions over Iraq. We coordinate with the Iraqi government.",
            ["We are flying missions over Iraq.", "We coordinate with the Iraqi government."],
        ),
        (
            "The U.S. will not coordinate with Dr. Assad.",
            ["The U.S. will not coordinate with Dr. Assad."],
        ),
        (
            "We flew roughly 1,000 missions in 3.5 months.",
            ["We flew roughly 1,000 missions in 3.5 months."],
        ),
        ("it gives… the credibility", ["it gives… the credibility"]),
        ("a transition...which would unite all", ["a transition...which would unite all"]),
        (
            "Daesh's [Arab term for Islamic State. Ed.] leadership is hit.",
            ["Daesh's [Arab term for Islamic State. Ed.] leadership is hit."],
        ),
        ("Look at the U.S. We are here.", ["Look at the U.S.", "We are here."]),
        ("No. We are not.", ["No.", "We are not."]),
        ("Yes! …", ["Yes!"]),
    ],
)
def test_claim_sentences(quote: str, sentences: list[str]) -> None:
    assert _texts(quote) == sentences


def test_sentence_offsets_point_into_the_quote() -> None:
    quote = "  We are here. We are here.  Then we left,"
    spans = claim_sentences(quote)
    assert [(s.start, s.end) for s in spans] == [(2, 14), (15, 27), (29, 42)]
    assert all(quote[s.start : s.end] == s.text for s in spans)


def test_empty_quote_has_no_sentences() -> None:
    assert claim_sentences("") == []
    assert claim_sentences(" … ") == []


@given(st.text(alphabet=st.sampled_from("ab .,…?!'[]()\n1"), max_size=60))
def test_sentence_offsets_always_match_the_text(quote: str) -> None:
    spans = claim_sentences(quote)
    assert all(quote[s.start : s.end] == s.text for s in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize(
    ("sentence", "form"),
    [
        ("It's much harder now,", "it is much harder now"),
        ("We're not doing that.", "we are not doing that"),
        ("You can't end it; we don't, we won't.", "you can not end it we do not we will not"),
        ("“Daesh’s [Arab term for Islamic State] leadership”", "daeshs leadership"),
        ("make certain they're (Syria) not about to", "make certain they are not about to"),
        ("it gives… the credibility ... and . . . reach", "it gives the credibility and reach"),
        ("roughly 1,000 air missions, 3.5 percent", "roughly 1000 air missions 3.5 percent"),
        ("The U.S.-led coalition", "the us led coalition"),
        ("in convoys, and to launch", "in convoys and to launch"),
    ],
)
def test_match_form(sentence: str, form: str) -> None:
    assert match_form(sentence) == form


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (SEED_000_IMPACT, SEED_000_IMPACT.replace("Our impact", "Our commitment")),
        (
            "It's much harder now than when we started for Daesh to assemble forces in strength",
            "It is much harder now than when we started for Daesh to assemble forces in strength",
        ),
        (
            "No large Daesh unit can move forward without worrying what will come",
            "No large Daesh unit can move forward without worrying about what will come",
        ),
        (
            "The roughly 1,000 air missions we have flown have reduced Daesh's leadership",
            "The roughly 1,000 air missions that we have flown have reduced Daesh's "
            "[Arab term for Islamic State] leadership",
        ),
        (
            "to assemble forces in strength, to travel in convoys and to launch concerted attacks",
            "to assemble forces in strength, to travel in convoys, and to launch concerted attacks",
        ),
        ("a political transition which would unite", "a political transition…which would unite"),
    ],
)
def test_tolerated_variants_match(a: str, b: str) -> None:
    assert _similarity(a, b) >= MATCH_THRESHOLD
    index = ClaimIndex()
    first, _, _ = index.add_or_match("John Kerry", a)
    assert index.add_or_match("John Kerry", b)[:1] == (first,)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (SEED_000_IMPACT, "Our efforts are already having a significant impact."),
        (
            "In much of Iraq, Daesh's earlier momentum has dissipated.",
            "In much of Syria, Daesh's momentum is growing again.",
        ),
        ("We are flying missions over Iraq.", "We are not flying missions over Iraq."),
        ("We're not doing that.", "We are doing that."),
        (
            "The US will coordinate with Iran on strikes in Iraq.",
            "Iran will coordinate with the US on strikes in Iraq.",
        ),
    ],
)
def test_different_statements_do_not_match(a: str, b: str) -> None:
    assert _similarity(a, b) < MATCH_THRESHOLD
    index = ClaimIndex()
    index.add_or_match("John Kerry", a)
    assert index.add_or_match("John Kerry", b)[2] is True


def test_same_words_from_another_speaker_are_another_claim() -> None:
    index = ClaimIndex()
    kerry, _, _ = index.add_or_match("John Kerry", "We are flying missions, Iraq.")
    kirby, similarity, is_new = index.add_or_match("John Kirby", "We are flying missions, Iraq.")
    assert is_new and kirby != kerry and similarity == 1.0


def test_match_reports_similarity_and_keeps_first_wording_canonical() -> None:
    index = ClaimIndex()
    claim, _, _ = index.add_or_match("John Kerry", SEED_000_IMPACT)
    variant = SEED_000_IMPACT.replace("Our impact", "Our commitment")
    matched, similarity, is_new = index.add_or_match("John Kerry", variant)
    assert (matched, is_new) == (claim, False)
    assert MATCH_THRESHOLD <= similarity < 1.0
    assert index.canonical(claim) == SEED_000_IMPACT


def test_bulk_loaded_claims_are_found() -> None:
    index = ClaimIndex()
    ids = index.extend("John Kerry", ["We are flying missions over Iraq.", SEED_000_IMPACT])
    assert index.add_or_match("John Kerry", "We're flying missions over Iraq,")[:1] == (ids[0],)
    assert len(index) == 2


def test_empty_sentence_is_refused() -> None:
    with pytest.raises(ValueError, match="no words"):
        ClaimIndex().add_or_match("John Kerry", "…")


def test_wording_diff_replace_keeps_outlet_words() -> None:
    edits = wording_diff(
        SEED_000_IMPACT,
        "“Our commitment will be measured most likely in years "
        "but our efforts are already having a significant impact,”",
    )
    assert edits == [Edit(1, "replace", "impact", "commitment")]


def test_wording_diff_ignores_quote_marks_case_and_edge_punctuation() -> None:
    assert wording_diff("Daesh’s leadership, it said.", "daesh's Leadership it said") == []


def test_wording_diff_insert_and_delete() -> None:
    edits = wording_diff("without worrying what will come", "without worrying about what will")
    assert edits == [
        Edit(2, "insert", "", "about"),
        Edit(4, "delete", "come", ""),
    ]


def test_wording_diff_contraction_is_a_visible_difference() -> None:
    assert wording_diff("It's much harder", "It is much harder") == [
        Edit(0, "replace", "It's", "It is")
    ]


# Words and separators that pysbd has rules about (abbreviations, single letters and roman
# numerals before a period, exclamation words, list numbers, possessives before a capital).
_WORDS = ["we", "will", "win", "The", "U", "S", "Inc", "Dr", "Mr", "Jr", "No", "vs", "etc",
          "i", "ii", "iv", "a", "b", "I", "A", "Yahoo", "AM", "pm", "Co", "KG", "Sen", "Gen",
          "Corp", "café", "Über", "ß", "×", "1", "12", "2016", "3rd", "s", "t", "ll"]  # fmt: skip
_SEPARATORS = [" ", " ", " ", "  ", ", ", "; ", ": ", " - ", "-", " – ", "—", "'", "’", "' ",
               "s' ", " '", "-' ", "-’ ", "'-", " & ", "%", "$", "/", "#", "+", "=", "@"]  # fmt: skip


@st.composite
def _plain_quotes(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12))
    seps = draw(st.lists(st.sampled_from(_SEPARATORS), min_size=len(words), max_size=len(words)))
    head = draw(st.sampled_from(["", "", "'", " ", "’", "'Cause "]))
    tail = draw(st.sampled_from(["", "", ".", "!", "?", ",", "'", "-", "..", "!!", " ."]))
    return head + "".join(w + s for w, s in zip(words, seps, strict=True))[: -len(seps[-1])] + tail


@given(_plain_quotes())
@settings(max_examples=2000, deadline=None)
def test_the_one_sentence_shortcut_is_what_pysbd_says(quote):
    """claim_sentences skips pysbd for quotes of one plain sentence: the same spans."""
    from newsclaims.claims.sentences import _segmented

    assert claim_sentences(quote) == _segmented(quote)
