"""Writing a batch: set-based statements, the same rows as writing its articles one by one.

``write_articles`` stores a batch with a few statements per step; these tests hold it to
the semantics of ``write_article`` called once per article, in order: shared claims
inside the batch, a wire copy published before its original, the same URL twice, an
update of a stored article, speakers typed by their first typed quote. And to the keys
precomputed by analysis: with them, without them, and stale, the rows are the same.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.claims.article_keys import match_keys
from newsclaims.records import Article
from newsclaims.storage import database as db
from newsclaims.storage import runs
from newsclaims.storage.articles import ArticleStore, Outcome
from newsclaims.storage.lookups import delete_rows, insert_plain, rows_matching
from newsclaims.storage.upsert import insert_returning_ids
from newsclaims.storage.writer import BatchWrite, write_article, write_articles, write_in_session

from .conftest import _fresh_database, news_article

T0 = datetime(2014, 12, 3, 9, tzinfo=UTC)
FIRST = '"We are hitting the terrorists where it hurts and we will not stop," Kerry said.'
SHARED = '"We will degrade and ultimately destroy this terrorist group," Kerry said.'
SHARED_REWORDED = '"We will degrade and eventually destroy this terrorist group," Kerry said.'
REWORDED = '"Our coalition has taken back territory from the extremists across Iraq," Kerry said.'
STORY = [
    "The coalition flew forty sorties over northern Iraq on Tuesday, the Pentagon said.",
    SHARED,
    "Officials said the strikes hit supply lines, vehicles and a training camp near Mosul.",
    "The campaign began in August and has cost about eight million dollars a day.",
]
IGNORED = {("claims", "created_at"), ("article_versions", "replaced_at")}
TABLES = [
    "sources", "articles", "article_versions", "paragraphs", "article_signatures",
    "speakers", "speaker_roles", "quotes", "claims", "claim_signatures",
    "claim_mentions", "wording_edits",
]  # fmt: skip


def _typed(article: Article, speaker_type: str | None, role: str | None = None) -> Article:
    article.quotes = [
        q.model_copy(update={"speaker_type": speaker_type, "role": role}) for q in article.quotes
    ]
    return article


def _fetched_at_t0(articles: list[Article]) -> list[Article]:
    for article in articles:
        article.fetched_at = T0
    return articles


def _stored_before() -> list[Article]:
    """What the database holds before the batch (written one by one in both runs)."""
    return _fetched_at_t0(
        [
            news_article("a", "voa", [FIRST, "The talks went on."], published=T0),
            news_article("wire", "reuters", STORY, published=T0 + timedelta(hours=3)),
        ]
    )


def _batch() -> list[Article]:
    """One batch exercising every step, in an order that matters."""
    return _fetched_at_t0(
        [
            # an update of a stored article: a version, its old claim gone
            news_article("a", "voa", [REWORDED, "The talks went on."], published=T0),
            # a claim first said in this batch, then reworded by another outlet in it
            news_article("b", "bbc", [SHARED, "Kerry spoke in Brussels."], published=T0),
            news_article("c", "afp", ["Kerry said more.", SHARED_REWORDED], published=T0),
            # a copy published before the stored wire story: it becomes the original
            news_article("copy", "dailystar", ["Kerry: strikes work", *STORY[1:]], published=T0),
            # a later copy: linked to that original
            news_article("copy2", "nation", ["Strikes hurt IS", *STORY[1:]], published=T0),
            # a speaker first untyped, then typed twice: the first type stays
            _typed(
                news_article("h1", "voa", ['"We are ready," Hamas said.'], speaker="Hamas"), None
            ),
            _typed(
                news_article("h2", "bbc", ['"We are ready," Hamas said.'], speaker="Hamas"),
                "organisation",
                "the movement",
            ),
            _typed(
                news_article("h3", "afp", ['"We are ready now," Hamas said.'], speaker="Hamas"),
                "person",
                "the movement",
            ),
            # an unattributed quote: no claim
            news_article("anon", "afp", ['"It was loud," a resident said.'], speaker=None),
            # the same URL again, unchanged, then changed: a duplicate, then a new version
            news_article("b", "bbc", [SHARED, "Kerry spoke in Brussels."], published=T0),
            news_article("b", "bbc", [SHARED, "Kerry spoke in Brussels on Monday."], published=T0),
        ]
    )


def _dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table the writer touches, without wall-clock times, ids as ranks.

    PostgreSQL spends a sequence value on every ``ON CONFLICT DO NOTHING``, so ids differ
    with the number of statements; their order does not. Each id (and each reference to
    one) is replaced by its rank in its table.
    """
    metadata = models.Base.metadata
    with engine.connect() as connection:
        ranks = {
            name: {
                row_id: rank
                for rank, row_id in enumerate(
                    connection.scalars(select(metadata.tables[name].c.id).order_by("id"))
                )
            }
            for name in TABLES
            if "id" in metadata.tables[name].c
        }
        dumped = {}
        for name in TABLES:
            table = metadata.tables[name]
            kept = [c for c in table.c if (name, c.name) not in IGNORED]
            referred = [
                ranks.get(next(iter(c.foreign_keys)).column.table.name) if c.foreign_keys
                else ranks.get(name) if c.name == "id"
                else None
                for c in kept
            ]  # fmt: skip
            rows = [
                tuple(
                    mapping.get(value, value) if mapping is not None else value
                    for value, mapping in zip(row, referred, strict=True)
                )
                for row in connection.execute(select(*kept))
            ]
            dumped[name] = sorted(rows, key=repr)
    return dumped


