"""Writing an article with its claims and syndication link, and the crawl-run bookkeeping."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.records import Article, FetchFailure
from newsclaims.storage import runs
from newsclaims.storage.articles import ArticleStore, Outcome
from newsclaims.storage.writer import write_article

from .conftest import news_article

FIRST = '"We are hitting the terrorists where it hurts and we will not stop," Kerry said.'
REWORDED = '"Our coalition has taken back territory from the extremists across Iraq," Kerry said.'
SHARED = '"We will degrade and ultimately destroy this terrorist group," Kerry said.'


def _count(session: Session, model: type[models.Base]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _claims_without_mentions(session: Session) -> list[int]:
    mentioned = select(models.ClaimMention.claim_id)
    return list(session.scalars(select(models.Claim.id).where(models.Claim.id.not_in(mentioned))))


def _signatures_of_missing_claims(session: Session) -> list[int]:
    claims = select(models.Claim.id)
    query = select(models.ClaimSignature.claim_id).where(
        models.ClaimSignature.claim_id.not_in(claims)
    )
    return list(session.scalars(query))


def test_writing_records_claims_and_outcomes(engine: Engine) -> None:
    store = ArticleStore(engine)
    article = news_article("a", "voa", [FIRST])
    assert write_article(store, article) is Outcome.STORED
    assert write_article(store.sessions, article) is Outcome.UNCHANGED
    with store.sessions() as session:
        assert _count(session, models.Claim) == 1
        assert _count(session, models.ClaimMention) == 1


def test_updated_article_leaves_no_claim_without_mentions(engine: Engine) -> None:
    """Saving an article again with new wording used to leave its old claim behind."""
    store = ArticleStore(engine)
    write_article(store, news_article("a", "voa", [FIRST]))
    assert write_article(store, news_article("a", "voa", [REWORDED])) is Outcome.UPDATED
    with store.sessions() as session:
        assert _count(session, models.ClaimMention) == 1
        assert _count(session, models.Claim) == 1
        assert _claims_without_mentions(session) == []
        assert _signatures_of_missing_claims(session) == []
        (claim,) = session.scalars(select(models.Claim))
        assert claim.canonical_text.startswith("Our coalition")


def test_update_keeps_the_claim_of_an_unchanged_quote(engine: Engine) -> None:
    """A correction elsewhere in the article used to delete and re-create its claims."""
    store = ArticleStore(engine)
    write_article(store, news_article("a", "voa", [FIRST, "The talks went on."]))
    write_article(store, news_article("b", "bbc", [SHARED]))
    with store.sessions() as session:
        before = sorted(session.scalars(select(models.Claim.id)))
    corrected = news_article("a", "voa", [FIRST, "The talks went on into the night."])
    assert write_article(store, corrected) is Outcome.UPDATED
    with store.sessions() as session:
        assert sorted(session.scalars(select(models.Claim.id))) == before
        assert _claims_without_mentions(session) == []


def test_update_keeps_claims_other_articles_still_mention(engine: Engine) -> None:
    store = ArticleStore(engine)
    write_article(store, news_article("a", "voa", [SHARED, FIRST]))
    write_article(store, news_article("b", "bbc", [SHARED]))
    write_article(store, news_article("a", "voa", [REWORDED]))
    with store.sessions() as session:
        texts = sorted(c.canonical_text for c in session.scalars(select(models.Claim)))
        assert [t.split()[0] for t in texts] == ["Our", "We"]
        assert _claims_without_mentions(session) == []
        assert _signatures_of_missing_claims(session) == []
        shared = next(
            c for c in session.scalars(select(models.Claim)) if "degrade" in c.canonical_text
        )
        mentions = session.scalars(
            select(models.ClaimMention).where(models.ClaimMention.claim_id == shared.id)
        ).all()
        assert len(mentions) == 1


def test_save_article_alone_writes_only_the_article(engine: Engine) -> None:
    store = ArticleStore(engine)
    assert store.save_article(news_article("a", "voa", [FIRST])) is Outcome.STORED
    with store.sessions() as session:
        assert _count(session, models.Quote) == 1
        assert _count(session, models.Claim) == 0
        assert _count(session, models.ArticleSignature) == 0


def test_save_article_alone_also_leaves_no_orphan_claims(engine: Engine) -> None:
    store = ArticleStore(engine)
    write_article(store, news_article("a", "voa", [FIRST]))
    assert store.save_article(news_article("a", "voa", [REWORDED])) is Outcome.UPDATED
    with store.sessions() as session:
        assert _count(session, models.Claim) == 0
        assert _count(session, models.ClaimSignature) == 0


def test_syndicated_copy_is_linked_when_written(engine: Engine) -> None:
    story = [
        "The coalition flew forty sorties over northern Iraq on Tuesday, the Pentagon said.",
        FIRST,
        "Officials said the strikes hit supply lines, vehicles and a training camp near Mosul.",
        "The campaign began in August and has cost about eight million dollars a day.",
    ]
    store = ArticleStore(engine)
    early = datetime(2014, 12, 3, 9, tzinfo=UTC)
    write_article(store, news_article("orig", "voa", story, published=early))
    copy = news_article("copy", "dailystar", ["Kerry: strikes work", *story[1:]], published=early)
    write_article(store, copy)
    with store.sessions() as session:
        rows = {a.source.name: a for a in session.scalars(select(models.Article))}
        assert rows["dailystar"].near_duplicate_of_id == rows["voa"].id
        assert rows["voa"].near_duplicate_of_id is None


def test_run_bookkeeping(engine: Engine) -> None:
    store = ArticleStore(engine)
    run_id = runs.start_run(store.sessions, "news")
    failure = FetchFailure(url="https://voa.example/gone", reason="HTTP 404", status=404)
    runs.record_error(store.sessions, failure, run_id)
    runs.record_error(store.sessions, failure, run_id)
    runs.finish_run(store.sessions, run_id, "finished", {"fetched": 3, "errors": 2})
    with store.sessions() as session:
        run = session.get(models.CrawlRun, run_id)
        assert run is not None and run.status == "finished" and run.fetched == 3
        assert run.finished_at is not None and run.finished_at >= run.started_at
        (error,) = session.scalars(select(models.FetchError))
        assert (error.attempts, error.last_run_id, error.status) == (2, run_id, 404)


def test_speaker_type_first_non_null_wins_and_quotes_keep_resolution(engine: Engine) -> None:
    """One row per name: a later quote fills in a missing type but never flips one."""
    store = ArticleStore(engine)

    def article(name: str, speaker_type: str | None, resolution: str | None) -> Article:
        item = news_article(name, "voa", ['"We are ready," Hamas said.'], speaker="Hamas")
        item.quotes = [
            q.model_copy(update={"speaker_type": speaker_type, "resolution": resolution})
            for q in item.quotes
        ]
        return item

    write_article(store, article("untyped", None, None))
    write_article(store, article("organisation", "organisation", "named"))
    write_article(store, article("person", "person", "pronoun"))
    with Session(engine) as session:
        speakers = session.scalars(select(models.Speaker)).all()
        assert [(s.name, s.speaker_type) for s in speakers] == [("Hamas", "organisation")]
        resolutions = session.scalars(
            select(models.Quote.resolution).order_by(models.Quote.id)
        ).all()
        assert resolutions == [None, "named", "pronoun"]
