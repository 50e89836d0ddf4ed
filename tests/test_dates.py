"""app.dates: every date shape DEAR sends, the values DEAR's filters take, and quick ranges on fixed dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.dates import (
    QUICK_RANGES,
    DateRange,
    format_day_for_dear,
    format_for_dear,
    is_quick,
    label,
    parse_dear_date,
    parse_dear_datetime,
    parse_user_datetime,
    quick_range,
    resolve,
    validate,
)
from app.errors import ConfigurationError

FRIDAY = date(2026, 11, 27)

# --------------------------------------------------------------------------- DEAR's shapes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the documented rule: ISO-8601, UTC, three fraction digits, no zone
        ("2012-11-14T13:28:33.363", datetime(2012, 11, 14, 13, 28, 33, 363000)),
        # business dates: midnight, no fraction, no zone
        ("2026-03-01T00:00:00", datetime(2026, 3, 1)),
        # change timestamps: a variable number of fraction digits and a Z
        ("2018-01-24T05:07:23.917Z", datetime(2018, 1, 24, 5, 7, 23, 917000)),
        ("2017-11-22T10:10:49.75Z", datetime(2017, 11, 22, 10, 10, 49, 750000)),
        ("2021-11-11T13:27:28.16Z", datetime(2021, 11, 11, 13, 27, 28, 160000)),
        # payment DateCreated: seven fraction digits (cut to microseconds)
        ("2017-12-05T06:54:54.9289846Z", datetime(2017, 12, 5, 6, 54, 54, 928984)),
        # purchaseList LastUpdatedDate in production: no Z, two digits; doc examples with Z
        ("2026-08-28T12:59:44.05", datetime(2026, 8, 28, 12, 59, 44, 50000)),
        ("2026-08-28T12:59:44.337Z", datetime(2026, 8, 28, 12, 59, 44, 337000)),
        # CRM task dates: seconds and Z, no fraction
        ("2024-06-01T08:15:00Z", datetime(2024, 6, 1, 8, 15)),
        # Me.LockDate / OpeningBalanceDate as the example shows them
        ("2021-07-31T00:00:00", datetime(2021, 7, 31)),
        # date-only values, whole-second and minute-only times, and offsets (converted to UTC)
        ("2024-06-01", datetime(2024, 6, 1)),
        ("2024-03-05T00:00:00", datetime(2024, 3, 5)),
        ("2024-06-01T08:15", datetime(2024, 6, 1, 8, 15)),
        ("2024-06-01T10:15:00+02:00", datetime(2024, 6, 1, 8, 15)),
        ("2024-06-01T03:15:00-0500", datetime(2024, 6, 1, 8, 15)),
        (" 2024-06-01T08:15:00Z ", datetime(2024, 6, 1, 8, 15)),
    ],
)
def test_every_dear_shape_parses_to_naive_utc(text: str, expected: datetime) -> None:
    parsed = parse_dear_datetime(text)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is None


@pytest.mark.parametrize(
    "text", ["", "2024-13-01", "2024-02-30T00:00:00", "05/03/2024", "yesterday", "2024-03-05X"]
)
def test_text_that_is_not_a_dear_date_gives_none(text: str) -> None:
    assert parse_dear_datetime(text) is None


def test_business_dates_are_calendar_days_never_shifted() -> None:
    assert parse_dear_date("2026-03-01T00:00:00") == date(2026, 3, 1)
    assert parse_dear_date("2026-03-01T23:30:00-05:00") == date(2026, 3, 1)  # the day as DEAR wrote it
    assert parse_dear_date("2026-03-01") == date(2026, 3, 1)
    assert parse_dear_date("2026-02-30T00:00:00") is None
    assert parse_dear_date("soon") is None


def test_typed_dates_are_read_or_refused_with_an_example() -> None:
    assert parse_user_datetime(" 2024-01-31 ") == datetime(2024, 1, 31)
    assert parse_user_datetime("2024-01-31 08:00:00") == datetime(2024, 1, 31, 8)
    assert parse_user_datetime("2024-01-31T10:00:00+02:00") == datetime(2024, 1, 31, 8)
    with pytest.raises(ConfigurationError, match="'31/01/2024' is not a date") as caught:
        parse_user_datetime("31/01/2024")
    assert "YYYY-MM-DD" in caught.value.hint


def test_filter_values_are_utc_whole_seconds_without_a_zone() -> None:
    auckland = timezone(timedelta(hours=13))
    assert format_for_dear(datetime(2026, 1, 1, 0, 0, 0, 999999, tzinfo=auckland)) == "2025-12-31T11:00:00"
    assert format_for_dear(datetime(2026, 1, 1, 8, 15, 30)) == "2026-01-01T08:15:30"
    assert format_for_dear(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00"
    assert format_day_for_dear(date(2026, 2, 28)) == "2026-02-28T00:00:00"
    assert format_day_for_dear(date(2026, 2, 28), last_second=True) == "2026-02-28T23:59:59"
    for value in (format_for_dear(datetime(2026, 1, 1, tzinfo=auckland)), format_day_for_dear(FRIDAY)):
        assert parse_dear_datetime(value) is not None and not value.endswith("Z")


# --------------------------------------------------------------------------- quick ranges


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("today", date(2026, 11, 27), date(2026, 11, 27)),
        ("yesterday", date(2026, 11, 26), date(2026, 11, 26)),
        ("this-week", date(2026, 11, 23), date(2026, 11, 29)),
        ("last-week", date(2026, 11, 16), date(2026, 11, 22)),
        ("this-month", date(2026, 11, 1), date(2026, 11, 30)),
        ("last-month", date(2026, 10, 1), date(2026, 10, 31)),
        ("this-quarter", date(2026, 10, 1), date(2026, 12, 31)),
        ("last-quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("this-year", date(2026, 1, 1), date(2026, 12, 31)),
        ("last-year", date(2025, 1, 1), date(2025, 12, 31)),
        ("last-7-days", date(2026, 11, 21), date(2026, 11, 27)),
        ("last-30-days", date(2026, 10, 29), date(2026, 11, 27)),
        ("last-1-day", date(2026, 11, 27), date(2026, 11, 27)),
    ],
)
def test_quick_ranges_on_friday_27_november_2026(name: str, start: date, end: date) -> None:
    assert quick_range(name, FRIDAY) == DateRange(start, end)


@pytest.mark.parametrize(
    ("today", "name", "start", "end"),
    [
        (date(2026, 1, 15), "last-month", date(2025, 12, 1), date(2025, 12, 31)),
        (date(2026, 1, 15), "last-quarter", date(2025, 10, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), "yesterday", date(2025, 12, 31), date(2025, 12, 31)),
        (date(2028, 3, 10), "last-month", date(2028, 2, 1), date(2028, 2, 29)),
        (date(2027, 3, 10), "last-month", date(2027, 2, 1), date(2027, 2, 28)),
        (date(2026, 3, 31), "this-quarter", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), "last-quarter", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 11, 23), "this-week", date(2026, 11, 23), date(2026, 11, 29)),  # a Monday
        (date(2026, 11, 29), "last-week", date(2026, 11, 16), date(2026, 11, 22)),  # a Sunday
        (date(2027, 1, 3), "last-week", date(2026, 12, 21), date(2026, 12, 27)),
    ],
)
def test_quick_ranges_across_month_quarter_and_year_ends(
    today: date, name: str, start: date, end: date
) -> None:
    assert quick_range(name, today) == DateRange(start, end)


def test_every_offered_range_resolves_and_has_a_label() -> None:
    contain_today = {"today", "this-week", "this-month", "this-quarter", "this-year"}
    contain_today |= {"last-7-days", "last-30-days", "last-90-days"}
    for name, text in QUICK_RANGES.items():
        window = resolve(name, FRIDAY)
        assert window.end is not None
        assert window.contains(FRIDAY) is (name in contain_today), name
        assert label(name) == text
        assert is_quick(name)


def test_explicit_dates() -> None:
    assert resolve("2026-01-01..2026-03-31", FRIDAY) == DateRange(date(2026, 1, 1), date(2026, 3, 31))
    assert resolve(" 2026-01-01.. ", FRIDAY) == DateRange(date(2026, 1, 1), None)
    assert not is_quick("2026-01-01..2026-03-31")
    assert label("2026-01-01..2026-03-31") == "01 Jan 2026 to 31 Mar 2026"
    assert label("2026-01-01..") == "Since 01 Jan 2026"
    assert label("last-14-days") == "Last 14 days"
    assert DateRange(date(2026, 1, 1), date(2026, 3, 31)).to_spec() == "2026-01-01..2026-03-31"
    assert DateRange(date(2026, 1, 1)).to_spec() == "2026-01-01.."
    assert validate(" Last-Month ") == "last-month"


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("next-month", "is not a date range this app knows"),
        ("last-0-days", "is not a date range"),
        ("2026-02-30..", "does not exist"),
        ("2026-03-01..2026-02-01", "ends (01 Feb 2026) before it starts (01 Mar 2026)"),
    ],
)
def test_unusable_specs_say_what_is_wrong(spec: str, words: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve(spec, FRIDAY)
    assert words in caught.value.message
    assert caught.value.hint


def test_contains_includes_both_ends() -> None:
    window = DateRange(date(2026, 10, 1), date(2026, 10, 31))
    assert window.contains(date(2026, 10, 1))
    assert window.contains(date(2026, 10, 31))
    assert not window.contains(date(2026, 11, 1))
    assert not window.contains(date(2026, 9, 30))
    assert DateRange(date(2026, 10, 1)).contains(date(2030, 1, 1))


def test_day_boundaries_in_a_given_time_zone_become_utc_instants() -> None:
    auckland_summer = timezone(timedelta(hours=13))
    window = DateRange(date(2026, 10, 1), date(2026, 10, 31))
    assert window.start_instant(auckland_summer) == datetime(2026, 9, 30, 11, 0, tzinfo=UTC)
    assert window.end_instant(auckland_summer) == datetime(2026, 10, 31, 11, 0, tzinfo=UTC)
    assert window.start_instant(UTC) == datetime(2026, 10, 1, tzinfo=UTC)
    assert DateRange(date(2026, 10, 1)).end_instant(UTC) is None
