"""Attach quoted statements and their speakers to each article."""

from __future__ import annotations

from typing import Any

from newsclaims.quotes import extract_quotes
from newsclaims.records import Article


class QuotePipeline:
    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> QuotePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            item.quotes = extract_quotes([p.text for p in item.paragraphs], item.title)
            self.stats.inc_value("newsclaims/quotes", len(item.quotes))
        return item
