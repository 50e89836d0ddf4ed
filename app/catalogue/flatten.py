"""Flattening: how a nested DEAR record becomes a row of cells.

Nested objects become ``Parent.Field`` columns: a column's ``field`` is a dotted path into
the record (``BillingAddress.City``). Nested arrays either become their own sheet, one row
per element linked to the parent by its ID and name (a :class:`~app.models.ChildTable`),
or are left out: an array never squeezes into one cell. One element of an array may be
picked by a field's value, ``Contacts[Default=true].Email`` (the first element whose
``Default`` is true; compared as text, ignoring case), which is how a customer's main
contact and billing address become columns of the customer's own row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.models import ChildTable, ColumnSpec

_MISSING = object()


def _step(node: Any, path: str) -> Any:
    if not isinstance(node, Mapping):
        return _MISSING
    if path in node:  # a flat key that itself contains dots wins over descending
        return node[path]
    head, dot, rest = path.partition(".")
    if head.endswith("]") and "[" in head:
        name, _, selector = head[:-1].partition("[")
        element = _pick(node.get(name), selector)
        if element is _MISSING or not dot:
            return element
        return _step(element, rest)
    if not dot or head not in node:
        return _MISSING
    return _step(node[head], rest)


def _pick(items: Any, selector: str) -> Any:
    """Return the first object of ``items`` whose field matches ``selector`` (``Type=Billing``)."""
    if not isinstance(items, list):
        return _MISSING
    name, _, wanted = selector.partition("=")
    wanted = wanted.casefold()
    for item in items:
        if isinstance(item, Mapping):
            value = item.get(name)
            if value is not None and str(value).casefold() == wanted:
                return item
    return _MISSING


def has_path(row: Mapping[str, Any], path: str) -> bool:
    """Tell whether the dotted ``path`` leads to a value in ``row`` (null counts as present)."""
    return _step(row, path) is not _MISSING


def value_at(row: Mapping[str, Any], path: str) -> Any:
    """Return the value at the dotted ``path``, or None when any step is missing."""
    value = _step(row, path)
    return None if value is _MISSING else value


def project(row: Mapping[str, Any], columns: Sequence[ColumnSpec]) -> list[Any]:
    """Return the raw values of ``columns`` for one record, in column order."""
    values: list[Any] = []
    for column in columns:
        name = column.field
        # Runs for every cell of an export: plain keys skip the dotted-path walk.
        if name in row:
            values.append(row[name])
        elif "." in name:
            values.append(value_at(row, name))
        else:
            values.append(None)
    return values


def child_elements(row: Mapping[str, Any], child: ChildTable) -> list[Mapping[str, Any]]:
    """Return the objects of a nested array (empty when DEAR sent null or nothing)."""
    value = value_at(row, child.field)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]
