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

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from newsclaims import records as items
from newsclaims.storage import articles, claims, syndication
from newsclaims.storage.articles import ArticleStore, Outcome
from newsclaims.storage.errors import DataRejected
from newsclaims.storage.upsert import in_transaction


def write_article(
    target: ArticleStore | sessionmaker[Session],
    article: items.Article,
    run_id: int | None = None,
) -> Outcome:
    """Store the article, link a syndicated copy, record its claims; one transaction."""
    sessions = target.sessions if isinstance(target, ArticleStore) else target
    try:
        return in_transaction(sessions, lambda session: write_in_session(session, article, run_id))
    except (DataError, IntegrityError) as exc:
        # The server answered: this article's data is wrong for it, the database is fine.
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DataRejected(f"{type(exc).__name__}: {reason}") from exc


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
