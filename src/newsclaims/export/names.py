"""The export datasets' names: importable without SQLAlchemy, so the CLI starts fast."""

from __future__ import annotations

DATASETS = ("articles", "paragraphs", "quotes", "claims", "speakers")
