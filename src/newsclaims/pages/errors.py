"""Why a page yields no article: one hierarchy every entry (crawl, CLI, archive) catches."""

from __future__ import annotations


class ExtractionError(ValueError):
    """The page could not be turned into an article (empty, not HTML, no main text)."""


class NotAnArticle(ExtractionError):
    """The page parsed but is an index, a section front or below the word floor."""


class NotHTML(ExtractionError):
    """The bytes are a binary file (PDF, image, archive), not an HTML page."""