@pytest.fixture
def fresh_engine(
    request: pytest.FixtureRequest, db_url: str, tmp_path: Path
) -> Iterator[Callable[[], Engine]]:
    """More fresh databases of the same backend as ``db_url``."""
    backend = "sqlite" if db_url.startswith("sqlite") else "postgres"
    made: list[tuple[Iterator[str], Engine]] = []

    def make() -> Engine:
        databases = _fresh_database(request, backend, tmp_path)
        engine = db.make_engine(next(databases))
        made.append((databases, engine))
        return engine

    yield make
    for databases, engine in made:
        engine.dispose()
        next(databases, None)


def _write(engine: Engine, batch: list[Article], *, one_by_one: bool) -> list[Outcome]:
    store = ArticleStore(engine)
    run_id = runs.start_run(store.sessions, "test")
    for article in _stored_before():
        write_article(store, article)
    if one_by_one:
        return [write_article(store, article, run_id) for article in batch]
    return write_articles(store, batch, run_id)


def test_a_batch_stores_exactly_what_one_by_one_stores(fresh_engine) -> None:
    one_by_one, batched = fresh_engine(), fresh_engine()
    expected = _write(one_by_one, _batch(), one_by_one=True)
    assert _write(batched, _batch(), one_by_one=False) == expected
    assert expected == [
        Outcome.UPDATED, Outcome.STORED, Outcome.STORED, Outcome.STORED, Outcome.STORED,
        Outcome.STORED, Outcome.STORED, Outcome.STORED, Outcome.STORED,
        Outcome.DUPLICATE, Outcome.UPDATED,
    ]  # fmt: skip
    rows = _dump(batched)
    assert rows == _dump(one_by_one)
    # and what those rows say, so the comparison is not between two equal mistakes
    with Session(batched) as session:
        by_url = {a.url.rsplit("/", 1)[1]: a for a in session.scalars(select(models.Article))}
        assert by_url["copy"].near_duplicate_of_id is None
        assert by_url["wire"].near_duplicate_of_id == by_url["copy"].id
        assert by_url["copy2"].near_duplicate_of_id == by_url["copy"].id
        assert (by_url["a"].version, by_url["b"].version) == (2, 2)
        speaker = session.scalars(select(models.Speaker).where(models.Speaker.name == "Hamas"))
        assert speaker.one().speaker_type == "organisation"
        shared = [m for m in session.scalars(select(models.ClaimMention)) if "degrade" in m.wording]
        assert len(shared) == 5 and len({m.claim_id for m in shared}) == 1
        assert session.scalar(select(func.count()).select_from(models.WordingEdit)) >= 1
        claims_of_first = select(models.Claim).where(models.Claim.canonical_text.contains("hurts"))
        assert session.scalars(claims_of_first).all() == []


def test_precomputed_keys_give_the_same_rows_as_none(fresh_engine) -> None:
    without, precomputed = fresh_engine(), fresh_engine()
    _write(without, _batch(), one_by_one=False)
    batch = _batch()
    for article in batch:
        article.match_keys = match_keys(article)
    _write(precomputed, batch, one_by_one=False)
    assert _dump(precomputed) == _dump(without)


