"""Writing extracted articles with everything derived from them, as visible steps.

One transaction, in this order, each step a few statements for the whole batch:

1. save the articles with their paragraphs, quotes and speakers (``storage.articles``);
2. link the syndicated copies to their originals (``storage.syndication``);
3. attach their quotes' sentences to claims (``storage.claims``), then remove the claims
   that only their replaced quotes mentioned.

Either all of it is stored or none: no article without its claims after a crash.
Unchanged articles skip steps 2 and 3 (nothing they depend on changed). What the steps
match on (claim sentences, LSH keys, MinHash) comes precomputed on the article from the
analysis workers (``records.Article.match_keys``), or is computed here when missing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from newsclaims import records as items
from newsclaims.claims.article_keys import makes_claims, match_keys
from newsclaims.discovery.urls import url_hash
from newsclaims.storage import articles, claims, syndication
from newsclaims.storage.articles import ArticleStore, Outcome, SavedArticle
from newsclaims.storage.upsert import in_transaction


def write_article(
    target: ArticleStore | sessionmaker[Session],
    article: items.Article,
    run_id: int | None = None,
) -> Outcome:
    """Store the article, link a syndicated copy, record its claims; one transaction."""
    sessions = target.sessions if isinstance(target, ArticleStore) else target
    return in_transaction(sessions, lambda session: write_in_session(session, article, run_id))


def write_in_session(session: Session, article: items.Article, run_id: int | None) -> Outcome:
    """The same steps inside a transaction the caller owns."""
    return write_batch_in_session(session, [article], run_id)[0]


def write_batch_in_session(
    session: Session, batch: Sequence[items.Article], run_id: int | None
) -> list[Outcome]:
    """Every step for a batch, as if its articles were written one by one, in order."""
    outcomes: list[Outcome] = []
    for part, hashes in _without_repeats(batch):
        saved = articles.save_batch(session, part, run_id, hashes)
        written = [entry for entry in saved.articles if entry.written]
        for entry in written:
            entry.keys = entry.keys or match_keys(entry.article)
        syndication.link_batch(session, [_near_duplicate_input(entry) for entry in written])
        # Record first: an unchanged quote re-matches its old claim, which so keeps its id
        # (exports cite claim ids); only then drop the claims nothing mentions any more.
        claims.record_batch(session, [q for entry in written for q in _claimable(entry)])
        claims.delete_unmentioned(session, saved.replaced_claim_ids)
        outcomes.extend(entry.outcome for entry in saved.articles)
    return outcomes


def write_articles(
    target: ArticleStore | sessionmaker[Session],
    batch: Sequence[items.Article],
    run_id: int | None = None,
) -> list[Outcome]:
    """``write_article`` for many articles in one transaction (one commit, one fsync).

    When another writer takes a unique key first, the batch is rolled back and written
    one article per transaction, so a conflict costs one batch's speed and never a row.
    """
    sessions = target.sessions if isinstance(target, ArticleStore) else target
    try:
        with sessions.begin() as session:
            return write_batch_in_session(session, batch, run_id)
    except IntegrityError:
        return [write_article(sessions, article, run_id) for article in batch]


def _without_repeats(
    batch: Sequence[items.Article],
) -> Iterator[tuple[list[items.Article], list[str]]]:
    """The batch in consecutive parts, none holding the same canonical URL twice, each
    with its canonical URLs' hashes."""
    part: list[items.Article] = []
    keys: list[str] = []
    for article in batch:
        key = url_hash(str(article.canonical_url))
        if key in keys:
            yield part, keys
            part, keys = [], []
        part.append(article)
        keys.append(key)
    if part:
        yield part, keys


def _near_duplicate_input(saved: SavedArticle) -> syndication.NearDuplicateInput:
    article, keys = saved.article, saved.keys
    assert keys is not None  # set for every written article above
    return syndication.NearDuplicateInput(
        saved.article_id, article.published or article.fetched_at, keys.minhash, keys.buckets
    )


def _claimable(saved: SavedArticle) -> Iterator[claims.ClaimableQuote]:
    assert saved.keys is not None
    for quote, quote_id, speaker_id, sentences in zip(
        saved.article.quotes,
        saved.quote_ids,
        saved.speaker_ids,
        saved.keys.claim_sentences,
        strict=True,
    ):
        if speaker_id is not None and makes_claims(quote):
            yield claims.ClaimableQuote(quote_id, speaker_id, sentences, quote.quote)
