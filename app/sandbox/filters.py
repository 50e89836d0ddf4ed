"""DEAR's list filters as predicates over the filter index: contains, starts with, equals, since.

Matching rules follow docs/dear-api.md §8.6 (text filters) and §5.1 (date filter values).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.sandbox.account import JsonDict
from app.sandbox.dataset import Dataset
from app.sandbox.ids import parse_since
from app.sandbox.paging import BadRequestError, Query


def contains(value: Any, needle: str) -> bool:
    """Return True if ``value`` is text containing ``needle`` (any case)."""
    return isinstance(value, str) and needle.lower() in value.lower()


def starts(value: Any, prefix: str) -> bool:
    """Return True if ``value`` is text starting with ``prefix`` (any case)."""
    return isinstance(value, str) and value.lower().startswith(prefix.lower())


def equals(value: Any, wanted: str) -> bool:
    """Return True if ``value`` is text equal to ``wanted`` (any case, outer spaces ignored)."""
    return isinstance(value, str) and value.lower() == wanted.strip().lower()


_LABELS = {
    "updatedsince": "UpdatedSince",
    "createdsince": "CreatedSince",
    "modifiedsince": "ModifiedSince",
    "shipby": "ShipBy",
    "requiredby": "RequiredBy",
    "fromdate": "FromDate",
    "todate": "ToDate",
}


def since(query: Query, name: str) -> float | None:
    """Return a date filter's value as a UTC timestamp, None if absent; 400 if DEAR would refuse it."""
    raw = query.get(name)
    if raw is None or raw.strip() == "":
        return None
    parsed = parse_since(raw)
    if parsed is None:
        label = _LABELS.get(name, name)
        raise BadRequestError(
            f"'{raw}' is not a valid value for {label}. Use the format YYYY-MM-DDTHH:MM:SS."
        )
    return parsed.timestamp()


Pred = Callable[[JsonDict], bool]


def filters(query: Query, spec: Mapping[str, Callable[[str], Pred]]) -> list[Pred]:
    """Return the predicates of the filters present in the query."""
    return [make(query[name]) for name, make in spec.items() if query.get(name, "") != ""]


def select(entries: Sequence[JsonDict], preds: list[Pred]) -> list[int]:
    """Return the positions of the entries that pass every predicate."""
    return [i for i, e in enumerate(entries) if all(p(e) for p in preds)]


def matching(ds: Dataset, kind: str, preds: list[Pred]) -> Sequence[int]:
    """Return indices of ``kind`` passing every filter; unfiltered lists never build the filter index."""
    if not preds:
        return ds.keys(kind)
    entries = ds.index(kind)
    return [i for i in ds.keys(kind) if all(p(entries[i]) for p in preds)]


def on_field(name: str, test: Callable[[Any, str], bool]) -> Callable[[str], Pred]:
    """Return a filter that tests one field of an entry against the filter's value."""
    return lambda value: lambda e: test(e.get(name), value)


def since_pred(query: Query, param: str, field: str) -> list[Pred]:
    """Return the predicate of a since-filter on ``field`` (none if the filter is absent)."""
    low = since(query, param)
    if low is None:
        return []
    return [lambda e: e.get(f"_{field}") is not None and e[f"_{field}"] >= low]


def id_pred(field: str) -> Callable[[str], Pred]:
    """Return a filter matching an ID field exactly (any case)."""
    return lambda value: lambda e: isinstance(e.get(field), str) and e[field].lower() == value.strip().lower()
