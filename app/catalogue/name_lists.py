"""Filters picked by name: which DEAR reference list fills each one, and which field DEAR takes.

A filter such as a sale's "Order location" takes a location's ID; people know the location's
name. Each :class:`NameList` is one of DEAR's lists read through its catalogue entry (the
Locations report reads ``ref/location``); each :class:`Picker` says which list fills a filter and
which field of the chosen record the filter sends (``ID``, ``Name``, an account ``Code``).
Master data refers to other records by name, accounts by code (docs/dear-api.md §5.2).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models import EndpointSpec


@dataclass(frozen=True)
class NameList:
    """One DEAR list offered by name: the catalogue entry that reads it and its fields."""

    key: str
    report: str  # the catalogue entry whose path and list key read it
    noun: str  # one record, for messages ("location")
    name_field: str  # what people call a record
    fields: tuple[str, ...]  # the fields kept: the name and every field a filter sends
    code_field: str = ""  # shown before the name when set ("200 · Sales")


@dataclass(frozen=True)
class Picker:
    """A filter filled from a name list: the list, and the field of the chosen record DEAR takes."""

    list_key: str
    value_field: str


LISTS: dict[str, NameList] = {
    item.key: item
    for item in (
        NameList("locations", "locations", "location", "Name", ("ID", "Name")),
        NameList("categories", "categories", "product category", "Name", ("ID", "Name")),
        NameList("carriers", "carriers", "carrier", "Description", ("CarrierID", "Description")),
        NameList("customers", "customers", "customer", "Name", ("ID", "Name")),
        NameList("suppliers", "suppliers", "supplier", "Name", ("ID", "Name")),
        NameList("accounts", "accounts", "account", "Name", ("Code", "Name"), code_field="Code"),
        NameList("tax-rules", "tax-rules", "tax rule", "Name", ("ID", "Name")),
        NameList("payment-terms", "payment-terms", "payment term", "Name", ("ID", "Name")),
        NameList("attribute-sets", "attribute-sets", "attribute set", "Name", ("ID", "Name")),
    )
}

# Filters with the same DEAR name mean the same thing on every report that has them.
_BY_FILTER: dict[str, Picker] = {
    "OrderLocationID": Picker("locations", "ID"),
    "Location": Picker("locations", "Name"),
    "Category": Picker("categories", "Name"),
    "CarrierID": Picker("carriers", "CarrierID"),
    "Account": Picker("accounts", "Code"),
}

# A reference report's own ID and exact-name filters pick from its own list ("starts with" and
# "contains" name filters stay search boxes: part of a name is what they are for).
_BY_REPORT: dict[tuple[str, str], Picker] = {
    ("locations", "ID"): Picker("locations", "ID"),
    ("carriers", "Description"): Picker("carriers", "Description"),
    ("customers", "ID"): Picker("customers", "ID"),
    ("suppliers", "ID"): Picker("suppliers", "ID"),
    ("accounts", "Code"): Picker("accounts", "Code"),
    ("tax-rules", "ID"): Picker("tax-rules", "ID"),
    ("tax-rules", "Name"): Picker("tax-rules", "Name"),
    ("payment-terms", "ID"): Picker("payment-terms", "ID"),
    ("payment-terms", "Name"): Picker("payment-terms", "Name"),
    ("attribute-sets", "ID"): Picker("attribute-sets", "ID"),
    ("attribute-sets", "Name"): Picker("attribute-sets", "Name"),
}


def picker_for(spec: EndpointSpec, filter_name: str) -> Picker | None:
    """Return the name list that fills one filter of a report (None: typed as it is)."""
    if not any(f.name == filter_name for f in spec.filters):
        return None
    return _BY_REPORT.get((spec.key, filter_name)) or _BY_FILTER.get(filter_name)


def name_list(key: str) -> NameList:
    """Return a name list by its key (KeyError for one this catalogue does not have)."""
    return LISTS[key]
