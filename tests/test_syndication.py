"""Near-duplicate (syndicated) articles as the writer links them, with stored MinHash values."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.records import Article, Paragraph
from newsclaims.similarity.neardup import article_signature
from newsclaims.storage.articles import ArticleStore, Outcome
from newsclaims.storage.syndication import minhash_bytes
from newsclaims.storage.writer import write_article, write_batch_in_session, write_in_session

from .conftest import news_article

DATA = Path(__file__).parent / "data"
NOW = datetime(2014, 12, 3, tzinfo=UTC)


def _seed_body(name: str) -> str:
    text_ = (DATA / "seeds" / name).read_text(encoding="utf-8")
    return "\n\n".join(line.strip() for line in text_.splitlines() if line.strip())


def _wire_copy(body: str, headline: str) -> str:
    paragraphs = body.split("\n\n")
    return "\n\n".join([headline, *paragraphs[1:-2], "Comments 0"])


def _article(name: str, body: str, title: str | None = None) -> Article:
    """An extracted article without quotes, fetched at NOW (so the first stored is earliest)."""
    url = f"https://example.org/{name}"
    paragraphs = body.split("\n\n") if body else []
    return Article(
        url=url,
        canonical_url=url,
        source="seeds",
        title=title,
        fetched_at=NOW,
        paragraphs=[Paragraph(position=i, text=text) for i, text in enumerate(paragraphs)],
    )


def _write(session: Session, *articles: Article) -> list[models.Article]:
    """Each article in its own writer call (the stored ones are the candidates); the rows."""
    for article in articles:
        write_in_session(session, article, None)
    return [_row(session, article) for article in articles]


def _row(session: Session, article: Article) -> models.Article:
    session.expire_all()
    query = select(models.Article).where(models.Article.url == str(article.url))
    return session.scalars(query).one()


@pytest.mark.parametrize("one_batch", [False, True], ids=["one_by_one", "one_batch"])
def test_wire_copy_links_to_the_first_copy(session: Session, one_batch: bool) -> None:
    body = _seed_body("000_2ce013c3f5691d34.txt")
    batch = [
        _article("first", body),
        _article("other", _seed_body("001_10c5a8d22f52db77.txt")),
        _article("copy", _wire_copy(body, "Kerry: strikes are working")),
        _article("copy2", _wire_copy(body, "Strikes hurt IS, Kerry says")),
    ]
    if one_batch:
        write_batch_in_session(session, batch, None)
        first, other_story, copy, second_copy = (_row(session, a) for a in batch)
    else:
        first, other_story, copy, second_copy = _write(session, *batch)
    assert first.near_duplicate_of_id is None
    assert other_story.near_duplicate_of_id is None
    assert copy.near_duplicate_of_id == first.id
    assert second_copy.near_duplicate_of_id == first.id
    assert copy.near_duplicate_similarity >= 0.5


def test_relinking_unchanged_text_is_idempotent(session: Session) -> None:
    """A new headline (same text) rewrites the article and relinks it: nothing moves."""
    body = _seed_body("002_a38e21f1c74f349b.txt")
    copy_body = _wire_copy(body, "Coalition strikes")
    _write(session, _article("first", body), _article("copy", copy_body))
    for headline in ("Kerry on the strikes", "Kerry on the air strikes"):
        articles = [_article("first", body, headline), _article("copy", copy_body, headline)]
        outcomes = [write_in_session(session, article, None) for article in articles]
        assert outcomes == [Outcome.UPDATED, Outcome.UPDATED]
        first, copy = (_row(session, article) for article in articles)
        rows = session.scalar(select(func.count()).select_from(models.ArticleSignature))
        assert rows == 2 * 40
        assert (first.near_duplicate_of_id, copy.near_duplicate_of_id) == (None, first.id)


def test_changed_text_refreshes_signature_and_link(session: Session) -> None:
    body = _seed_body("002_a38e21f1c74f349b.txt")
    _write(session, _article("first", body), _article("copy", _wire_copy(body, "Coalition")))
    (copy,) = _write(session, _article("copy", _seed_body("004_66dee65abf995aa3.txt")))
    assert copy.near_duplicate_of_id is None and copy.near_duplicate_similarity is None
    assert session.scalar(select(func.count()).select_from(models.ArticleSignature)) == 80


def test_empty_article_links_nowhere(session: Session) -> None:
    (empty,) = _write(session, _article("empty", ""))
    assert empty.near_duplicate_of_id is None


def test_link_stores_the_articles_minhash(session: Session) -> None:
    body = _seed_body("002_a38e21f1c74f349b.txt")
    (article,) = _write(session, _article("first", body))
    stored = session.scalar(select(models.Article.minhash).where(models.Article.id == article.id))
    assert stored == minhash_bytes(article_signature([body]))
    assert stored is not None and len(stored) == 120 * 8


def test_empty_article_stores_an_empty_minhash(session: Session) -> None:
    (empty,) = _write(session, _article("empty", ""))
    assert empty.minhash == b""


def test_candidates_are_compared_by_their_stored_minhash(session: Session) -> None:
    """The candidate's text is not re-hashed: a stored signature is what counts."""
    body = _seed_body("002_a38e21f1c74f349b.txt")
    (first,) = _write(session, _article("first", body))
    session.execute(update(models.Article).where(models.Article.id == first.id).values(text="gone"))
    (copy,) = _write(session, _article("copy", _wire_copy(body, "Coalition strikes")))
    assert copy.near_duplicate_of_id == first.id


