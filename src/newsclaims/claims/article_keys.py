"""Everything storage matches an article on, computed once where the article is analysed.

Claim sentences (pysbd), their matching forms and LSH buckets, the text's MinHash and
near-duplicate buckets, and the content hash are pure functions of the article, and
they were most of the write's CPU. ``analyse_page`` runs in the worker processes, so
computing them there spreads them over the cores and leaves the writing process only
the lookups. Storage calls ``match_keys`` itself when an article arrives without them.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from newsclaims.claims.forms import match_form
from newsclaims.claims.matching import claim_band_keys
from newsclaims.claims.sentences import claim_sentences
from newsclaims.records import Article, ClaimSentenceKeys, MatchKeys, Quote
from newsclaims.similarity.neardup import article_signature, band_keys, minhash_bytes
from newsclaims.text import normalize

CLAIM_KINDS = frozenset({"direct", "partial"})
"""Optional (scare-quoted) words are not statements."""


def makes_claims(quote: Quote) -> bool:
    """An attributed direct or partial quote: its sentences are claims."""
    return bool(quote.speaker) and quote.kind in CLAIM_KINDS


def content_hash(article: Article) -> str:
    """Changes when the stored text or title would change, not when furniture does."""
    basis = (
        normalize(article.title or "")
        + "\n"
        + "\n".join(normalize(p.text) for p in article.paragraphs)
    )
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()


def keys_basis(article: Article) -> str:
    """A digest of what the keys depend on: title, paragraphs, and each quote's claim inputs.

    Raw text, no normalisation, so checking it costs microseconds.
    """
    digest = hashlib.sha1((article.title or "").encode("utf-8"))
    for paragraph in article.paragraphs:
        digest.update(b"\x00p")
        digest.update(paragraph.text.encode("utf-8"))
    for quote in article.quotes:
        digest.update(b"\x00q")
        if makes_claims(quote):
            digest.update(quote.quote.encode("utf-8"))
    return digest.hexdigest()


@lru_cache(maxsize=4096)
def quote_sentence_keys(quote_text: str) -> tuple[ClaimSentenceKeys, ...]:
    """The quote's claim sentences with their matching forms and LSH buckets.

    Cached: a statement is quoted by many outlets (wire copies word for word), and
    sentence splitting is most of the keys' cost. The result is immutable.
    """
    keys = []
    for span in claim_sentences(quote_text):
        form = match_form(span.text)
        buckets = tuple(bucket for _, bucket in claim_band_keys(form))
        keys.append(ClaimSentenceKeys(span.start, span.end, form, buckets))
    return tuple(keys)


def match_keys(article: Article) -> MatchKeys:
    """The article's matching keys (see ``records.MatchKeys``)."""
    signature = article_signature([article.text])
    return MatchKeys.model_construct(  # built from trusted values: no validation pass
        basis=keys_basis(article),
        content_hash=content_hash(article),
        minhash=minhash_bytes(signature),
        buckets=tuple(bucket for _, bucket in band_keys(signature)),
        claim_sentences=tuple(
            quote_sentence_keys(q.quote) if makes_claims(q) else () for q in article.quotes
        ),
    )


def precomputed_keys(article: Article) -> MatchKeys | None:
    """The article's precomputed keys if they still fit it (None: compute them)."""
    keys = article.match_keys
    if keys is not None and keys.basis == keys_basis(article):
        return keys
    return None
