"""The endpoint catalogue: every exportable report as plain data, plus named hooks.

``ENDPOINTS`` lists the reports group by group in display order (line-level reports first
within their group). The window, the client, the export service and the command line all
read these specs; nothing else decides what a report fetches or how it looks.
"""

from __future__ import annotations

from app.catalogue import finance, inventory, manufacturing, products, purchases, reference, sales
from app.errors import ConfigurationError
from app.models import EndpointSpec, Group

ENDPOINTS: tuple[EndpointSpec, ...] = (
    *products.ENTRIES,
    *sales.ENTRIES,
    *purchases.ENTRIES,
    *inventory.ENTRIES,
    *manufacturing.ENTRIES,
    *finance.ENTRIES,
    *reference.ENTRIES,
)

_BY_KEY: dict[str, EndpointSpec] = {spec.key: spec for spec in ENDPOINTS}


def keys() -> tuple[str, ...]:
    """Return every report key, in display order."""
    return tuple(_BY_KEY)


def get(key: str) -> EndpointSpec:
    """Return the report with this key; raise a ConfigurationError listing valid keys if none."""
    spec = _BY_KEY.get(key.strip().lower())
    if spec is None:
        raise ConfigurationError(
            f"There is no report called '{key}'.",
            hint="Choose one of: " + ", ".join(keys()) + ".",
        )
    return spec


def by_group() -> dict[Group, list[EndpointSpec]]:
    """Return the reports of each group, groups in display order (empty groups left out)."""
    groups: dict[Group, list[EndpointSpec]] = {}
    for group in Group:
        members = [spec for spec in ENDPOINTS if spec.group is group]
        if members:
            groups[group] = members
    return groups


def sheet_title(spec: EndpointSpec) -> str:
    """Return the sheet (or CSV file) name a report writes to."""
    return spec.sheet_name or spec.label


# What one record of each list is called in messages ("All 812 sales arrived").
_RECORD_NOUNS: dict[str, str] = {
    "product": "products",
    "ref/productavailability": "stock rows",
    "productfamily": "product families",
    "customer": "customers",
    "supplier": "suppliers",
    "salelist": "sales",
    "salecreditnotelist": "sale credit notes",
    "purchaselist": "purchases",
    "purchasecreditnotelist": "purchase credit notes",
    "stockadjustmentlist": "stock adjustments",
    "stocktransferlist": "stock transfers",
    "stocktakelist": "stocktakes",
    "inventorywriteofflist": "write-offs",
    "finishedgoodslist": "assemblies",
    "disassemblylist": "disassemblies",
    "journal": "journals",
    "transactions": "transactions",
    "moneytasklist": "money tasks",
    "ref/account": "accounts",
    "ref/account/bank": "bank accounts",
    "ref/tax": "tax rules",
    "ref/paymentterm": "payment terms",
    "ref/pricetier": "price tiers",
    "ref/unit": "units",
    "ref/category": "categories",
    "ref/brand": "brands",
    "ref/carrier": "carriers",
    "ref/location": "locations",
    "ref/attributeset": "attribute sets",
    "me/addresses": "addresses",
    "me/contacts": "contacts",
}


def record_noun(spec: EndpointSpec) -> str:
    """Return what the records of a report's list are called, plural ("sales", "products")."""
    return _RECORD_NOUNS.get(spec.path.strip("/").lower(), "records")


__all__ = ["ENDPOINTS", "by_group", "get", "keys", "record_noun", "sheet_title"]
