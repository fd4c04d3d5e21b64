"""Property tests: any text comes back without error and with exact offsets.

Crawled pages carry broken markup, unbalanced and mismatched marks and stray
apostrophes; the extractor must never raise on them and every quote it returns
must point at exactly its own text.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclaims.quotes.extract import extract_quotes, read_text_document
from newsclaims.records import Quote

MARKS = ['"', "“", "”", "„", "‟", "«", "»", "‹", "›", "'", "‘", "’", "‚"]
PIECES = [
    *MARKS,
    " said ",
    " says ",
    " told reporters",
    " added",
    " according to ",
    " he ",
    " she ",
    "He ",
    " Kerry",
    " John Kerry",
    " U.S. Secretary of State ",
    " the secretary of state ",
    " Pentagon spokesman Rear Admiral John Kirby",
    " the spokesman",
    " Daesh's",
    " don't",
    " '90s",
    " rock 'n' roll",
    ", ",
    ". ",
    ": ",
    "; ",
    " — ",
    "…",
    "\n",
    "\n\n",
    " We will win",
    " called the allegations ",
    " al-Assad",
    " Dr. ",
    " Mr. ",
    " (",
    ")",
    "  ",
]

texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=60).map("".join)


def _check_offsets(paragraphs: list[str], headline: str | None, quotes: list[Quote]) -> None:
    for quote in quotes:
        source = headline if quote.paragraph == -1 else paragraphs[quote.paragraph]
        assert source is not None
        assert 0 <= quote.start < quote.end <= len(source)
        assert source[quote.start : quote.end] == quote.quote
        if quote.paragraph == -1:
            assert quote.kind == "optional"


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_document_round_trips_offsets(text: str) -> None:
    headline, paragraphs = read_text_document(text)
    quotes = extract_quotes(paragraphs, headline)
    _check_offsets(paragraphs, headline, quotes)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, max_size=6), st.none() | texts)
def test_any_paragraph_list_round_trips_offsets(
    paragraphs: list[str], headline: str | None
) -> None:
    quotes = extract_quotes(paragraphs, headline)
    _check_offsets(paragraphs, headline, quotes)


@settings(max_examples=200)
@given(st.lists(st.text(max_size=40), max_size=5))
def test_arbitrary_unicode_never_raises(paragraphs: list[str]) -> None:
    quotes = extract_quotes(paragraphs, paragraphs[0] if paragraphs else None)
    _check_offsets(paragraphs, paragraphs[0] if paragraphs else None, quotes)


@settings(max_examples=200)
@given(texts)
def test_quotes_come_in_reading_order(text: str) -> None:
    _, paragraphs = read_text_document(text)
    body = [q for q in extract_quotes(paragraphs) if q.paragraph >= 0]
    positions = [(q.paragraph, q.start) for q in body]
    assert positions == sorted(positions)


@settings(max_examples=200)
@given(texts)
def test_speakers_are_stated_in_the_text(text: str) -> None:
    """Never guess: every speaker's surname appears in the article's own words (headline included)."""
    headline, paragraphs = read_text_document(text)
    article = "\n".join([headline or "", *paragraphs])
    for quote in extract_quotes(paragraphs, headline):
        if quote.speaker is not None:
            assert quote.speaker.split()[-1] in article


def test_read_text_document_splits_headline_and_paragraphs() -> None:
    text = "\n  Headline here \n\nFirst paragraph.\n   \n  Second one.\n"
    assert read_text_document(text) == ("Headline here", ["First paragraph.", "Second one."])
    assert read_text_document(" \n\n") == (None, [])
