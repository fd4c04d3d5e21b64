"""Drop repeated paragraphs within an article (first copy kept)."""

from __future__ import annotations

from typing import Any

from newsclaims.pages.paragraphs import drop_repeated_paragraphs
from newsclaims.records import Article


class ParagraphDedupPipeline:
    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParagraphDedupPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            item.paragraphs, dropped = drop_repeated_paragraphs(item.paragraphs)
            self.stats.inc_value("newsclaims/paragraphs_dropped", dropped)
        return item
