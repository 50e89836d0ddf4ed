"""Checking what a user asked of a report: filter names and values, and column choices.

DEAR silently ignores filters it does not know and values it does not understand
(docs/dear-api.md §1, §7), so a typo would quietly export everything. Every filter is therefore
checked against the report's catalogue entry before any request is sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence

from app.dates import format_for_dear, parse_user_datetime
from app.errors import ConfigurationError
from app.models import ColumnSpec, EndpointSpec, FilterKind, FilterSpec

_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


def _find_filter(spec: EndpointSpec, name: str) -> FilterSpec | None:
    wanted = name.strip().lower()
    for candidate in spec.filters:
        if candidate.name.lower() == wanted:
            return candidate
    return None


def _filter_list(spec: EndpointSpec) -> str:
    return ", ".join(f.name for f in spec.filters) or "none"


def normalise_value(spec: EndpointSpec, item: FilterSpec, value: str) -> str:
    """Return ``value`` in the form DEAR expects for this filter, or raise ConfigurationError."""
    text = value.strip()
    where = f"the {item.label} filter of {spec.label}"
    if item.kind in (FilterKind.DATE, FilterKind.DATETIME):
        return format_for_dear(parse_user_datetime(text))
    if item.kind is FilterKind.BOOL:
        lowered = text.lower()
        if lowered in _TRUE:
            return "true"
        if lowered in _FALSE:
            return "false"
        raise ConfigurationError(f"'{value}' is not a yes/no value for {where}.", hint="Use true or false.")
    if item.kind is FilterKind.CHOICE:
        folded = " ".join(text.split()).casefold()
        for option in item.choices:
            if option.casefold() == folded:
                return option
        raise ConfigurationError(
            f"'{value}' is not one of the values DEAR knows for {where}.",
            hint="Choose one of: " + ", ".join(item.choices) + ".",
        )
    if item.kind is FilterKind.ID:
        try:
            uuid.UUID(text)
        except ValueError:
            raise ConfigurationError(
                f"'{value}' is not a record ID for {where}.",
                hint="IDs look like 3fa85f64-5717-4562-b3fc-2c963f66afa6; copy them from an earlier export.",
            ) from None
        return text
    return text


def check_filters(spec: EndpointSpec, filters: Mapping[str, str]) -> dict[str, str]:
    """Validate and normalise a report's filters; keys become DEAR's own spelling.

    Empty values mean "no filter" and are left out. An unknown name raises a
    ConfigurationError listing the filters this report has.
    """
    checked: dict[str, str] = {}
    for name, value in filters.items():
        item = _find_filter(spec, name)
        if item is None:
            raise ConfigurationError(
                f"The report {spec.label} has no filter called '{name}'.",
                hint=f"Its filters are: {_filter_list(spec)}.",
            )
        if value is None or not str(value).strip():
            continue
        checked[item.name] = normalise_value(spec, item, str(value))
    return checked


def filter_labels(spec: EndpointSpec, filters: Mapping[str, str]) -> dict[str, str]:
    """Return checked filters keyed by their plain-English labels (for the About sheet)."""
    labelled: dict[str, str] = {}
    for name, value in filters.items():
        item = _find_filter(spec, name)
        labelled[item.label if item is not None else name] = value
    return labelled


def distribute_filters(specs: Sequence[EndpointSpec], filters: Mapping[str, str]) -> list[dict[str, str]]:
    """Give each report the filters it has (command line: one filter list for several reports).

    A filter that fits none of the reports raises ConfigurationError naming them.
    """
    shares: list[dict[str, str]] = [{} for _ in specs]
    for name, value in filters.items():
        fits = False
        for share, spec in zip(shares, specs, strict=True):
            if _find_filter(spec, name) is not None:
                share[name] = value
                fits = True
        if not fits:
            labels = ", ".join(spec.label for spec in specs)
            choices = sorted({f.name for spec in specs for f in spec.filters})
            raise ConfigurationError(
                f"None of the chosen reports ({labels}) has a filter called '{name}'.",
                hint="Their filters are: " + (", ".join(choices) or "none") + ".",
            )
    return shares


def choose_columns(spec: EndpointSpec, names: Iterable[str] | None) -> tuple[ColumnSpec, ...]:
    """Return the columns to write: the defaults, or the named ones in the order given.

    A column may be named by its field (``OrderNumber``) or its header (``Order number``),
    in any case. An unknown name raises ConfigurationError listing the valid ones.
    """
    if names is None:
        return tuple(column for column in spec.columns if column.default)
    by_name: dict[str, ColumnSpec] = {}
    for column in spec.columns:
        by_name.setdefault(column.header.casefold(), column)
        by_name[column.field.casefold()] = column
    chosen: list[ColumnSpec] = []
    for name in names:
        found = by_name.get(name.strip().casefold())
        if found is None:
            raise ConfigurationError(
                f"The report {spec.label} has no column called '{name}'.",
                hint="Its columns are: " + ", ".join(c.field for c in spec.columns) + ".",
            )
        if found not in chosen:
            chosen.append(found)
    if not chosen:
        raise ConfigurationError(
            f"No columns were chosen for {spec.label}.", hint="Choose at least one column."
        )
    return tuple(chosen)
