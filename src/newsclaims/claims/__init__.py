"""Claims: one statement (sentence) by one speaker, however many outlets quoted it.

Pure logic, no database: quotes are split into sentences (``sentences``), each
sentence gets a matching form that erases what outlets change without changing
the statement (``forms``), candidates come from MinHash LSH over the matching
form's words blocked by speaker and a word-level edit similarity decides
(``matching``); ``index`` holds the in-memory reference of those semantics and
``wording`` tells how an outlet's wording differs. See docs/claims.md.
"""

from newsclaims.claims.forms import match_form
from newsclaims.claims.index import ClaimIndex
from newsclaims.claims.matching import (
    CLAIM_HASHER,
    MATCH_THRESHOLD,
    NEGATIONS,
    best_match,
    claim_band_buckets,
    claim_band_keys,
    claim_similarity,
)
from newsclaims.claims.sentences import Span, claim_sentences
from newsclaims.claims.wording import Edit, wording_diff

__all__ = [
    "CLAIM_HASHER",
    "MATCH_THRESHOLD",
    "NEGATIONS",
    "ClaimIndex",
    "Edit",
    "Span",
    "best_match",
    "claim_band_buckets",
    "claim_band_keys",
    "claim_sentences",
    "claim_similarity",
    "match_form",
    "wording_diff",
]
