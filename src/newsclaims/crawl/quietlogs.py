"""One line per expected network failure: no tracebacks, never an empty reason.

Scrapy logs a robots.txt that could not be fetched (offline, DNS, refused) at ERROR with
a full traceback, and "Gave up retrying … : " (with nothing after the colon when the
exception has no message) before the page's own fetch error line. Both are expected on a real crawl; an operator needs the URL
and the reason on one line. These filters rewrite such records in place (the page itself
is recorded in ``fetch_errors`` by the spider's errback); ``--log-level DEBUG`` keeps
the tracebacks for bug reports.
"""

from __future__ import annotations

import logging
from typing import Any

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"
RETRY_LOGGER = "scrapy.downloadermiddlewares.retry"


def exception_reason(error: object) -> str:
    """'Name: message', the class's first doc line when the message is empty."""
    if not isinstance(error, BaseException):
        text = str(error).strip()
        return text or "no reason given"
    name = type(error).__name__
    message = str(error).strip()
    if not message and type(error).__doc__:
        message = (type(error).__doc__ or "").strip().splitlines()[0]
    return f"{name}: {message}" if message else name


class _RobotsFailure(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.levelno >= logging.ERROR:
            args = record.args if isinstance(record.args, dict) else {}
            error = args.get("f_exception") or (record.exc_info[1] if record.exc_info else None)
            record.msg = "robots.txt for %(request)s could not be fetched (%(reason)s); crawling on"
            record.args = {"request": args.get("request"), "reason": exception_reason(error)}
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class _RetryReason(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Gave up retrying"):
            # The errback records the page and logs one "fetch error URL: reason" line
            # (robots.txt: one "could not be fetched" line); this would be the second.
            return False
        args = record.args
        if isinstance(args, dict) and "reason" in args:
            reason = args["reason"]
            text = str(reason).strip()
            if not text or isinstance(reason, BaseException):
                record.args = {**args, "reason": exception_reason(reason)}
        return True


_FILTERS = {ROBOTS_LOGGER: _RobotsFailure(), RETRY_LOGGER: _RetryReason()}


def install() -> None:
    """Add the filters once (idempotent: a second crawl in one process adds nothing)."""
    for name, log_filter in _FILTERS.items():
        logger = logging.getLogger(name)
        if log_filter not in logger.filters:
            logger.addFilter(log_filter)


class QuietLogs:
    """Scrapy extension: installs the filters unless the log level is DEBUG."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> QuietLogs:
        if crawler.settings.get("LOG_LEVEL") != "DEBUG":
            install()
        return cls()
