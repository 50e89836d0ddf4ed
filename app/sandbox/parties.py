"""Customers and suppliers: names, addresses, contacts and their list rows."""

from __future__ import annotations

from typing import Any

from app.sandbox import awkward
from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import timestamp


def _addresses(ds: Account, kind: str, i: int, rng: Any) -> list[JsonDict]:
    out = []
    for k, kind_name in enumerate(("Billing", "Business", "Shipping")[: 1 + i % 3]):
        city, state, post, country = awkward.CITIES[(i + k) % len(awkward.CITIES)]
        out.append(
            {
                "ID": ds.ids.sub(kind, "address", i, k),
                "Line1": f"{rng.randrange(1, 400)} Main Road",
                "Line2": "" if k else None,
                "City": city,
                "State": state,
                "Postcode": post,
                "Country": country,
                "Type": kind_name,
                "DefaultForType": True,
            }
        )
    return out


def _contacts(ds: Account, kind: str, i: int) -> list[JsonDict]:
    out = []
    for k in range(1 + i % 2):
        person = awkward.PEOPLE[(i + k) % len(awkward.PEOPLE)]
        out.append(
            {
                "ID": ds.ids.sub(kind, "contact", i, k),
                "Name": person,
                "Phone": f"+64 9 555 {1000 + i:04d}",
                "MobilePhone": "" if k else None,
                "Fax": None,
                "Email": f"contact{i}.{k}@example.com",
                "Website": "",
                "Comment": None if k else "",
                "Default": k == 0,
                "IncludeInEmail": True,
            }
        )
    return out


def party_name(kind: str, i: int) -> str:
    """Return a customer's or supplier's name; awkward ones spread through the list."""
    if kind == "customer":
        if i == 5 or i % 5 == 4:
            if i == 5:
                return awkward.CUSTOMER_NAMES[0]
            return f"{awkward.CUSTOMER_NAMES[1 + (i // 5) % (len(awkward.CUSTOMER_NAMES) - 1)]} {i}"
    elif i % 6 == 3:
        return f"{awkward.SUPPLIER_NAMES[(i // 6) % len(awkward.SUPPLIER_NAMES)]} {i}"
    first = awkward.COMPANY_FIRST[i % len(awkward.COMPANY_FIRST)]
    last = awkward.COMPANY_LAST[(i // len(awkward.COMPANY_FIRST)) % len(awkward.COMPANY_LAST)]
    return f"{first} {last} {i + 1}"


def customer(ds: Account, i: int) -> JsonDict:
    """Return the ``CustomerList[]`` row of customer ``i``."""
    rng = ds.rng("customer", i)
    refs = ds.refs
    return {
        "ID": ds.ids.make("customer", i),
        "Name": party_name("customer", i),
        "Status": "Deprecated" if ds.is_deprecated("customer", i) else "Active",
        "Currency": "NZD" if i % 4 else "AUD",
        "PaymentTerm": refs.payment_terms[i % len(refs.payment_terms)]["Name"],
        "AccountReceivable": "610",
        "RevenueAccount": "200",
        "TaxRule": refs.taxes[0]["Name"],
        "PriceTier": refs.price_tiers[i % 3]["Name"],
        "Carrier": None if i % 3 == 0 else refs.carriers[i % len(refs.carriers)]["Description"],
        "SalesRepresentative": None if i % 2 else refs.me_contacts[0]["Name"],
        "Location": refs.warehouses[i % len(refs.warehouses)]["Name"],
        "Discount": (0, 5, 12.5)[i % 3],
        "Comments": (None, "", "Prefers morning deliveries")[i % 3],
        "TaxNumber": None if i % 2 else f"{100000000 + i}",
        "CreditLimit": (0, 5000, 2500.5)[i % 3],
        "Tags": None if i % 4 else "",
        "AttributeSet": None,
        **{f"AdditionalAttribute{n}": (None if i % 2 else "") for n in range(1, 11)},
        "LastModifiedOn": timestamp(ds.past_moment(rng, 30, 440), 2 + i % 2),
        "IsOnCreditHold": i % 29 == 3,
        "ProductPrices": [],
        "Addresses": _addresses(ds, "customer", i, rng),
        "Contacts": _contacts(ds, "customer", i),
    }


def supplier(ds: Account, i: int) -> JsonDict:
    """Return the ``SupplierList[]`` row of supplier ``i``."""
    rng = ds.rng("supplier", i)
    return {
        "ID": ds.ids.make("supplier", i),
        "Name": party_name("supplier", i),
        "Currency": ("NZD", "USD", "AUD", "CNY")[i % 4],
        "PaymentTerm": ds.refs.payment_terms[(i + 1) % len(ds.refs.payment_terms)]["Name"],
        "AccountPayable": "800",
        "TaxRule": ds.refs.taxes[1]["Name"],
        "Status": "Deprecated" if ds.is_deprecated("supplier", i) else "Active",
        "Discount": (0, 2.5, 10)[i % 3],
        "Comments": (None, "", "Ships on Tuesdays")[i % 3],
        "TaxNumber": None if i % 3 else f"GST-{i:05d}",
        "AttributeSet": None,
        **{f"AdditionalAttribute{n}": (None if i % 2 else "") for n in range(1, 11)},
        "LastModifiedOn": timestamp(ds.past_moment(rng, 30, 440), 3 - i % 2),
        "Addresses": _addresses(ds, "supplier", i, rng),
        "Contacts": _contacts(ds, "supplier", i),
    }
