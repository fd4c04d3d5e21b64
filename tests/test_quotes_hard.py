"""Precision, recall and speaker accuracy on the annotator's hard set.

The set (tests/data/quotes_hard/) was written independently of the extractor; it is
read as is, never tuned. The floors below sit just under what the extractor
measures, so a regression fails while the numbers stay visible (`pytest -s`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .quote_scoring import Scores, report, score

HARD = Path(__file__).parent / "data" / "quotes_hard"


# Measured 1.000 / 1.000 / 1.000 (144 of 144 each); one slip of 144 is 0.993.
RECALL_FLOOR = 0.98
PRECISION_FLOOR = 0.98
SPEAKER_FLOOR = 0.97
NOT_STATEMENT_HITS_MAX = 0


@pytest.fixture(scope="module")
def measured() -> Scores:
    totals, notes = score(HARD)
    report("hard set", totals, notes)
    return totals


def test_hard_recall(measured: Scores) -> None:
    assert measured.recall >= RECALL_FLOOR


def test_hard_precision(measured: Scores) -> None:
    assert measured.precision >= PRECISION_FLOOR


def test_hard_speaker_accuracy(measured: Scores) -> None:
    assert measured.speaker_accuracy >= SPEAKER_FLOOR


def test_hard_not_statements_stay_out(measured: Scores) -> None:
    assert measured.not_statement_hits <= NOT_STATEMENT_HITS_MAX
