"""Near-duplicate (syndicated) articles through the database, with stored MinHash values."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.similarity.neardup import article_signature
from newsclaims.storage.articles import ArticleStore
from newsclaims.storage.syndication import link_near_duplicate, minhash_bytes
from newsclaims.storage.writer import write_article

from .conftest import news_article, stored_article

DATA = Path(__file__).parent / "data"
NOW = datetime(2014, 12, 3, tzinfo=UTC)


def _seed_body(name: str) -> str:
    text_ = (DATA / "seeds" / name).read_text(encoding="utf-8")
    return "\n\n".join(line.strip() for line in text_.splitlines() if line.strip())


def _wire_copy(body: str, headline: str) -> str:
    paragraphs = body.split("\n\n")
    return "\n\n".join([headline, *paragraphs[1:-2], "Comments 0"])


def test_wire_copy_links_to_the_first_copy(session: Session) -> None:
    body = _seed_body("000_2ce013c3f5691d34.txt")
    first = stored_article(session, "first", body)
    other_story = stored_article(session, "other", _seed_body("001_10c5a8d22f52db77.txt"))
    copy = stored_article(session, "copy", _wire_copy(body, "Kerry: strikes are working"))
    second_copy = stored_article(session, "copy2", _wire_copy(body, "Strikes hurt IS, Kerry says"))
    for article in (first, other_story, copy, second_copy):
        link_near_duplicate(session, article)
    assert first.near_duplicate_of_id is None
    assert other_story.near_duplicate_of_id is None
    assert copy.near_duplicate_of_id == first.id
    assert second_copy.near_duplicate_of_id == first.id
    assert copy.near_duplicate_similarity >= 0.5


def test_link_near_duplicate_is_idempotent(session: Session) -> None:
    body = _seed_body("002_a38e21f1c74f349b.txt")
    first = stored_article(session, "first", body)
    copy = stored_article(session, "copy", _wire_copy(body, "Coalition strikes"))
    for _ in range(2):
        link_near_duplicate(session, first)
        link_near_duplicate(session, copy)
    rows = session.scalar(select(func.count()).select_from(models.ArticleSignature))
    assert rows == 2 * 40
    assert (first.near_duplicate_of_id, copy.near_duplicate_of_id) == (None, first.id)


def test_changed_text_refreshes_signature_and_link(session: Session) -> None:
    body = _seed_body("002_a38e21f1c74f349b.txt")
    first = stored_article(session, "first", body)
    copy = stored_article(session, "copy", _wire_copy(body, "Coalition strikes"))
    link_near_duplicate(session, first)
    link_near_duplicate(session, copy)
    copy.text = _seed_body("004_66dee65abf995aa3.txt")
    link_near_duplicate(session, copy)
    assert copy.near_duplicate_of_id is None and copy.near_duplicate_similarity is None
    assert session.scalar(select(func.count()).select_from(models.ArticleSignature)) == 80


def test_empty_article_links_nowhere(session: Session) -> None:
    empty = stored_article(session, "empty", "")
    link_near_duplicate(session, empty)
    assert empty.near_duplicate_of_id is None


def test_link_stores_the_articles_minhash(session: Session) -> None:
    body = _seed_body("002_a38e21f1c74f349b.txt")
    article = stored_article(session, "first", body)
    link_near_duplicate(session, article)
    session.flush()
    session.expire_all()
    stored = session.scalar(select(models.Article.minhash).where(models.Article.id == article.id))
    assert stored == minhash_bytes(article_signature([body]))
    assert stored is not None and len(stored) == 120 * 8


def test_empty_article_stores_an_empty_minhash(session: Session) -> None:
    empty = stored_article(session, "empty", "")
    link_near_duplicate(session, empty)
    assert empty.minhash == b""


def test_candidates_are_compared_by_their_stored_minhash(session: Session) -> None:
    """The candidate's text is not re-hashed: a stored signature is what counts."""
    body = _seed_body("002_a38e21f1c74f349b.txt")
    first = stored_article(session, "first", body)
    link_near_duplicate(session, first)
    session.execute(update(models.Article).where(models.Article.id == first.id).values(text="gone"))
    session.expire_all()
    copy = stored_article(session, "copy", _wire_copy(body, "Coalition strikes"))
    link_near_duplicate(session, copy)
    assert copy.near_duplicate_of_id == first.id


def test_rows_without_a_stored_minhash_get_one_when_compared(session: Session) -> None:
    """Articles stored before revision 0004 have no MinHash; the first lookup fills it in."""
    body = _seed_body("002_a38e21f1c74f349b.txt")
    first = stored_article(session, "first", body)
    link_near_duplicate(session, first)
    session.execute(
        update(models.Article).where(models.Article.id == first.id).values(minhash=None)
    )
    session.expire_all()
    copy = stored_article(session, "copy", _wire_copy(body, "Coalition strikes"))
    link_near_duplicate(session, copy)
    assert copy.near_duplicate_of_id == first.id
    session.flush()
    session.expire_all()
    stored = session.scalar(select(models.Article.minhash).where(models.Article.id == first.id))
    assert stored == minhash_bytes(article_signature([body]))


def test_updated_text_drops_the_stale_minhash(engine) -> None:
    store = ArticleStore(engine)
    write_article(store, news_article("a", "voa", ["One story about the strikes in Iraq."]))
    store.save_article(news_article("a", "voa", ["Another story about the weather in Paris."]))
    with store.sessions() as session:
        assert session.scalar(select(models.Article.minhash)) is None
        assert session.scalar(select(func.count()).select_from(models.Article)) == 1
