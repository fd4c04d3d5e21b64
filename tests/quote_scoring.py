"""Scoring a quote extractor against an annotated set, with the spec's matching rule.

Shared by the hard (development) set and the blind held-out set.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from newsclaims.quotes.extract import extract_quotes, read_text_document
from newsclaims.records import Quote
from newsclaims.text import normalize


def texts_match(found: str, gold: str) -> bool:
    """The spec's rule: equal, or one contains the other and covers 80% of it."""
    a, b = normalize(found), normalize(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return short in long and len(short) >= 0.8 * len(long)


def _rows(directory: Path, name: str) -> dict[str, list[dict[str, str | None]]]:
    by_doc: dict[str, list[dict[str, str | None]]] = defaultdict(list)
    with (directory / name).open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                by_doc[row["doc"]].append(row)
    return by_doc


def _statements(directory: Path, doc: str) -> list[Quote]:
    headline, paragraphs = read_text_document((directory / doc).read_text(encoding="utf-8"))
    found = [q for q in extract_quotes(paragraphs, headline) if q.paragraph >= 0]
    distinct: dict[str, Quote] = {}
    for quote in found:
        if quote.kind != "optional":
            distinct.setdefault(normalize(quote.quote), quote)
    return list(distinct.values())


@dataclass
class Scores:
    gold: int = 0
    found: int = 0
    matched_gold: int = 0
    matched_found: int = 0
    right_speaker: int = 0
    not_statement_hits: int = 0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched_found / self.found if self.found else 1.0

    @property
    def speaker_accuracy(self) -> float:
        return self.right_speaker / self.matched_gold if self.matched_gold else 1.0


def _speaker_right(quote: Quote, gold: object) -> bool:
    """These sets were annotated when only people could speak: their None for an unnamed
    source or an organisation accepts the description or the organisation given now."""
    if gold is None and quote.speaker_type in ("unnamed", "organisation"):
        return True
    return quote.speaker == gold


def score(directory: Path) -> tuple[Scores, list[str]]:
    """Score every document; returns the totals and a line per miss for the report."""
    gold_by_doc = _rows(directory, "gold.jsonl")
    not_by_doc = _rows(directory, "not_statements.jsonl")
    totals = Scores()
    notes: list[str] = []
    for doc in sorted(gold_by_doc):
        found = _statements(directory, doc)
        gold = gold_by_doc[doc]
        totals.gold += len(gold)
        totals.found += len(found)
        for row in gold:
            hits = [q for q in found if texts_match(q.quote, str(row["quote"]))]
            if not hits:
                notes.append(f"MISS {doc}: {str(row['quote'])[:70]!r}")
                continue
            totals.matched_gold += 1
            if any(_speaker_right(q, row["speaker"]) for q in hits):
                totals.right_speaker += 1
            else:
                got = hits[0].speaker
                notes.append(f"SPEAKER {doc}: {str(row['quote'])[:50]!r} {row['speaker']} != {got}")
        for quote in found:
            if any(texts_match(quote.quote, str(row["quote"])) for row in gold):
                totals.matched_found += 1
            else:
                notes.append(f"EXTRA {doc}: {quote.kind} {quote.quote[:70]!r} ({quote.speaker})")
        for row in not_by_doc.get(doc, []):
            if any(texts_match(q.quote, str(row["quote"])) for q in found):
                totals.not_statement_hits += 1
    return totals, notes


def report(name: str, totals: Scores, notes: list[str]) -> None:
    print(
        f"\n{name}: recall {totals.recall:.3f} ({totals.matched_gold}/{totals.gold}), "
        f"precision {totals.precision:.3f} ({totals.matched_found}/{totals.found}), "
        f"speaker accuracy {totals.speaker_accuracy:.3f} "
        f"({totals.right_speaker}/{totals.matched_gold}), "
        f"not-statements reported {totals.not_statement_hits}"
    )
    for note in notes:
        print(note)
