"""The blind held-out set: written by a second annotator after the extractor was finished.

Never used for tuning: these numbers are the honest estimate of the extractor's quality
on unseen text. Floors sit just under what was measured when the set arrived
(recall 0.958 = 91/95, precision 1.000 = 91/91, speaker accuracy 0.912 = 83/91).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .quote_scoring import Scores, report, score

HELD_OUT = Path(__file__).parent / "data" / "quotes_heldout"

RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.98
SPEAKER_FLOOR = 0.90


@pytest.fixture(scope="module")
def measured() -> Scores:
    totals, notes = score(HELD_OUT)
    report("held-out set", totals, notes)
    return totals


def test_held_out_set_is_big_enough(measured: Scores) -> None:
    assert measured.gold >= 60


def test_held_out_recall(measured: Scores) -> None:
    assert measured.recall >= RECALL_FLOOR


def test_held_out_precision(measured: Scores) -> None:
    assert measured.precision >= PRECISION_FLOOR


def test_held_out_speaker_accuracy(measured: Scores) -> None:
    assert measured.speaker_accuracy >= SPEAKER_FLOOR


def test_held_out_not_statements_stay_out(measured: Scores) -> None:
    assert measured.not_statement_hits == 0