def test_stale_keys_are_recomputed(engine: Engine) -> None:
    """Keys computed before the article was edited must not be stored with the new text."""
    article = news_article("a", "voa", [FIRST])
    article.match_keys = match_keys(article)
    article.paragraphs = news_article("a", "voa", [REWORDED]).paragraphs
    article.quotes = news_article("a", "voa", [REWORDED]).quotes
    write_articles(ArticleStore(engine), [article])
    with Session(engine) as session:
        (claim,) = session.scalars(select(models.Claim))
        assert claim.canonical_text.startswith("Our coalition")
        stored = session.scalar(select(models.Article.minhash))
        assert stored == match_keys(article).minhash


def test_keys_are_never_dumped_and_pickle_with_the_article() -> None:
    article = news_article("a", "voa", [FIRST])
    article.match_keys = match_keys(article)
    assert "match_keys" not in article.model_dump()
    assert "match_keys" not in article.model_dump_json()
    assert Article.model_validate_json(article.model_dump_json()).match_keys is None
    assert pickle.loads(pickle.dumps(article)).match_keys == article.match_keys


def test_the_batch_lookups_use_the_signature_indexes(session: Session) -> None:
    """One statement for thousands of keys must still be an index probe per key."""
    statements: list[tuple[str, object]] = []
    engine = session.get_bind()

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append((statement, parameters))

    lookups = [
        ("claim_signatures", ("speaker_id", "band", "bucket"), {(1, 0, 5), (1, 1, 6)}, "claim_id"),
        ("article_signatures", ("band", "bucket"), {(0, 5), (1, 6)}, "article_id"),
        ("article_signatures", ("band", "bucket"), {(0, 5), (1, 6)}, "article_id", 2),
    ]
    indexes = {
        "claim_signatures": "ix_claim_signatures_lookup",
        "article_signatures": "ix_article_signatures_band_key",
    }
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    for table, columns, keys, returned, *newest in lookups:
        ranked = {"newest": (returned, newest[0]), "excluding": [7]} if newest else {}
        event.listen(engine, "before_cursor_execute", capture)
        try:
            rows_matching(session, table, columns, keys, (returned,), **ranked)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        statement, parameters = statements[-1]
        if connection.dialect.name == "sqlite":
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            details = [row[-1] for row in plan]
            assert not any(d.startswith(f"SCAN {table}") for d in details), details
            assert any("USING" in d and "INDEX" in d for d in details), details
            assert any(indexes[table] in d for d in details), details
        else:
            plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
            details = [row[0] for row in plan]
            assert not any(f"Seq Scan on {table}" in d for d in details), details
            assert any("Index" in d for d in details), details
            assert any(indexes[table] in d for d in details), details


def test_a_ranked_lookup_returns_each_keys_newest_rows_but_the_excluded(
    session: Session,
) -> None:
    """A bucket shared by many articles costs its newest few rows, on both databases."""
    for i in range(8):
        write_in_session(session, news_article(f"a{i}", "voa", [f"Story {i} was told."]), None)
    ids = sorted(session.scalars(select(models.Article.id)))
    assert len(ids) == 8
    # Bands past the 40 the articles have: these rows are the only ones under these keys.
    rows = [(a, 90, 5) for a in ids] + [(a, 91, 6) for a in ids[:2]] + [(ids[0], 92, 7)]
    insert_plain(session, "article_signatures", ("article_id", "band", "bucket"), rows)
    keys = {(90, 5), (91, 6), (92, 7), (93, 8)}
    every = rows_matching(session, "article_signatures", ("band", "bucket"), keys, ("article_id",))
    assert sorted(every) == sorted((band, bucket, a) for a, band, bucket in rows)
    newest = rows_matching(
        session,
        "article_signatures",
        ("band", "bucket"),
        keys,
        ("article_id",),
        newest=("article_id", 3),
        excluding=[ids[-1], ids[0]],
    )
    assert sorted(newest) == sorted(
        [(90, 5, ids[-2]), (90, 5, ids[-3]), (90, 5, ids[-4]), (91, 6, ids[1])]
    )


def test_ids_come_back_in_row_order_and_a_repeated_key_is_refused(session: Session) -> None:
    speakers = models.Speaker.__table__
    rows = [{"name": name} for name in ("Zed", "Amy", "Kim")]
    ids = insert_returning_ids(session, speakers, rows, ["name"])
    names = dict(session.execute(select(models.Speaker.id, models.Speaker.name)).all())
    assert [names[i] for i in ids] == ["Zed", "Amy", "Kim"]
    with pytest.raises(ValueError, match="not unique"):
        insert_returning_ids(session, models.Claim.__table__, [
            {"speaker_id": ids[0], "canonical_text": "x", "match_text": "x", "created_at": T0},
            {"speaker_id": ids[0], "canonical_text": "x", "match_text": "x", "created_at": T0},
        ], ["speaker_id", "match_text"])  # fmt: skip


