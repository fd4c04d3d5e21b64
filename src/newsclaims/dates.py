"""One date parser and one rule for time zones: every time newsclaims keeps is aware UTC.

Pages, feeds, sitemaps and command-line filters write dates in ISO 8601, in a
``+0000``-offset variant, or in RFC 2822 (RSS); a value without a zone is taken as UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

_COMPACT_OFFSET = "%Y-%m-%dT%H:%M:%S%z"


def to_utc(value: datetime) -> datetime:
    """The same instant in UTC; a naive value is UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601 (date or date-time), ``…T…+0000``, or RFC 2822; None when it is none of them."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return to_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return to_utc(datetime.strptime(text, _COMPACT_OFFSET))
    except ValueError:
        pass
    try:
        return to_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


# The calendar runs up to 14 hours ahead of UTC (UTC+14): a page's local date can be that far on.
_FURTHEST_AHEAD = timedelta(hours=14)


def latest_publish_day(fetched_at: datetime | None) -> date:
    """The last day a page can be dated: the date at its fetch in the zone furthest ahead of
    UTC (a date-only value is the outlet's local date), never later than that date now.

    An archived page was written before its capture: a later date in it (an event it
    announces, a clock gone wrong) is not when it was published, however old the archive.
    """
    now = datetime.now(UTC)
    fetched = now if fetched_at is None else min(to_utc(fetched_at), now)
    return (fetched + _FURTHEST_AHEAD).date()
