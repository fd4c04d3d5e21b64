"""The crawl's counters: one home for their stat keys, labels and ``crawl_runs`` columns.

Pipelines increment these keys in Scrapy's stats, the progress line and the CLI summary
print them, and the store pipeline writes them to the run's row; each reads this table,
so a counter is added or renamed in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FETCHED = "newsclaims/fetched"
STORED = "newsclaims/stored"
UPDATED = "newsclaims/updated"
UNCHANGED = "newsclaims/unchanged"
OFF_TOPIC = "newsclaims/off_topic"
NOT_ARTICLE = "newsclaims/not_article"
DUPLICATES = "newsclaims/duplicates"
ERRORS = "newsclaims/errors"
QUOTES_FOUND = "newsclaims/quotes"
QUOTES_STORED = "newsclaims/quotes_stored"
PARAGRAPHS_DROPPED = "newsclaims/paragraphs_dropped"
SPOOLED = "newsclaims/spooled"
RETRIED = "newsclaims/write_retries"  # writes tried again after a database outage
WRITE_BATCHES = "newsclaims/write_batches"  # batches the store pipeline wrote (items/batch)
SKIPPED_NOT_HTML = "newsclaims/skipped_not_html"
SKIPPED_KNOWN = "newsclaims/skipped_known"  # not fetched: stored or seen, nothing says changed
NOT_MODIFIED = "newsclaims/not_modified"  # a conditional re-fetch answered 304
REPLAYED = "newsclaims/replayed"  # spooled items written by this run
IGNORED = "newsclaims/ignored"
REFUSED = "newsclaims/refused"  # links not requested (URL too long), recorded as skipped
RUN_ID = "newsclaims/run_id"  # the crawl_runs row (not a counter)
STOPPED_BY = "newsclaims/stopped_by"  # the error that stopped the crawl (not a counter)
FAILED_CHECKS = "newsclaims/failed_checks"  # the [checks] a run failed, one line each
ROBOTS_FORBIDDEN = "robotstxt/forbidden"  # Scrapy's own


@dataclass(frozen=True)
class Counter:
    name: str  # key in summaries, and the crawl_runs column when ``in_run_row``
    stat: str  # Scrapy stats key
    label: str  # the summary line
    progress: str | None = None  # label in the periodic progress line, if shown there
    in_run_row: bool = False
    always_shown: bool = True  # in the summary; the spool line shows only while spooling


COUNTERS: tuple[Counter, ...] = (
    Counter("fetched", FETCHED, "fetched pages", "fetched", in_run_row=True),
    Counter("stored", STORED, "stored articles", "stored", in_run_row=True),
    Counter("updated", UPDATED, "updated articles", in_run_row=True),
    Counter("unchanged", UNCHANGED, "unchanged articles", "unchanged", in_run_row=True),
    Counter("off_topic", OFF_TOPIC, "skipped off-topic", "off-topic", in_run_row=True),
    Counter("not_article", NOT_ARTICLE, "skipped not articles", in_run_row=True),
    Counter("duplicates", DUPLICATES, "duplicates", "duplicates", in_run_row=True),
    Counter("errors", ERRORS, "errors", "errors", in_run_row=True),
    Counter("not_html", SKIPPED_NOT_HTML, "skipped not HTML"),
    Counter("refused", REFUSED, "refused links (URL too long)", always_shown=False),
    Counter("skipped", SKIPPED_KNOWN, "skipped, known", "known", in_run_row=True),
    Counter("not_modified", NOT_MODIFIED, "not modified (304)", in_run_row=True),
    Counter("quotes", QUOTES_STORED, "quotes stored"),
    Counter("robots_disallowed", ROBOTS_FORBIDDEN, "blocked by robots.txt"),
    Counter("retried", RETRIED, "write retries (database down)", always_shown=False),
    Counter("spooled", SPOOLED, "spooled (database down)", always_shown=False),
    Counter("replayed", REPLAYED, "replayed from spool", in_run_row=True, always_shown=False),
)


def counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """Every counter's value by name (0 when the crawl never incremented it)."""
    return {c.name: int(stats.get(c.stat, 0) or 0) for c in COUNTERS}


def run_row(stats: Mapping[str, Any]) -> dict[str, int]:
    """The ``crawl_runs`` columns: updated articles count as stored there."""
    values = counts(stats)
    row = {c.name: values[c.name] for c in COUNTERS if c.in_run_row}
    row["stored"] += values["updated"]
    return row


def progress_line(stats: Mapping[str, Any]) -> str:
    values = counts(stats)
    return " · ".join(f"{c.progress} {values[c.name]}" for c in COUNTERS if c.progress)


# Scrapy's finish reason when a signal (Ctrl-C, SIGTERM) stopped the crawl.
SHUTDOWN = "shutdown"
# Ours when a write found the database misconfigured mid-run (schema gone, read-only
# file, login refused): retrying cannot help, so the crawl stops (exit 2).
DATABASE_MISCONFIGURED = "database_misconfigured"


def failure_reason(values: Mapping[str, int]) -> str | None:
    """Why a crawl that ran to its end still failed: nothing fetched, or only errors.

    An incremental run that found nothing new (pages skipped as known, 304s) succeeded."""
    answered = sum(
        values[name]
        for name in (
            "stored", "updated", "unchanged", "duplicates", "off_topic", "not_article", "not_html",
            "skipped", "not_modified",
        )
    )  # fmt: skip
    if answered:
        return None
    errors = values["errors"]
    if errors:
        return f"every request failed ({errors} fetch error{'s' * (errors != 1)}, nothing stored)"
    return "nothing was fetched"


def run_status(finish_reason: str, values: Mapping[str, int], pending_in_spool: int) -> str:
    """The ``crawl_runs.status`` a run ends with: interrupted, failed, spooled or finished
    (or Scrapy's own reason, e.g. a CLOSESPIDER limit)."""
    if finish_reason == SHUTDOWN:
        return "interrupted"
    if finish_reason != "finished":
        return finish_reason
    if failure_reason(values):
        return "failed"
    return "spooled" if pending_in_spool else "finished"
