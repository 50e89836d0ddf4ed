"""Quick date ranges ("last month", "last 7 days", ...) as plain calendar arithmetic (pure, no I/O).

A range is written as a short *spec* that presets and settings store:

* a quick range name: ``today``, ``yesterday``, ``this-week``, ``last-week``, ``this-month``,
  ``last-month``, ``this-quarter``, ``last-quarter``, ``this-year``, ``last-year``, or
  ``last-N-days`` (the N days ending today, today included);
* explicit dates: ``2026-01-01..2026-03-31``, or ``2026-01-01..`` for "since that day".

Weeks start on Monday. "This month" and the like cover the whole calendar period, so a range
resolved on the 3rd still ends on the last day of the month.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.errors import ConfigurationError

_LAST_N_DAYS = re.compile(r"^last-(\d{1,4})-days?$")
_EXPLICIT = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})?$")

QUICK_RANGES: dict[str, str] = {
    "today": "Today",
    "yesterday": "Yesterday",
    "this-week": "This week",
    "last-week": "Last week",
    "this-month": "This month",
    "last-month": "Last month",
    "this-quarter": "This quarter",
    "last-quarter": "Last quarter",
    "this-year": "This year",
    "last-year": "Last year",
    "last-7-days": "Last 7 days",
    "last-30-days": "Last 30 days",
    "last-90-days": "Last 90 days",
}
"""The ranges the window offers, in display order (any ``last-N-days`` is also accepted)."""


@dataclass(frozen=True)
class DateRange:
    """Calendar days from ``start`` to ``end``, both included; ``end`` None means "up to now"."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ConfigurationError(
                f"The date range ends ({self.end:%d %b %Y}) before it starts ({self.start:%d %b %Y}).",
                hint="Choose an end date on or after the start date.",
            )

    def contains(self, day: date) -> bool:
        """Tell whether ``day`` falls inside the range."""
        return self.start <= day and (self.end is None or day <= self.end)

    def start_instant(self, zone: tzinfo | None = None) -> datetime:
        """Return midnight at the start, in ``zone`` (default: this computer's time zone), in UTC."""
        return _midnight(self.start, zone)

    def end_instant(self, zone: tzinfo | None = None) -> datetime | None:
        """Return the first instant after the range (midnight after ``end``) in UTC; None if open."""
        if self.end is None:
            return None
        return _midnight(self.end + timedelta(days=1), zone)

    def to_spec(self) -> str:
        """Return the range as explicit-dates spec text (``2026-01-01..2026-03-31``)."""
        return f"{self.start.isoformat()}..{self.end.isoformat() if self.end else ''}"

    def describe(self) -> str:
        """Describe the dates in plain English, for messages."""
        if self.end is None:
            return f"since {self.start:%d %b %Y}"
        if self.end == self.start:
            return f"{self.start:%d %b %Y}"
        return f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"


def _midnight(day: date, zone: tzinfo | None) -> datetime:
    local = datetime.combine(day, time.min)
    aware = local.replace(tzinfo=zone) if zone is not None else local.astimezone()
    return aware.astimezone(UTC)


def quick_range(name: str, today: date) -> DateRange:
    """Return the dates a quick range name covers on ``today``; ConfigurationError if unknown."""
    if name == "today":
        return DateRange(today, today)
    if name == "yesterday":
        day = today - timedelta(days=1)
        return DateRange(day, day)
    if name in ("this-week", "last-week"):
        monday = today - timedelta(days=today.weekday())
        if name == "last-week":
            monday -= timedelta(days=7)
        return DateRange(monday, monday + timedelta(days=6))
    if name == "this-month":
        return _month(today.year, today.month)
    if name == "last-month":
        year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
        return _month(year, month)
    if name in ("this-quarter", "last-quarter"):
        quarter = (today.month - 1) // 3  # 0..3
        year = today.year
        if name == "last-quarter":
            year, quarter = (year - 1, 3) if quarter == 0 else (year, quarter - 1)
        first = date(year, quarter * 3 + 1, 1)
        last_month = quarter * 3 + 3
        return DateRange(first, date(year, last_month, monthrange(year, last_month)[1]))
    if name == "this-year":
        return DateRange(date(today.year, 1, 1), date(today.year, 12, 31))
    if name == "last-year":
        return DateRange(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    match = _LAST_N_DAYS.match(name)
    if match:
        days = int(match.group(1))
        if days < 1:
            raise ConfigurationError("'last-0-days' is not a date range.", hint="Use at least one day.")
        return DateRange(today - timedelta(days=days - 1), today)
    raise ConfigurationError(
        f"'{name}' is not a date range this app knows.",
        hint=f"Use one of: {', '.join(QUICK_RANGES)}, last-N-days, or dates like 2026-01-01..2026-03-31.",
    )


def _month(year: int, month: int) -> DateRange:
    return DateRange(date(year, month, 1), date(year, month, monthrange(year, month)[1]))


def is_quick(spec: str) -> bool:
    """Tell whether ``spec`` is a quick range name (one that moves with the calendar)."""
    return spec in QUICK_RANGES or bool(_LAST_N_DAYS.match(spec))


def resolve(spec: str, today: date) -> DateRange:
    """Return the dates a spec (quick name or explicit dates) covers on ``today``."""
    text = spec.strip().lower()
    match = _EXPLICIT.match(text)
    if match:
        try:
            start = date.fromisoformat(match.group(1))
            end = date.fromisoformat(match.group(2)) if match.group(2) else None
        except ValueError:
            raise ConfigurationError(
                f"'{spec}' contains a date that does not exist.", hint="Write dates as YYYY-MM-DD."
            ) from None
        return DateRange(start, end)
    return quick_range(text, today)


def validate(spec: str) -> str:
    """Check a spec without a calendar and return it normalised; ConfigurationError if unusable."""
    text = spec.strip().lower()
    resolve(text, date(2000, 1, 1))
    return text


def label(spec: str) -> str:
    """Name a spec in plain English: "Last month", "Last 14 days", "01 Jan 2026 to 31 Mar 2026"."""
    text = spec.strip().lower()
    if text in QUICK_RANGES:
        return QUICK_RANGES[text]
    match = _LAST_N_DAYS.match(text)
    if match:
        days = int(match.group(1))
        return "Last day" if days == 1 else f"Last {days} days"
    described = resolve(text, date(2000, 1, 1)).describe()
    return described[:1].upper() + described[1:]