def test_rows_without_a_stored_minhash_get_one_when_compared(session: Session) -> None:
    """Articles stored before revision 0004 have no MinHash; the first lookup fills it in."""
    body = _seed_body("002_a38e21f1c74f349b.txt")
    (first,) = _write(session, _article("first", body))
    session.execute(
        update(models.Article).where(models.Article.id == first.id).values(minhash=None)
    )
    (copy,) = _write(session, _article("copy", _wire_copy(body, "Coalition strikes")))
    assert copy.near_duplicate_of_id == first.id
    stored = session.scalar(select(models.Article.minhash).where(models.Article.id == first.id))
    assert stored == minhash_bytes(article_signature([body]))


def _published(article: Article, day: int) -> Article:
    return article.model_copy(update={"published": datetime(2014, 12, day, tzinfo=UTC)})


@pytest.mark.parametrize("one_batch", [False, True], ids=["one_by_one", "in_a_batch"])
def test_an_earlier_published_copy_becomes_the_original_of_the_stored_ones(
    session: Session, one_batch: bool
) -> None:
    """Crawl order does not decide the original: copies stored first are re-pointed."""
    body = _seed_body("000_2ce013c3f5691d34.txt")
    later = _published(_article("later", _wire_copy(body, "Kerry: strikes are working")), 3)
    latest = _published(_article("latest", _wire_copy(body, "Strikes hurt IS, Kerry says")), 4)
    _write(session, later, latest)
    assert _row(session, latest).near_duplicate_of_id == _row(session, later).id
    earliest = _published(_article("earliest", body), 1)
    other = _article("other", _seed_body("001_10c5a8d22f52db77.txt"))
    if one_batch:
        write_batch_in_session(session, [other, earliest], None)
    else:
        _write(session, other, earliest)
    rows = {a.url.rsplit("/", 1)[1]: a for a in map(lambda a: _row(session, a), [later, latest])}
    original = _row(session, earliest)
    assert original.near_duplicate_of_id is None
    assert rows["later"].near_duplicate_of_id == rows["latest"].near_duplicate_of_id == original.id
    assert rows["later"].near_duplicate_similarity >= 0.5
    assert _row(session, other).near_duplicate_of_id is None


