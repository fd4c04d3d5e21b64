"""Named leases in the database, so two crawls never do the same work at once.

A row in ``locks`` per name, taken with one guarded UPDATE (owner empty, expired, or
ours), which is atomic on SQLite and PostgreSQL alike. The holder renews it from a
heartbeat thread; a crashed holder's lease expires after its time to live, or at once
when the owner is a dead process on this same host. A lease shared by several processes
(one owner name) has a ``lock_holders`` row per process, each with its own expiry.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update
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


def acquire(
    sessions: sessionmaker[Session], name: str, owner: str, ttl: float, holder: str | None = None
) -> None:
    """Take the lease or raise ``LockHeld`` naming its live holder.

    ``holder``: this process's own name when it shares the lease under ``owner`` (a
    distributed worker); it is recorded in ``lock_holders`` in the same transaction, so a
    sibling leaving sees it from the moment the lease is taken."""
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
            _hold(session, name, holder, ttl)
            return
        current, expires = session.execute(
            select(lock.owner, lock.expires_at).where(lock.name == name)
        ).one()
    if current and owner_is_dead(current):
        with sessions.begin() as session:
            taken = session.execute(
                update(lock).where(lock.name == name, lock.owner == current).values(**values)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                logger.warning("took over the %s lock of dead process %s", name, current)
                _hold(session, name, holder, ttl)
                return
    raise LockHeld(
        f"another run holds the {name} lock ({current}, until {expires:%Y-%m-%d %H:%M:%S} UTC "
        "unless renewed); this run did nothing",
        holder=current,
    )


def _hold(session: Session, name: str, holder: str | None, ttl: float) -> None:
    """Record ``holder`` as alive until ``ttl`` from now; drop expired holders' rows."""
    if holder is None:
        return
    now = _now()
    holders = models.LockHolder
    session.execute(
        delete(holders).where(
            holders.lock_name == name, or_(holders.holder == holder, holders.expires_at < now)
        )
    )
    session.add(holders(lock_name=name, holder=holder, expires_at=now + timedelta(seconds=ttl)))


def renew(
    sessions: sessionmaker[Session], name: str, owner: str, ttl: float, holder: str | None = None
) -> bool:
    """Extend the lease (and ``holder``'s own row); False when it is no longer ours."""
    with sessions.begin() as session:
        result = session.execute(
            update(models.Lock)
            .where(models.Lock.name == name, models.Lock.owner == owner)
            .values(expires_at=_now() + timedelta(seconds=ttl))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        _hold(session, name, holder, ttl)
        return True


def release(
    sessions: sessionmaker[Session], name: str, owner: str, holder: str | None = None
) -> bool:
    """Give the lease up; a shared ``holder`` gives up its own share, and the lease only
    when no other live holder is left. True when the lease was released.

    The lock row is written first, so a sibling taking its share (``acquire``, which also
    writes it first) and this check run one after the other, never interleaved."""
    lock, holders = models.Lock, models.LockHolder
    with sessions.begin() as session:
        ours = session.execute(
            update(lock)
            .where(lock.name == name, lock.owner == owner)
            .values(expires_at=lock.expires_at)
        )
        if holder is not None:
            session.execute(
                delete(holders).where(holders.lock_name == name, holders.holder == holder)
            )
        if ours.rowcount != 1:  # type: ignore[attr-defined]
            return False
        if holder is not None and _other_live_holders(session, name):
            return False
        session.execute(update(lock).where(lock.name == name).values(owner=None, expires_at=None))
        session.execute(delete(holders).where(holders.lock_name == name))
        return True


def _other_live_holders(session: Session, name: str) -> list[str]:
    """Holders whose row has not expired, less processes of this host known dead."""
    holders = models.LockHolder
    live = session.scalars(
        select(holders.holder).where(holders.lock_name == name, holders.expires_at >= _now())
    ).all()
    return [holder for holder in live if not owner_is_dead(holder)]


class Lease:
    """Hold the crawl lock for a ``with`` block, renewed every third of ``ttl`` from a
    thread (the run row's own heartbeat is the store pipeline's).

    ``shared``: several processes hold the lease under one owner name (the distributed
    workers of one frontier), each recorded as a holder with its own expiry from the moment
    it takes the lease; one leaving releases the lease only when it is the last live holder.

    A lease lost while held (it expired, the database unreachable for longer than ``ttl``,
    and another run took it) calls ``on_lost``: the crawl must stop, since the other run is
    doing the same work. ``lost`` tells the caller afterwards.
    """

    def __init__(
        self,
        url: str,
        owner: str,
        ttl: float,
        name: str = CRAWL_LOCK,
        *,
        shared: bool = False,
        on_lost: Callable[[], object] | None = None,
    ) -> None:
        self.url = url
        self.engine = db.make_engine(url)
        self.sessions = db.make_sessionmaker(self.engine)
        self.owner, self.ttl, self.name = owner, ttl, name
        self.holder = make_owner() if shared else None
        self.on_lost = on_lost
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="newsclaims-lease", daemon=True)

    def __enter__(self) -> Lease:
        try:
            with db.database_errors(self.url):
                acquire(self.sessions, self.name, self.owner, self.ttl, self.holder)
        except BaseException:
            self.engine.dispose()
            raise
        self._thread.start()
        return self

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                if renew(self.sessions, self.name, self.owner, self.ttl, self.holder):
                    continue
                # Expired while we could not renew it: take it again if nobody else did.
                acquire(self.sessions, self.name, self.owner, self.ttl, self.holder)
                logger.warning("took the %s lock again after it expired", self.name)
            except LockHeld as exc:
                logger.error(
                    "lost the %s lock to %s (it expired before this run could renew it): "
                    "stopping this crawl, the other run does the work",
                    self.name, exc.holder,
                )  # fmt: skip
                self.lost.set()
                if self.on_lost is not None:
                    self.on_lost()
                return
            except Exception as exc:  # the database may be down: try again next beat
                logger.warning("could not renew the crawl lease: %s", exc)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        try:  # a lost lease is another's now: only our holder row goes
            release(self.sessions, self.name, self.owner, self.holder)
        except Exception as error:  # left to expire, as a crashed holder's
            logger.warning("could not release the %s lock: %s", self.name, error)
        self.engine.dispose()
