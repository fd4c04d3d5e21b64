"""The seed outlets' gold quotes must group into exactly the claims of seed_claims.json."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsclaims.claims.index import ClaimIndex
from newsclaims.claims.sentences import claim_sentences
from newsclaims.claims.wording import wording_diff
from newsclaims.text import normalize

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Mention:
    seed: str
    quote: str
    wording: str
    similarity: float


def _gold_quotes() -> list[dict[str, str]]:
    with (DATA / "seed_quotes.jsonl").open(encoding="utf-8") as lines:
        quotes = [json.loads(line) for line in lines if line.strip()]
    return [q for q in quotes if q["kind"] in {"direct", "partial"}]


def _expected_groups() -> list[dict]:
    return json.loads((DATA / "seed_claims.json").read_text(encoding="utf-8"))["claims"]


@pytest.fixture(scope="module")
def seeded() -> tuple[ClaimIndex, dict[int, list[Mention]]]:
    """Every gold quote's sentences fed through one index, mentions grouped by claim."""
    index = ClaimIndex()
    mentions: dict[int, list[Mention]] = defaultdict(list)
    for quote in _gold_quotes():
        for span in claim_sentences(quote["quote"]):
            claim_id, similarity, _ = index.add_or_match(quote["speaker"], span.text)
            mentions[claim_id].append(Mention(quote["seed"], quote["quote"], span.text, similarity))
    return index, mentions


def _claim_for(mentions: dict[int, list[Mention]], wording_example: str) -> int:
    wanted = normalize(wording_example)
    found = [
        claim_id
        for claim_id, group in mentions.items()
        if any(normalize(m.wording) == wanted for m in group)
    ]
    assert len(found) == 1, f"{wording_example!r} found in claims {found}"
    return found[0]


def _example(prefix: str) -> str:
    """The full wording example of the expected group that starts with ``prefix``."""
    (example,) = [
        g["wording_example"] for g in _expected_groups() if g["wording_example"].startswith(prefix)
    ]
    return example


@pytest.mark.parametrize("group", _expected_groups(), ids=lambda g: g["wording_example"][:40])
def test_expected_group_is_one_claim_across_its_seeds(seeded, group) -> None:
    index, mentions = seeded
    claim_id = _claim_for(mentions, group["wording_example"])
    assert {m.seed for m in mentions[claim_id]} == set(group["seeds"])
    assert index.speaker(claim_id) == group["speaker"]


def test_no_other_claim_spans_two_seeds(seeded) -> None:
    _, mentions = seeded
    expected = {_claim_for(mentions, g["wording_example"]) for g in _expected_groups()}
    spanning = {c for c, group in mentions.items() if len({m.seed for m in group}) > 1}
    assert spanning == expected


def test_each_outlet_wording_is_kept(seeded) -> None:
    _, mentions = seeded
    for group in _expected_groups():
        for mention in mentions[_claim_for(mentions, group["wording_example"])]:
            assert mention.wording in mention.quote


def test_wording_differences_show_as_edits(seeded) -> None:
    index, mentions = seeded
    claim_id = _claim_for(mentions, _example("Our impact"))
    edits = {
        (e.operation, e.canonical_words, e.outlet_words)
        for m in mentions[claim_id]
        for e in wording_diff(index.canonical(claim_id), m.wording)
    }
    assert ("replace", "impact", "commitment") in edits


def test_bracketed_insertion_and_added_word_are_edits_not_new_claims(seeded) -> None:
    index, mentions = seeded
    claim_id = _claim_for(mentions, _example("The roughly 1,000"))
    seed_002 = [m for m in mentions[claim_id] if m.seed.startswith("002")]
    assert len(seed_002) == 1
    edits = wording_diff(index.canonical(claim_id), seed_002[0].wording)
    assert {(e.operation, e.outlet_words) for e in edits} == {
        ("insert", "that"),
        ("insert", "[Arab term for Islamic State]"),
    }
    assert seed_002[0].similarity < 1.0


def test_sub_sentence_of_seed_000_is_its_own_claim(seeded) -> None:
    _, mentions = seeded
    short = _claim_for(mentions, "Our efforts are already having a significant impact.")
    long = _claim_for(mentions, _example("Our impact"))
    assert short != long
    assert {m.seed for m in mentions[short]} == {"002_a38e21f1c74f349b.txt"}
