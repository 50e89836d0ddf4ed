"""Turning raw DEAR JSON values into typed cell values (workbook) and text (CSV).

Rules, by the column's :class:`~app.models.ValueKind`:

- dates and timestamps (every shape DEAR sends, read by ``app.dates``) become naive UTC datetimes;
- numbers stay numbers (numeric strings in number columns are converted, exactly); money
  keeps every digit DEAR sent and gets a 2-decimal number format in the workbook
  (:data:`MONEY_FORMAT`), quantities keep Excel's General format (no forced decimals);
- yes/no stays boolean (also ``"true"``/``"false"`` strings);
- text, codes and GUIDs stay text, with characters XML cannot hold removed and anything
  longer than Excel's cell limit cut with a visible marker;
- ``None`` and ``""`` give an empty cell;
- a value of the wrong shape is written as text rather than failing.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from app.dates import parse_dear_datetime
from app.models import ValueKind

log = logging.getLogger(__name__)

MAX_CELL_CHARS = 32_767
"""Excel's limit on the characters in one cell."""

EXCEL_MAX_ROWS = 1_048_576
"""Rows in one Excel sheet, header included."""

# Our own copy of the set openpyxl refuses in a cell (the control characters XML 1.0 cannot hold),
# so that importing this module (and the window, and the command line) does not load openpyxl.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters a workbook cell cannot hold; tests check it matches openpyxl's own set exactly."""

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MONEY_FORMAT = "#,##0.00"
"""Money cells: thousands separators and 2 decimals shown; the cell keeps DEAR's 4 (or more)."""

# Excel cannot show dates before 1900; DEAR's "no date" placeholder 0001-01-01 is one of them.
_EXCEL_MIN_YEAR = 1900

# What a spreadsheet may treat as the start of a formula (also tab/CR, which Excel strips first).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Typed = None | str | int | float | Decimal | bool | datetime
"""A value ready for a workbook cell."""

_TRUE_WORDS = frozenset({"true", "yes"})
_FALSE_WORDS = frozenset({"false", "no"})


# --------------------------------------------------------------------------- text


def clean_text(text: str) -> str:
    """Remove characters XML cannot hold and cut text longer than a cell, with a marker."""
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        marker = f"… [truncated: {len(text):,} characters in DEAR]"
        text = text[: MAX_CELL_CHARS - len(marker)] + marker
    return text


def looks_like_formula(text: str) -> bool:
    """Tell whether a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def _as_text(value: Any) -> str:
    """Any JSON value as text: strings as they are, everything else in its JSON form."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dict, list, tuple, bool)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _wrong_shape(value: Any, kind: ValueKind) -> str:
    # Only the type goes to the log: values are company data.
    log.debug("A %s value in a %s column was written as text", type(value).__name__, kind.value)
    return clean_text(_as_text(value))


# --------------------------------------------------------------------------- dates


def _to_datetime(value: Any) -> datetime | None:
    if isinstance(value, str):
        parsed = parse_dear_datetime(value)
    elif isinstance(value, datetime):
        parsed = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    else:
        return None
    if parsed is None or parsed.year < _EXCEL_MIN_YEAR:
        return None
    return parsed


def is_date_only(value: datetime) -> bool:
    """Tell whether ``value`` is a business date (midnight, no time of day)."""
    return value.hour == 0 and value.minute == 0 and value.second == 0 and value.microsecond == 0


# --------------------------------------------------------------------------- numbers and yes/no


def _to_number(value: Any, integer: bool) -> int | float | Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return int(value) if integer and value.is_integer() else value
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        try:
            # Decimal keeps every digit DEAR sent. Python also reads "1_000"; DEAR never means that.
            number = Decimal(value.strip()) if "_" not in value else Decimal("nan")
        except InvalidOperation:
            return None
    else:
        return None
    if not number.is_finite():
        return None
    if integer and number == number.to_integral_value():
        return int(number)
    return number


def _to_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


# --------------------------------------------------------------------------- workbook values


def _xlsx_text(value: Any) -> Typed:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return clean_text(value)
    return clean_text(_as_text(value))


def _xlsx_number(value: Any) -> Typed:
    if value is None or value == "":
        return None
    number = _to_number(value, integer=False)
    return _wrong_shape(value, ValueKind.NUMBER) if number is None else number


def _xlsx_integer(value: Any) -> Typed:
    if value is None or value == "":
        return None
    number = _to_number(value, integer=True)
    return _wrong_shape(value, ValueKind.INTEGER) if number is None else number


def _xlsx_date(value: Any) -> Typed:
    if value is None or value == "":
        return None
    parsed = _to_datetime(value)
    return _wrong_shape(value, ValueKind.DATE) if parsed is None else parsed


def _xlsx_datetime(value: Any) -> Typed:
    if value is None or value == "":
        return None
    parsed = _to_datetime(value)
    return _wrong_shape(value, ValueKind.DATETIME) if parsed is None else parsed


def _xlsx_bool(value: Any) -> Typed:
    if value is None or value == "":
        return None
    flag = _to_bool(value)
    return _wrong_shape(value, ValueKind.BOOL) if flag is None else flag


_XLSX: dict[ValueKind, Callable[[Any], Typed]] = {
    ValueKind.TEXT: _xlsx_text,
    ValueKind.ID: _xlsx_text,
    ValueKind.NUMBER: _xlsx_number,
    ValueKind.MONEY: _xlsx_number,  # the value as DEAR sent it; only its format differs
    ValueKind.QUANTITY: _xlsx_number,
    ValueKind.INTEGER: _xlsx_integer,
    ValueKind.DATE: _xlsx_date,
    ValueKind.DATETIME: _xlsx_datetime,
    ValueKind.BOOL: _xlsx_bool,
}


def xlsx_converter(kind: ValueKind) -> Callable[[Any], Typed]:
    """Return the function that turns one raw value of a ``kind`` column into a workbook value."""
    return _XLSX[kind]


def to_xlsx(value: Any, kind: ValueKind) -> Typed:
    """Convert one raw DEAR value into a workbook value (see the module rules)."""
    return _XLSX[kind](value)


# --------------------------------------------------------------------------- CSV text


def plain_decimal(number: int | float | Decimal) -> str:
    """Format a number as plain decimal text, never in exponent form (``0.00001``, not ``1e-05``)."""
    if isinstance(number, int):
        return str(number)
    text = repr(number) if isinstance(number, float) else str(number)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def csv_text(value: Typed, kind: ValueKind) -> str:
    """Format a workbook value (from :func:`to_xlsx`) as CSV text.

    Dates as ``YYYY-MM-DD`` (business dates) or ``YYYY-MM-DD HH:MM:SS``, numbers as plain
    decimals, yes/no as ``TRUE``/``FALSE`` (what Excel shows), and text that a spreadsheet
    could take for a formula prefixed with a single quote.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if kind is ValueKind.DATE and is_date_only(value):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (int, float, Decimal)):
        return plain_decimal(value)
    return "'" + value if looks_like_formula(value) else value


def to_csv(value: Any, kind: ValueKind) -> str:
    """Convert one raw DEAR value into CSV text."""
    return csv_text(_XLSX[kind](value), kind)
