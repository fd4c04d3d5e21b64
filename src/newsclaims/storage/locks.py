"""Named leases in the database, so two crawls never do the same work at once.

A row in ``locks`` per name, taken with one guarded UPDATE (owner empty, expired, or
ours), which is atomic on SQLite and PostgreSQL alike. The holder renews it from a
heartbeat thread; a crashed holder's lease expires after its time to live, or at once
when the owner is a dead process on this same host.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from newsclaims import models
from newsclaims.storage import database as db
from newsclaims.storage.errors import LockHeld
from newsclaims.storage.owners import make_owner, owner_is_dead
from newsclaims.storage.upsert import insert_ignore

logger = logging.getLogger(__name__)

CRAWL_LOCK = "crawl"
__all__ = ["CRAWL_LOCK", "Lease", "acquire", "make_owner", "release", "renew"]


def _now() -> datetime:
    return datetime.now(UTC)


def acquire(sessions: sessionmaker[Session], name: str, owner: str, ttl: float) -> None:
    """Take the lease or raise ``LockHeld`` naming its live holder."""
    now = _now()
    values = {"owner": owner, "acquired_at": now, "expires_at": now + timedelta(seconds=ttl)}
    lock = models.Lock
    with sessions.begin() as session:
        insert_ignore(session, lock, {"name": name}, ["name"])
        taken = session.execute(
            update(lock)
            .where(
                lock.name == name,
                or_(lock.owner.is_(None), lock.owner == owner, lock.expires_at < now),
            )
            .values(**values)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            return
        holder, expires = session.execute(
            select(lock.owner, lock.expires_at).where(lock.name == name)
        ).one()
    if holder and owner_is_dead(holder):
        with sessions.begin() as session:
            taken = session.execute(
                update(lock).where(lock.name == name, lock.owner == holder).values(**values)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                logger.warning("took over the %s lock of dead process %s", name, holder)
                return
    raise LockHeld(
        f"another run holds the {name} lock ({holder}, until {expires:%Y-%m-%d %H:%M:%S} UTC "
        "unless renewed); this run did nothing"
    )


def renew(sessions: sessionmaker[Session], name: str, owner: str, ttl: float) -> bool:
    with sessions.begin() as session:
        result = session.execute(
            update(models.Lock)
            .where(models.Lock.name == name, models.Lock.owner == owner)
            .values(expires_at=_now() + timedelta(seconds=ttl))
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def release(sessions: sessionmaker[Session], name: str, owner: str) -> None:
    with sessions.begin() as session:
        session.execute(
            update(models.Lock)
            .where(models.Lock.name == name, models.Lock.owner == owner)
            .values(owner=None, expires_at=None)
        )


class Lease:
    """Hold the crawl lock for a ``with`` block, renewed every third of ``ttl`` from a
    thread (the run row's own heartbeat is the store pipeline's).

    ``shared``: several processes hold the lease under one owner name (the distributed
    workers of one frontier); a holder whose lease a sibling released takes it again, and
    one leaving releases it only when ``release_if()`` says it is the last.
    """

    def __init__(
        self,
        url: str,
        owner: str,
        ttl: float,
        name: str = CRAWL_LOCK,
        *,
        shared: bool = False,
        release_if: Callable[[], bool] | None = None,
    ) -> None:
        self.engine = db.make_engine(url)
        self.sessions = db.make_sessionmaker(self.engine)
        self.owner, self.ttl, self.name = owner, ttl, name
        self.shared, self.release_if = shared, release_if
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="newsclaims-lease", daemon=True)

    def __enter__(self) -> Lease:
        try:
            with db.database_errors():
                acquire(self.sessions, self.name, self.owner, self.ttl)
        except BaseException:
            self.engine.dispose()
            raise
        self._thread.start()
        return self

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                if renew(self.sessions, self.name, self.owner, self.ttl):
                    continue
                if self.shared:  # a sibling that left released it: take it again
                    acquire(self.sessions, self.name, self.owner, self.ttl)
                else:
                    logger.error("lost the %s lock (expired and taken)", self.name)
            except LockHeld as exc:
                logger.error("lost the %s lock: %s", self.name, exc)
            except Exception as exc:  # the database may be down: try again next beat
                logger.warning("could not renew the crawl lease: %s", exc)

    def _last_holder(self) -> bool:
        if self.release_if is None:
            return True
        try:
            return self.release_if()
        except Exception as exc:  # cannot tell: leave the lease to expire
            logger.warning("kept the %s lock to expire (%s)", self.name, exc)
            return False

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            if self._last_holder():
                release(self.sessions, self.name, self.owner)
        except Exception as error:
            logger.warning("could not release the %s lock: %s", self.name, error)
        self.engine.dispose()
