"""One home for dates: reading DEAR's shapes, writing DEAR's filter values, and quick date ranges.

Pure calendar arithmetic and text (standard library, plus ``app.errors`` for the messages users
see); nothing here does I/O or knows the catalogue.

* **Reading**: DEAR sends business dates as
  ``YYYY-MM-DDT00:00:00`` and change timestamps in UTC with 0-9 fraction digits, with or
  without ``Z`` (``2018-01-24T05:07:23.917Z``, ``2026-08-28T12:59:44.05``,
  ``2017-12-05T06:54:54.9289846Z``). :func:`parse_dear_datetime` reads them all as naive UTC.
* **Writing**: DEAR's date filters take ``YYYY-MM-DDTHH:MM:SS`` in UTC *without* ``Z`` (a ``Z``
  once made ``saleList?UpdatedSince=`` fail): :func:`format_for_dear`, :func:`format_day_for_dear`.
* **Ranges**: a range is stored as a short *spec*: a quick name (``today``, ``yesterday``,
  ``this-week``, ``last-week``, ``this-month``, ``last-month``, ``this-quarter``,
  ``last-quarter``, ``this-year``, ``last-year``, ``last-N-days``: the N days ending today) or
  explicit dates (``2026-01-01..2026-03-31``, ``2026-01-01..`` for "since that day"). Weeks start
  on Monday; "this month" and the like cover the whole calendar period.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.errors import ConfigurationError

DEAR_DATETIME = "%Y-%m-%dT%H:%M:%S"
"""The shape DEAR's date filters accept: UTC, no fraction, no zone suffix."""

_DEAR_DATE_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)
_LAST_N_DAYS = re.compile(r"^last-(\d{1,4})-days?$")
_EXPLICIT = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})?$")

# --------------------------------------------------------------------------- reading DEAR's dates


def parse_dear_datetime(text: str) -> datetime | None:
    """Parse any date or timestamp shape DEAR sends into a naive UTC datetime.

    Accepts ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM[:SS[.f...]]`` with 0-9 fraction digits,
    with or without ``Z`` or an offset. Returns None for anything else.
    """
    match = _DEAR_DATE_RE.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        value = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro
        )
    except ValueError:
        return None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        value = value - sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return value


def parse_dear_date(text: str) -> date | None:
    """Return the calendar day of a DEAR business date (``2026-03-01T00:00:00``); None if not a date.

    Business dates are the company's calendar days, so they are never shifted by a time zone.
    """
    moment = parse_dear_datetime(text[:10]) if len(text) >= 10 else None
    return moment.date() if moment is not None else None


def parse_user_datetime(text: str) -> datetime:
    """Parse a date a person typed (``YYYY-MM-DD`` or an ISO date-time) into a naive UTC datetime.

    Raises ConfigurationError with an example when the text is not a date.
    """
    raw = text.strip()
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "T", 1) if len(raw) > 10 else raw)
    except ValueError:
        raise ConfigurationError(
            f"'{text}' is not a date.",
            hint="Write dates as YYYY-MM-DD (for example 2024-01-31) or YYYY-MM-DDTHH:MM:SS.",
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


# --------------------------------------------------------------------------- writing DEAR's filters


def format_for_dear(moment: datetime) -> str:
    """Return an instant as DEAR's filters want it: UTC, whole seconds, no ``Z``.

    Aware datetimes are converted to UTC; naive ones are taken as UTC already.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(DEAR_DATETIME)


def format_day_for_dear(day: date, *, last_second: bool = False) -> str:
    """Return a calendar day for a DEAR date filter: its midnight, or its last second."""
    return f"{day.isoformat()}T{'23:59:59' if last_second else '00:00:00'}"


# --------------------------------------------------------------------------- date ranges

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
