"""Excel table names: a report's sheet title made into a legal, unique table name.

Excel's rules for a table name: letters, digits, underscores and full stops; it starts with a
letter or an underscore; it must not read as a cell reference ("AB12", "R1C1"); it is unique in
the workbook among tables and defined names, compared without regard to case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

MAX_TABLE_NAME = 255

_WORD_RE = re.compile(r"[A-Za-z0-9]+")
# "A1".."XFD1048576" and R1C1 references are what Excel refuses as names.
_CELL_LIKE_RE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[RrCc])$")


def table_name(title: str) -> str:
    """Return the table name for a sheet title: "Sale order lines" -> "SaleOrderLines"."""
    words = _WORD_RE.findall(title)
    name = "".join(word[:1].upper() + word[1:] for word in words) or "Table"
    if name[0].isdigit():
        name = f"T_{name}"
    if _CELL_LIKE_RE.match(name):
        name = f"{name}_"
    return name[:MAX_TABLE_NAME]


class TableNamer:
    """Hands out table names unique within one workbook (ignoring case)."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = {name.casefold() for name in taken}

    def claim(self, title: str) -> str:
        """Return a unique table name for a sheet titled ``title``."""
        return self._unique(table_name(title))

    def claim_name(self, name: str) -> str:
        """Return ``name`` (already a legal table name), made unique."""
        return self._unique(name)

    def continuation(self, first: str, part: int) -> str:
        """Return the table name of part ``part`` (2, 3, ...) of a report whose first table is ``first``."""
        return self._unique(f"{first[: MAX_TABLE_NAME - 8]}_{part}")

    def _unique(self, base: str) -> str:
        candidate, number = base, 2
        while candidate.casefold() in self._taken:
            candidate = f"{base[: MAX_TABLE_NAME - 8]}_{number}"
            number += 1
        self._taken.add(candidate.casefold())
        return candidate


def column_names(headers: Sequence[str]) -> list[str]:
    """Return the headers made unique (ignoring case), as a table's columns must be.

    The header cells carry the same text, so the table and its header row always agree.
    Line breaks become spaces: a table column name is one line.
    """
    seen: set[str] = set()
    names: list[str] = []
    for header in headers:
        base = " ".join(header.split()) or "Column"
        candidate, number = base, 2
        while candidate.casefold() in seen:
            candidate = f"{base} ({number})"
            number += 1
        seen.add(candidate.casefold())
        names.append(candidate)
    return names
