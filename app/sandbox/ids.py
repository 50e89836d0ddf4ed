"""Deterministic identifiers and DEAR's date and number shapes."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

_TAIL_BITS = 48
_TAIL_MASK = (1 << _TAIL_BITS) - 1
_MULTIPLIER = 0x5DEECE66D  # odd, so multiplying is invertible modulo 2**48
_INVERSE = pow(_MULTIPLIER, -1, 1 << _TAIL_BITS)


def _digest(text: str, size: int) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=size).digest(), "big")


class IdMaker:
    """GUID-shaped IDs that encode their record index, so lookups need no table.

    The last 12 hex digits are the index scrambled with an invertible multiply; the
    rest is a hash of (seed, kind, index). Some IDs come out upper-case, as DEAR's do.
    """

    def __init__(self, seed: int) -> None:
        self._seed = seed

    def make(self, kind: str, index: int) -> str:
        """Return the ID of record ``index`` of ``kind``."""
        salt = _digest(f"{self._seed}:{kind}", 6)
        head = _digest(f"{self._seed}:{kind}:{index}", 10)
        tail = ((index + salt) * _MULTIPLIER) & _TAIL_MASK
        a, b, c, d = head >> 48, (head >> 32) & 0xFFFF, (head >> 20) & 0xFFF, (head >> 8) & 0xFFF
        text = f"{a:08x}-{b:04x}-4{c:03x}-{8 | (d >> 10):x}{d & 0x3FF:03x}-{tail:012x}"
        # why: DEAR mostly sends lower-case GUIDs but upper-case ones occur (bins in the docs)
        return text.upper() if index % 13 == 5 else text

    def index(self, kind: str, text: str, count: int) -> int | None:
        """Return the index encoded in ``text`` if it is a valid ID of ``kind`` (case-insensitive)."""
        text = text.strip()
        if len(text) != 36:
            return None
        try:
            tail = int(text[-12:], 16)
        except ValueError:
            return None
        salt = _digest(f"{self._seed}:{kind}", 6)
        index = ((tail * _INVERSE) - salt) & _TAIL_MASK
        if index >= count or self.make(kind, index).lower() != text.lower():
            return None
        return index

    def sub(self, *parts: object) -> str:
        """Return a stable GUID for a nested record (a line, a task) that is never looked up."""
        value = _digest(":".join(str(p) for p in (self._seed, *parts)), 16)
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-a{text[17:20]}-{text[20:32]}"


def business_date(day: date) -> str:
    """Return a business date as DEAR sends it: ``YYYY-MM-DDT00:00:00``."""
    return f"{day.isoformat()}T00:00:00"


def timestamp(moment: datetime, digits: int = 3, zulu: bool = True) -> str:
    """Return a change timestamp with ``digits`` fraction digits (DEAR trims them) and optional ``Z``."""
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{moment.microsecond:06d}"[:digits]
    return f"{base}.{fraction}{'Z' if zulu else ''}"


def payment_created(moment: datetime) -> str:
    """Return a payment ``DateCreated``: seven fraction digits and ``Z``."""
    return f"{moment.strftime('%Y-%m-%dT%H:%M:%S')}.{moment.microsecond:06d}{moment.microsecond % 10}Z"


def num(value: float, places: int = 4) -> int | float:
    """Return a DEAR number: rounded, and a whole value as a JSON integer."""
    rounded = round(value, places)
    return int(rounded) if rounded == int(rounded) else rounded


def parse_since(text: str) -> datetime | None:
    """Parse a since-filter value (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS[.fff][Z]``) as UTC."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1]
    try:
        if len(value) == 10:
            parsed = datetime.strptime(value, "%Y-%m-%d")
        elif "." in value:
            head, fraction = value.split(".", 1)
            if not fraction.isdigit():
                return None
            parsed = datetime.strptime(head, "%Y-%m-%dT%H:%M:%S")
            parsed = parsed.replace(microsecond=int(fraction[:6].ljust(6, "0")))
        else:
            parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC)


def start_of(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def moment_on(day: date, seconds: float) -> datetime:
    """``seconds`` after midnight UTC of ``day``."""
    return start_of(day) + timedelta(seconds=seconds)
