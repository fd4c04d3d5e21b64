"""A local journal for items the database could not take, replayed when it is back.

If the database goes away mid-run, fetched articles are not lost: they are appended
here as JSON lines and written on the next chance (idempotent upserts make replay safe).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from newsclaims.records import Article, FetchFailure

SpooledItem = Article | FetchFailure


class Spool:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

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

    def __len__(self) -> int:
        if not self.path.exists():
            return 0
        with self.path.open(encoding="utf-8") as handle:
            return sum(1 for line in handle if line.strip())

    def _items(self, path: Path) -> Iterator[SpooledItem]:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    model = Article if record["type"] == "Article" else FetchFailure
                    yield model.model_validate(record["item"])

    def replay(self, write: Callable[[SpooledItem], object]) -> int:
        """Write every spooled item; keep the ones that still fail. Returns how many were written."""
        if not self.path.exists():
            return 0
        claimed = self.path.with_suffix(f".replaying-{os.getpid()}")
        os.replace(self.path, claimed)
        written = 0
        for item in self._items(claimed):
            try:
                write(item)
                written += 1
            except Exception:
                self.append(item)
        claimed.unlink()
        return written
