"""The fixed order of an export's rows: each report's ``order_by`` fields, then its ID.

Exporting the same data twice gives the same workbook because rows are sorted by these keys,
never left in DEAR's (unstable) list order.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from app.catalogue.flatten import value_at
from app.models import EndpointSpec

_T = TypeVar("_T")
_SORT_SLICE = 5_000

SortKey = tuple[tuple[int, Any], ...]


def sort_part(value: Any) -> tuple[int, Any]:
    """Order values of mixed type: empty first, then numbers, then text (case-insensitive)."""
    if value is None or value == "":
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, str(value).casefold())


def row_key(spec: EndpointSpec, row: Mapping[str, Any]) -> SortKey:
    """Return the key a list row sorts by: the report's ``order_by`` fields, then its ID field(s)."""
    names = (*spec.order_by, *(spec.key_fields or (spec.id_field,)))
    return tuple(sort_part(value_at(row, name)) for name in names)


def sorted_in_slices(items: list[_T], key: Callable[[_T], Any]) -> list[_T]:
    """Return ``items`` sorted by ``key``, stable, in short steps.

    One ``list.sort`` of 100,000 rows holds Python's interpreter lock for a noticeable
    fraction of a second, and the window (on another thread) cannot paint meanwhile. Sorting
    slices and merging them gives the lock back between steps; the result is the same.
    """
    if len(items) <= _SORT_SLICE:
        return sorted(items, key=key)
    slices = [
        sorted(items[start : start + _SORT_SLICE], key=key) for start in range(0, len(items), _SORT_SLICE)
    ]
    return list(heapq.merge(*slices, key=key))
