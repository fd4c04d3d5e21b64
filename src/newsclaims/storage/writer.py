"""Writing one extracted article with everything derived from it, as visible steps.

One transaction, in this order:

1. save the article with its paragraphs, quotes and speakers (``storage.articles``);
2. link it to the original when it is a syndicated copy (``storage.syndication``);
3. attach its quotes' sentences to claims (``storage.claims``), then remove the claims
   that only its replaced quotes mentioned.

Either all of it is stored or none: no article without its claims after a crash.
An unchanged article skips steps 2 and 3 (nothing they depend on changed).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from newsclaims import records as items
from newsclaims.storage import articles, claims, syndication
from newsclaims.storage.articles import ArticleStore, Outcome
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
    saved = articles.save(session, article, run_id)
    if saved.written:
        syndication.link_near_duplicate(session, saved.row)
        # Record first: an unchanged quote re-matches its old claim, which so keeps its id
        # (exports cite claim ids); only then drop the claims nothing mentions any more.
        claims.record_claims(session, saved.quotes, saved.row)
        claims.delete_unmentioned(session, saved.replaced_claim_ids)
    return saved.outcome


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
            return [write_in_session(session, article, run_id) for article in batch]
    except IntegrityError:
        return [write_article(sessions, article, run_id) for article in batch]