def test_a_candidate_without_a_stored_minhash_that_matches_nothing_gets_one(
    session: Session,
) -> None:
    """Only a matching candidate's dates and link are read; a candidate that had no MinHash
    has it written all the same, its link untouched."""
    body = _seed_body("002_a38e21f1c74f349b.txt")
    other_body = _seed_body("001_10c5a8d22f52db77.txt")
    (other,) = _write(session, _article("other", other_body))
    new = _article("new", body)
    buckets = article_signature([p.text for p in new.paragraphs])
    from newsclaims.similarity.neardup import band_keys

    session.execute(
        update(models.ArticleSignature)
        .where(models.ArticleSignature.article_id == other.id, models.ArticleSignature.band == 0)
        .values(bucket=band_keys(buckets)[0][1])
    )  # the other story now shares a band key with the new one: a candidate
    session.execute(
        update(models.Article).where(models.Article.id == other.id).values(minhash=None)
    )
    (written,) = _write(session, new)
    assert written.near_duplicate_of_id is None
    other_row = _row(session, _article("other", other_body))
    assert other_row.near_duplicate_of_id is None
    assert other_row.minhash == minhash_bytes(article_signature([other_body]))


def test_updated_text_drops_the_stale_minhash(engine) -> None:
    store = ArticleStore(engine)
    write_article(store, news_article("a", "voa", ["One story about the strikes in Iraq."]))
    store.save_article(news_article("a", "voa", ["Another story about the weather in Paris."]))
    with store.sessions() as session:
        assert session.scalar(select(models.Article.minhash)) is None
        assert session.scalar(select(func.count()).select_from(models.Article)) == 1


@pytest.mark.parametrize("one_batch", [False, True], ids=["one_by_one", "in_a_batch"])
def test_an_earlier_copy_takes_over_the_group_of_an_original_that_is_no_candidate(
    session: Session, one_batch: bool
) -> None:
    """The copies' original may be past its buckets' newest members (or just below the
    threshold): the group moves to the earlier copy whole, original included, not split."""
    body = _seed_body("000_2ce013c3f5691d34.txt")
    original = _published(_article("original", body), 2)
    copy = _published(_article("copy", _wire_copy(body, "Kerry: strikes are working")), 3)
    rows = _write(session, original, copy)
    assert rows[1].near_duplicate_of_id == rows[0].id
    session.execute(
        delete(models.ArticleSignature).where(models.ArticleSignature.article_id == rows[0].id)
    )  # the original shares no bucket with anything stored after this
    earliest = _published(_article("earliest", _wire_copy(body, "Strikes hurt IS, Kerry says")), 1)
    if one_batch:
        write_batch_in_session(session, [earliest], None)
    else:
        _write(session, earliest)
    first = _row(session, earliest)
    assert first.near_duplicate_of_id is None
    assert _row(session, copy).near_duplicate_of_id == first.id
    assert _row(session, original).near_duplicate_of_id == first.id
    assert _row(session, original).near_duplicate_similarity >= 0.5


def test_a_copy_is_found_through_a_bucket_crowded_by_other_stories(session: Session) -> None:
    """Past a bucket's newest members the original is still found through its other bands,
    and the bucket keeps only its newest rows."""
    from newsclaims.similarity.neardup import CANDIDATES_PER_BUCKET, band_keys

    body = _seed_body("003_008626c8ddf986ce.txt")
    (original,) = _write(session, _published(_article("original", body), 1))
    copy = _published(_article("copy", _wire_copy(body, "A headline of its own")), 2)
    shared = band_keys(article_signature([p.text for p in copy.paragraphs]))[:3]
    others = [
        _article(f"other-{i}", f"Report {i} on the harbour works.\n\nIt said {i * 7} boats came.")
        for i in range(CANDIDATES_PER_BUCKET + 5)
    ]
    rows = _write(session, *others)
    for band, bucket in shared:  # the copy's first three buckets, crowded by newer articles
        session.execute(
            update(models.ArticleSignature)
            .where(
                models.ArticleSignature.article_id.in_([r.id for r in rows]),
                models.ArticleSignature.band == band,
            )
            .values(bucket=bucket)
        )
    (written,) = _write(session, copy)
    assert written.near_duplicate_of_id == original.id
    assert not any(_row(session, other).near_duplicate_of_id for other in others)
    signatures = models.ArticleSignature
    for band, bucket in shared:  # the rows no lookup returns are dropped, the newest kept
        held = session.scalars(
            select(signatures.article_id).where(
                signatures.band == band, signatures.bucket == bucket
            )
        ).all()
        newest = sorted([*(r.id for r in rows), written.id])[-CANDIDATES_PER_BUCKET:]
        assert sorted(held) == newest
