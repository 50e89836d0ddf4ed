"""DEAR's last-modified timestamps, made comparable (stdlib only).

DEAR writes the same instant in several shapes: ``2018-01-24T05:07:23.917Z``,
``2017-11-22T10:10:49.75Z``, purchase lists without the ``Z`` (``…44.05``), some
without a fraction. The cache compares a record's stamp now with the one it saw when
it saved the record, so both must be written one way: UTC, seven fraction digits,
``Z``. Anything that does not look like a timestamp is kept as its trimmed text
(compared exactly), so an odd value can only cause a refetch, never a stale hit.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_FRACTION_DIGITS = 7  # DEAR's longest fraction (payment DateCreated): keep every digit
_STAMP = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def canonical_stamp(value: object) -> str | None:
    """Return one spelling for one instant; None when there is no usable value."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}0Z"
    text = str(value).strip()
    if not text:
        return None
    match = _STAMP.match(text)
    if not match:
        return text
    fraction = (match.group("f") or "")[:_FRACTION_DIGITS].ljust(_FRACTION_DIGITS, "0")
    try:
        moment = datetime.fromisoformat(
            f"{match.group('date')}T{match.group('h')}:{match.group('m')}:{match.group('s') or '00'}"
        )
    except ValueError:
        return text
    zone = (match.group("zone") or "Z").upper()
    if zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        moment -= sign * offset
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + fraction + "Z"


def parse_stamp(value: object) -> datetime | None:
    """Return the instant a DEAR timestamp names, in UTC (None if it is not a timestamp)."""
    text = canonical_stamp(value)
    if text is None or not _STAMP.match(text):
        return None
    # why: datetime keeps six fraction digits; the seventh never matters for ages
    return datetime.fromisoformat(text[:26]).replace(tzinfo=UTC)


def utc_now_text() -> str:
    """Return now, in UTC, in the cache's own spelling."""
    return canonical_stamp(datetime.now(UTC)) or ""
