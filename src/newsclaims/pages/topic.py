"""Topic scoring: is this article about the configured story?

A weighted bag of terms and phrases is crude but transparent: an analyst can read
the profile in the sources file and see why a page was kept or skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newsclaims.config.sources import TopicProfile
from newsclaims.text import fold_quotes

# A term counts at most this often, so one repeated word cannot carry a page.
MAX_HITS_PER_TERM = 3


@dataclass(frozen=True)
class TopicVerdict:
    score: float
    on_topic: bool
    hits: dict[str, int]
    missing: tuple[str, ...] = ()
    """Required groups of terms of which none occurred."""

    def explain(self) -> str:
        """'score 9.0 ≥ 6.0: warplanes×2, mosul×1', or what is missing."""
        terms = ", ".join(f"{t}×{n}" for t, n in sorted(self.hits.items())) or "no terms"
        missing = f"; no {' and no '.join(self.missing)} term" if self.missing else ""
        return f"score {self.score:g}: {terms}{missing}"


@lru_cache(maxsize=32)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first so "air strikes" wins over "air strike" at the same position.
    alternatives = sorted((re.escape(t.lower()) for t in terms), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(alternatives) + r")(?![\w-])")


def _count(text: str, profile: TopicProfile) -> dict[str, int]:
    hits: dict[str, int] = {}
    for match in _pattern(tuple(profile.terms)).finditer(fold_quotes(text).lower()):
        term = match.group(1)
        hits[term] = min(hits.get(term, 0) + 1, MAX_HITS_PER_TERM)
    return hits


def score_topic(title: str | None, body: str, profile: TopicProfile) -> TopicVerdict:
    """Weighted hits in the body plus title hits multiplied by ``title_weight``."""
    body_hits = _count(body, profile)
    title_hits = _count(title or "", profile)
    score = sum(profile.terms[t] * n for t, n in body_hits.items())
    score += sum(profile.terms[t] * n * profile.title_weight for t, n in title_hits.items())
    merged = dict(body_hits)
    for term, n in title_hits.items():
        merged[term] = merged.get(term, 0) + n
    missing = tuple(
        name
        for name, group in profile.require.items()
        if not any(term.lower() in merged for term in group)
    )
    on_topic = score >= profile.threshold and not missing
    return TopicVerdict(round(score, 3), on_topic, merged, missing)
