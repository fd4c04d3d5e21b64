"""What decides how a page is analysed, importable without loading the analysis itself.

The crawl's parent process builds these options and sends them to its workers; from here it
does so without importing trafilatura and the quote finder (~30 MB it never runs).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsclaims import settings
from newsclaims.config.sources import DEFAULT_TOPIC, TopicProfile


@dataclass(frozen=True)
class AnalysisOptions:
    """What the sources file (or a command's flags) decide about analysis."""

    topic: TopicProfile = DEFAULT_TOPIC
    min_words: int = settings.NEWSCLAIMS_MIN_WORDS
    quotes_off_topic: bool = False
    """Find quotes in off-topic articles too (``newsclaims quotes``); a crawl drops them."""
