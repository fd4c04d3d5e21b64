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
    A caller that retries after a failure uses ``BatchWrite``, which keeps what committed.
    """
    write = BatchWrite(target, batch, run_id)
    write.write()
    return write.results()


class BatchWrite:
    """One batch's articles written over as many attempts as it takes, each commit's
    outcomes kept as it lands.

    An outage or a refused page can interrupt the write after some articles committed
    (the one-per-transaction path after a conflict commits them one by one). Written
    again, those would come back ``DUPLICATE`` (this run saw them already): a stored page
    counted as a duplicate, its quotes not counted. So ``write`` and ``write_one`` only
    write the articles without an outcome, and a commit that raised (it may have landed
    all the same) leaves its outcomes in doubt: if the next attempt finds such an article
    already seen by this run, the earlier attempt stored it, and its outcome stands.
    """

    def __init__(
        self,
        target: ArticleStore | sessionmaker[Session],
        batch: Sequence[items.Article],
        run_id: int | None = None,
    ) -> None:
        self.sessions = target.sessions if isinstance(target, ArticleStore) else target
        self.articles = list(batch)
        self.run_id = run_id
        self.outcomes: dict[int, Outcome] = {}
        """Committed: the outcome of the article at each position of ``articles``."""
        self._in_doubt: dict[int, Outcome] = {}

    def unwritten(self) -> list[int]:
        """The positions of the articles with no committed outcome yet."""
        return [i for i in range(len(self.articles)) if i not in self.outcomes]

    def write(self, positions: Sequence[int] | None = None) -> None:
        """The unwritten articles (of ``positions``, if given) in one transaction; after a
        unique-key conflict, one per transaction. Raises at the first failure, with every
        commit before it in ``outcomes``."""
        chosen = self.unwritten() if positions is None else positions
        todo = [i for i in chosen if i not in self.outcomes]
        if not todo:
            return
        try:
            self._commit(todo)
        except IntegrityError:
            for position in todo:
                self.write_one(position)

    def write_one(self, position: int) -> Outcome:
        """The article at ``position`` in a transaction of its own, once more if another
        writer took a unique key first (as ``in_transaction``); its outcome."""
        if position not in self.outcomes:
            try:
                self._commit([position])
            except IntegrityError:
                self._commit([position])
        return self.outcomes[position]

    def results(self) -> list[Outcome]:
        """Every article's outcome, in order, once all are written."""
        return [self.outcomes[i] for i in range(len(self.articles))]

    def _commit(self, positions: list[int]) -> None:
        with self.sessions.begin() as session:
            outcomes = write_batch_in_session(
                session, [self.articles[i] for i in positions], self.run_id
            )
            outcomes = [self._settled(i, o) for i, o in zip(positions, outcomes, strict=True)]
            self._in_doubt.update(zip(positions, outcomes, strict=True))
        # committed (an error from the commit itself leaves these in doubt)
        for position, outcome in zip(positions, outcomes, strict=True):
            self.outcomes[position] = outcome
            self._in_doubt.pop(position, None)

    def _settled(self, position: int, outcome: Outcome) -> Outcome:
        """An article whose earlier commit raised, now found seen by this run: that commit
        landed, and its outcome is the article's."""
        if outcome is Outcome.DUPLICATE and position in self._in_doubt:
            return self._in_doubt[position]
        return outcome


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
