"""Near-duplicate articles on the seed texts: wire copies pass, same-story articles don't."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from newsclaims.similarity.minhash import (
    MinHasher,
    estimated_jaccard,
    estimated_jaccards,
    shingle_hashes,
    token_hashes,
)
from newsclaims.similarity.neardup import (
    ARTICLE_HASHER,
    NEAR_DUPLICATE_THRESHOLD,
    article_signature,
    article_words,
    band_keys,
    estimated_similarity,
    is_near_duplicate,
)

SEEDS = Path(__file__).parent / "data" / "seeds"
SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _paragraphs(name: str) -> list[str]:
    text = (SEEDS / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _wire_copy(paragraphs: list[str]) -> list[str]:
    """Another site's copy: new headline and furniture, last long paragraph trimmed."""
    body = paragraphs[1:]
    last_long = max(i for i, p in enumerate(body) if len(p) > 150)
    body = body[:last_long] + body[last_long + 1 :]
    return [
        "Exclusive: the coalition story everyone is reading",
        "Share this article",
        *body,
        "Related: more from our correspondents",
        "Comments 0",
    ]


def test_seeds_are_present() -> None:
    assert len(SEED_NAMES) == 5


@pytest.mark.parametrize("name", SEED_NAMES)
def test_wire_copy_with_trimmed_paragraph_is_near_duplicate(name: str) -> None:
    original = article_signature(_paragraphs(name))
    copy = article_signature(_wire_copy(_paragraphs(name)))
    assert is_near_duplicate(original, copy)
    assert set(band_keys(original)) & set(band_keys(copy))


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(SEED_NAMES, 2)))
def test_different_articles_on_the_same_story_are_not(a: str, b: str) -> None:
    similarity = estimated_similarity(
        article_signature(_paragraphs(a)), article_signature(_paragraphs(b))
    )
    assert similarity < NEAR_DUPLICATE_THRESHOLD / 2


def test_paragraph_breaks_do_not_matter() -> None:
    paragraphs = _paragraphs(SEED_NAMES[0])
    joined = article_signature(["\n\n".join(paragraphs)])
    assert estimated_similarity(article_signature(paragraphs), joined) == 1.0
    assert band_keys(article_signature(paragraphs)) == band_keys(joined)


def test_band_keys_fit_signed_bigint_and_cover_every_band() -> None:
    keys = band_keys(article_signature(_paragraphs(SEED_NAMES[1])))
    assert [band for band, _ in keys] == list(range(ARTICLE_HASHER.bands))
    assert all(-(2**63) <= bucket < 2**63 for _, bucket in keys)


def test_signatures_are_stable_across_runs() -> None:
    """Band keys live in the database: they must not depend on the process."""
    keys = band_keys(article_signature(["The roughly 1,000 coalition air missions we have flown"]))
    assert keys[:2] == [(0, -419089800259965452), (1, -1082464152686283455)]


def test_empty_article_has_no_keys_and_matches_nothing() -> None:
    empty = article_signature(["", "…"])
    assert empty.shingle_count == 0
    assert band_keys(empty) == []
    assert estimated_similarity(empty, empty) == 0.0


def test_short_article_still_gets_a_shingle() -> None:
    assert article_signature(["Kerry spoke."]).shingle_count == 1
    words = article_words(["Daesh’s  [momentum], dissipated."])
    assert words == ["daeshs", "momentum", "dissipated"]


def test_minhash_estimate_tracks_true_jaccard() -> None:
    """The permutation family must behave like random permutations: unbiased estimates."""
    hasher = MinHasher(bands=40, rows=5)
    errors = []
    for overlap in range(0, 101, 5):
        a = [f"w{i}" for i in range(100)]
        b = [f"w{i}" for i in range(100 - overlap, 200 - overlap)]
        truth = overlap / (200 - overlap)
        estimate = estimated_jaccard(
            hasher.signature(token_hashes(a)), hasher.signature(token_hashes(b))
        )
        errors.append(estimate - truth)
    assert abs(sum(errors) / len(errors)) < 0.02
    assert max(abs(e) for e in errors) < 0.15


def test_scores_in_one_pass_equal_one_pair_at_a_time() -> None:
    """The write scores an article against all its candidates at once: the same floats."""
    hasher = MinHasher(bands=8, rows=3)
    texts = [[f"w{i}" for i in range(3 * k, 3 * k + 40)] for k in range(12)]
    signatures = [hasher.signature(token_hashes(words)) for words in texts]
    article, others = signatures[0], signatures[1:]
    scores = estimated_jaccards(article, np.vstack(others))
    assert scores == [estimated_jaccard(article, other) for other in others]
    assert len(set(scores)) > 2 and all(type(score) is float for score in scores)
    assert estimated_jaccards(article, np.empty((0, len(article)), np.uint64)) == []
    other_hasher = MinHasher(bands=4, rows=3).signature(token_hashes(["a"]))
    with pytest.raises(ValueError, match="different MinHashers"):
        estimated_jaccards(article, other_hasher[None, :])


def test_bulk_signatures_equal_one_at_a_time() -> None:
    hasher = MinHasher(bands=4, rows=2)
    sets = [shingle_hashes(token_hashes(f"a b c {i} d e".split()), 2) for i in range(7)]
    bulk = hasher.signatures(sets, chunk=3)
    assert all((bulk[i] == hasher.signature(s)).all() for i, s in enumerate(sets))
    assert (hasher.band_buckets(bulk)[2] == hasher.band_buckets(hasher.signature(sets[2]))).all()
