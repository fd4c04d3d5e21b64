"""The one date parser: every format pages, feeds and flags use, always aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from newsclaims.dates import latest_publish_day, parse_datetime, to_utc

NOON = datetime(2014, 12, 3, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "2014-12-03T12:00:00Z",
        "2014-12-03T12:00:00+00:00",
        "2014-12-03T14:00:00+02:00",
        "2014-12-03T07:00:00-0500",
        "2014-12-03 12:00:00",
        "Wed, 03 Dec 2014 12:00:00 GMT",
        "Wed, 03 Dec 2014 13:00:00 +0100",
        "  2014-12-03T12:00:00Z \n",
    ],
)
def test_every_format_gives_the_same_utc_instant(text):
    parsed = parse_datetime(text)
    assert parsed == NOON and parsed.tzinfo is UTC


def test_a_date_alone_is_midnight_utc():
    assert parse_datetime("2014-12-03") == datetime(2014, 12, 3, tzinfo=UTC)


@pytest.mark.parametrize("text", [None, "", "   ", "yesterday", "2014-13-45", "Wed, 99 Foo"])
def test_what_is_not_a_date_gives_none(text):
    assert parse_datetime(text) is None


def test_to_utc_keeps_the_instant_and_reads_naive_as_utc():
    plus_two = datetime(2014, 12, 3, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert to_utc(plus_two) == NOON and to_utc(plus_two).tzinfo is UTC
    assert to_utc(datetime(2014, 12, 3, 12, 0)) == NOON


def test_the_latest_publish_day_is_the_fetch_date_furthest_ahead_of_utc_never_after_now():
    east = timezone(timedelta(hours=10))
    assert latest_publish_day(datetime(2015, 3, 4, 19, 0, tzinfo=east)) == date(2015, 3, 4)
    assert latest_publish_day(datetime(2015, 3, 4, 9, 59)) == date(2015, 3, 4)  # naive: UTC
    assert latest_publish_day(datetime(2015, 3, 4, 10, 0, tzinfo=UTC)) == date(2015, 3, 5)
    before = (datetime.now(UTC) + timedelta(hours=14)).date()
    ahead = latest_publish_day(datetime.now(UTC) + timedelta(days=400))
    unknown = latest_publish_day(None)
    after = (datetime.now(UTC) + timedelta(hours=14)).date()
    assert before <= ahead <= after
    assert before <= unknown <= after
