"""The five seed articles against the shared spec's quote list (tests/data copies).

Matching follows the spec: texts are compared after `normalize`; a found quote
matches a gold one when the two are equal or one contains the other and covers at
least 80% of it. Gold `optional` quotes are neither required nor errors.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from newsclaims.quotes.extract import extract_quotes, read_text_document
from newsclaims.records import Quote

from .quote_scoring import texts_match

DATA = Path(__file__).parent / "data"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))


def _gold() -> dict[str, list[dict[str, str]]]:
    by_seed: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (DATA / "seed_quotes.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                by_seed[row["seed"]].append(row)
    return by_seed


GOLD = _gold()


def _statements(path: Path) -> list[Quote]:
    headline, paragraphs = read_text_document(path.read_text(encoding="utf-8"))
    quotes = extract_quotes(paragraphs, headline)
    return [q for q in quotes if q.paragraph >= 0 and q.kind != "optional"]


def test_every_seed_has_gold() -> None:
    assert len(SEEDS) == 5
    assert {p.name for p in SEEDS} == set(GOLD)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_recall_with_speaker(path: Path) -> None:
    found = _statements(path)
    missing = []
    for gold in GOLD[path.name]:
        if gold["kind"] == "optional":
            continue
        hits = [q for q in found if texts_match(q.quote, gold["quote"])]
        if not any(q.speaker == gold["speaker"] for q in hits):
            got = [(q.quote[:40], q.speaker) for q in hits]
            missing.append(f"{gold['quote'][:60]!r} by {gold['speaker']}: got {got}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_precision(path: Path) -> None:
    found = _statements(path)
    extra = [
        f"{q.kind} {q.quote[:60]!r} ({q.speaker})"
        for q in found
        if not any(texts_match(q.quote, g["quote"]) for g in GOLD[path.name])
    ]
    assert not extra, "\n".join(extra)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_offsets(path: Path) -> None:
    headline, paragraphs = read_text_document(path.read_text(encoding="utf-8"))
    for quote in extract_quotes(paragraphs, headline):
        source = headline if quote.paragraph == -1 else paragraphs[quote.paragraph]
        assert source is not None
        assert source[quote.start : quote.end] == quote.quote


def test_seed_headline_quote_is_kept_apart() -> None:
    path = DATA / "seeds" / "000_2ce013c3f5691d34.txt"
    headline, paragraphs = read_text_document(path.read_text(encoding="utf-8"))
    head = [q for q in extract_quotes(paragraphs, headline) if q.paragraph == -1]
    assert [(q.quote, q.kind) for q in head] == [("Significant Impact", "optional")]


def test_seed_deconflict_is_not_a_statement() -> None:
    path = DATA / "seeds" / "004_66dee65abf995aa3.txt"
    headline, paragraphs = read_text_document(path.read_text(encoding="utf-8"))
    quotes = extract_quotes(paragraphs, headline)
    deconflict = [q for q in quotes if q.quote == "deconflict"]
    assert [q.kind for q in deconflict] == ["optional"]
