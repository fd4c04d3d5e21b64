"""Keep only articles on the configured topic; count the rest."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from newsclaims.config.sources import DEFAULT_TOPIC
from newsclaims.pages.topic import score_topic
from newsclaims.records import Article


class TopicFilterPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> TopicFilterPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        config = getattr(self.crawler.spider, "config", None)
        profile = config.topic if config else DEFAULT_TOPIC
        verdict = score_topic(item.title, item.text, profile)
        item.topic_score = verdict.score
        item.topic = profile.name
        if not verdict.on_topic:
            self.stats.inc_value("newsclaims/off_topic")
            raise DropItem(f"off topic (score {verdict.score}): {item.url}", log_level="INFO")
        return item
