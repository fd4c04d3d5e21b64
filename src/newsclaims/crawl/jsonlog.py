"""One JSON object per log line (``newsclaims crawl --log-json``), for log shippers.

Scrapy's root handler is replaced by one writing ``{"time", "level", "logger",
"message"}`` (plus ``exception`` when there is one) to stderr; the progress line and
the run summary are events of their own (``newsclaims.progress``, ``newsclaims.summary``).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            event.update(fields)
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        return json.dumps(event, default=str, ensure_ascii=False)


def install(level: str) -> None:
    """Send every log record to stderr as JSON, replacing other root handlers."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(level.upper())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    logging.captureWarnings(True)  # a warning is an event too, never a bare line
