"""Quick date ranges on fixed dates (app.services.dateranges)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.errors import ConfigurationError
from app.services.dateranges import QUICK_RANGES, DateRange, is_quick, label, quick_range, resolve, validate

FRIDAY = date(2026, 11, 27)


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
