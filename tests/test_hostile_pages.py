"""Degenerate pages, one stage at a time: bounded work and bounded, flagged results."""

from __future__ import annotations

import random

from rapidfuzz import fuzz

from newsclaims import settings
from newsclaims.config.sources import TopicProfile
from newsclaims.fixtureweb.hostile import STATIC
from newsclaims.pages import paragraphs as dedup
from newsclaims.pages.analyse import AnalysisOptions, analyse_page, bounded_quotes
from newsclaims.pages.decoding import decode_html, page_text
from newsclaims.records import FetchedPage, Paragraph

HARBOUR = AnalysisOptions(
    topic=TopicProfile(name="harbour", threshold=2.0, terms={"harbour": 1.0, "quay": 1.0})
)


def _analyse(path: str):
    html = STATIC[path]().body.decode("utf-8")
    url = f"http://127.0.0.1:8/{path.lstrip('/')}"
    page = FetchedPage(url=url, requested_url=url, source="hostile", status=200, html=html)
    return analyse_page(page, HARBOUR)


def test_a_paragraph_of_60000_quote_marks_yields_no_quotes_and_a_note():
    article = _analyse("/quote-flood.html").article
    assert article.quotes == []
    assert article.notes and "60000 marks" in article.notes[0]


def test_quotes_without_words_are_dropped_and_crowded_paragraphs_capped_with_a_note():
    crowded = " ".join(f'"word{i}"' for i in range(120))  # 240 marks: under the mark limit
    junk = '"," "." "!"'
    quotes, notes = bounded_quotes([crowded, junk], None)
    per_paragraph = settings.NEWSCLAIMS_MAX_QUOTES_PER_PARAGRAPH
    assert len([q for q in quotes if q.paragraph == 0]) == per_paragraph
    assert not [q for q in quotes if q.paragraph == 1]
    assert any("quotes capped" in note for note in notes)


def test_paragraph_dedup_compares_each_paragraph_with_a_bounded_number_of_others(monkeypatch):
    """Linear: at most a few near-repeat comparisons per paragraph (it was every pair)."""
    calls = [0]

    class CountingFuzz:
        @staticmethod
        def ratio(*args, **kwargs):
            calls[0] += 1
            return fuzz.ratio(*args, **kwargs)

    monkeypatch.setattr(dedup, "fuzz", CountingFuzz)
    rng = random.Random(3)
    words = [f"w{n}" for n in range(2000)]
    texts = [" ".join(rng.choices(words, k=25)) + f" ({i})." for i in range(3000)]
    near = texts[10][:-3] + "0)!"  # one character changed, one added
    kept, dropped = dedup.drop_repeated_paragraphs(
        [Paragraph(position=i, text=t) for i, t in enumerate([*texts, texts[5], near])]
    )
    assert dropped == 2 and len(kept) == 3000
    assert calls[0] <= 8 * len(texts)


def test_a_lying_latin1_header_on_utf8_bytes_is_read_as_utf8():
    body = "<p>\u201cOur café\u201d</p>".encode()
    text, encoding = decode_html(body, "text/html; charset=iso-8859-1")
    assert encoding == "utf-8" and "\u201cOur café\u201d" in text
    latin = "<p>café</p>".encode("latin-1")  # a real latin-1 page stays latin-1
    assert page_text(latin, latin.decode("cp1252"), "cp1252") == ("<p>café</p>", "cp1252")
