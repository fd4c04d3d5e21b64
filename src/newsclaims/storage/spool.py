"""A local journal for items the database could not take, replayed when it is back.

If the database goes away mid-run, fetched articles are not lost: they are appended
here as JSON lines (fsynced) and written on the next chance; idempotent upserts make
replaying an item twice harmless. Each database has its own spool directory (a hash of
its URL under the configured base), so a crawl into another database never replays
these items there. A replay first renames the journal to ``pending.replaying-PID-…``
and deletes it only when every item is written or re-journaled; a replay killed half
way leaves that file, and the next replay (its process being dead) takes it up again.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from newsclaims.processes import pid_alive
from newsclaims.records import Article, FetchFailure
from newsclaims.storage.errors import DataRejected

SpooledItem = Article | FetchFailure


def database_key(url: str) -> str:
    """A short stable name for a database URL (its password never reaches the disk)."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


class Spool:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def for_database(cls, base: str | Path, url: str) -> Spool:
        return cls(Path(base) / database_key(url))

    @property
    def path(self) -> Path:
        return self.directory / "pending.jsonl"

    def append(self, item: SpooledItem) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"type": type(item).__name__, "item": item.model_dump(mode="json")})
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def _files(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("pending.replaying-*")) + (
            [self.path] if self.path.exists() else []
        )

    def __len__(self) -> int:
        total = 0
        for path in self._files():
            with path.open(encoding="utf-8") as handle:
                total += sum(1 for line in handle if line.strip())
        return total

    def _items(self, path: Path) -> Iterator[SpooledItem]:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:  # a line cut short by a kill mid-append
                    continue
                model = Article if record["type"] == "Article" else FetchFailure
                yield model.model_validate(record["item"])

    def _claim(self) -> list[Path]:
        """The journal and every replay file a dead process left, renamed to ours."""
        claimed = []
        for path in self._files():
            if path != self.path:
                pid = path.name.removeprefix("pending.replaying-").split("-", 1)[0]
                if pid.isdigit() and pid_alive(int(pid)) and int(pid) != os.getpid():
                    continue  # another live process is replaying it
            target = self.directory / f"pending.replaying-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            try:
                os.replace(path, target)
            except FileNotFoundError:  # taken by another process first
                continue
            claimed.append(target)
        return claimed

    def replay(
        self,
        write: Callable[[SpooledItem], object],
        refused: Callable[[SpooledItem, DataRejected], object],
    ) -> list[object]:
        """Write every spooled item; re-journal the ones that still fail.

        An item whose data the database refuses (``DataRejected``: it answered, so this is
        no outage) goes to ``refused`` instead, to be recorded, and leaves the spool;
        re-journaled, it would fail the same way every replay, for ever.
        Returns what ``write`` (or ``refused``) returned for each item that left.
        """
        results: list[object] = []
        for claimed in self._claim():
            for item in self._items(claimed):
                try:
                    try:
                        results.append(write(item))
                    except DataRejected as exc:
                        results.append(refused(item, exc))
                except Exception:
                    self.append(item)
            claimed.unlink()
        return results