def test_a_writer_taking_an_article_first_costs_the_batch_no_row(
    engine: Engine, db_url: str
) -> None:
    """Another process stores one of the batch's articles between our lookup and our insert."""
    store = ArticleStore(engine)
    write_article(store, news_article("seed", "voa", ["Nothing was said."]))
    batch = [news_article(f"n{i}", "voa", [SHARED if i % 2 else FIRST]) for i in range(4)]
    other = db.make_engine(db_url)
    raced: list[Outcome] = []

    def race(conn, cursor, statement, parameters, context, executemany) -> None:
        if not raced and statement.startswith("INSERT INTO articles"):
            raced.append(write_article(ArticleStore(other), batch[2]))

    event.listen(engine, "before_cursor_execute", race)
    try:
        outcomes = write_articles(store, batch)
    finally:
        event.remove(engine, "before_cursor_execute", race)
        other.dispose()
    assert raced == [Outcome.STORED]
    assert outcomes == [Outcome.STORED, Outcome.STORED, Outcome.UNCHANGED, Outcome.STORED]
    with Session(engine) as session:
        counts = [
            session.scalar(select(func.count()).select_from(model))
            for model in (models.Article, models.Quote, models.ClaimMention, models.Claim)
        ]
        assert counts == [5, 4, 4, 2]


def test_the_same_batch_twice_adds_nothing(engine: Engine) -> None:
    store = ArticleStore(engine)
    batch = _batch()[:-2]  # without the URL that changes within the batch
    run_id = runs.start_run(store.sessions, "test")
    assert Outcome.STORED in write_articles(store, batch, run_id)
    before = _dump(engine)
    assert write_articles(store, _batch()[:-2], run_id) == [Outcome.DUPLICATE] * len(batch)
    assert _dump(engine) == before
    later = runs.start_run(store.sessions, "test")
    assert write_articles(store, _batch()[:-2], later) == [Outcome.UNCHANGED] * len(batch)
    assert {k: v for k, v in _dump(engine).items() if k != "articles"} == {
        k: v for k, v in before.items() if k != "articles"
    }


def test_a_batch_written_in_two_attempts_reports_each_article_once(engine: Engine) -> None:
    """What the first attempt committed keeps its outcome: the second writes only the
    rest (``write_articles`` twice in one run said DUPLICATE, DUPLICATE, STORED)."""
    store = ArticleStore(engine)
    run_id = runs.start_run(store.sessions, "test")
    batch = [news_article(f"n{i}", "voa", [FIRST if i % 2 else SHARED]) for i in range(3)]
    write = BatchWrite(store, batch, run_id)
    write.write([0, 1])  # as far as an attempt cut short by an outage got
    assert write.unwritten() == [2]
    write.write()
    assert write.results() == [Outcome.STORED] * 3
    assert write_articles(store, batch, run_id) == [Outcome.DUPLICATE] * 3  # a second page


def test_pruning_a_bucket_leaves_a_row_another_writer_holds(postgres_url: str) -> None:
    """Two writers pruning one bucket must not wait on (or deadlock over) each other's rows:
    a row another transaction holds is left for a later prune, the rest go at once."""
    engine = db.make_engine(postgres_url)
    try:
        with Session(engine) as setup, setup.begin():
            for i in range(3):
                write_in_session(setup, news_article(f"p{i}", "voa", [f"Item {i} ran."]), None)
            ids = sorted(setup.scalars(select(models.Article.id)))
        signatures = models.ArticleSignature
        with Session(engine) as holder, holder.begin():
            holder.execute(
                select(signatures.article_id)
                .where(signatures.article_id == ids[0], signatures.band == 0)
                .with_for_update()
            ).all()
            with Session(engine) as pruner, pruner.begin():
                pruner.execute(text("SET LOCAL lock_timeout = '5s'"))  # fails, not hangs
                delete_rows(
                    pruner, "article_signatures", ("article_id", "band"), [(a, 0) for a in ids]
                )
        with Session(engine) as check:
            left = check.scalars(select(signatures.article_id).where(signatures.band == 0))
            assert sorted(left) == [ids[0]]
    finally:
        engine.dispose()
