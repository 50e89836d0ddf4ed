"""Building blocks for catalogue entries: column and filter helpers and DEAR's status words.

The status vocabularies are the documented values (docs/dear-api.md §4.4). DEAR silently ignores
values it does not know, so a filter with a typo would quietly return everything; offering
only documented choices prevents that.
"""

from __future__ import annotations

from app.models import ColumnSpec, FilterKind, FilterSpec, ValueKind

TEXT = ValueKind.TEXT
NUMBER = ValueKind.NUMBER
MONEY = ValueKind.MONEY  # amounts, prices, costs: a 2-decimal format in the workbook, every digit kept
QUANTITY = ValueKind.QUANTITY
INTEGER = ValueKind.INTEGER
DATE = ValueKind.DATE
DATETIME = ValueKind.DATETIME
BOOL = ValueKind.BOOL
GUID = ValueKind.ID


def col(field: str, header: str, kind: ValueKind = TEXT, *, default: bool = True) -> ColumnSpec:
    """Make a column shown by default (``default=False`` keeps it in the picker, unticked)."""
    return ColumnSpec(field=field, header=header, kind=kind, default=default)


def extra(field: str, header: str, kind: ValueKind = TEXT) -> ColumnSpec:
    """Make a rarely used column: offered in the picker but not ticked by default."""
    return ColumnSpec(field=field, header=header, kind=kind, default=False)


def numbered(field: str, header: str, count: int = 10, kind: ValueKind = TEXT) -> tuple[ColumnSpec, ...]:
    """``AdditionalAttribute1..10`` style columns, all unticked by default."""
    return tuple(extra(f"{field}{n}", f"{header} {n}", kind) for n in range(1, count + 1))


def starts_with(name: str, label: str) -> FilterSpec:
    """Make a text filter DEAR matches at the start of the value."""
    return FilterSpec(name, label, FilterKind.TEXT, help="starts with")


def contains(name: str, label: str) -> FilterSpec:
    """Make a text filter DEAR matches anywhere in the value."""
    return FilterSpec(name, label, FilterKind.TEXT, help="contains")


def exact(name: str, label: str, help: str = "exactly this value") -> FilterSpec:
    """Make a text filter DEAR matches as a whole value."""
    return FilterSpec(name, label, FilterKind.TEXT, help=help)


def search(searched: str) -> FilterSpec:
    """Make DEAR's free-text ``Search`` filter; ``searched`` names the fields it looks in."""
    return FilterSpec("Search", "Search", FilterKind.TEXT, help=f"contains; looks in {searched}")


def since(name: str, label: str) -> FilterSpec:
    """Make a "changed since" filter: an instant in UTC."""
    return FilterSpec(name, label, FilterKind.DATETIME, help="on or after this date (and time, UTC)")


def on_date(name: str, label: str, help: str) -> FilterSpec:
    """Make a calendar-date filter."""
    return FilterSpec(name, label, FilterKind.DATE, help=help)


def choice(name: str, label: str, choices: tuple[str, ...]) -> FilterSpec:
    """Make a filter that takes one of DEAR's documented values."""
    return FilterSpec(name, label, FilterKind.CHOICE, choices=choices, help="one value")


def yes_no(name: str, label: str, help: str = "") -> FilterSpec:
    """Make a true/false filter."""
    return FilterSpec(name, label, FilterKind.BOOL, help=help)


def guid(name: str, label: str) -> FilterSpec:
    """Make a filter that takes one record's ID (a GUID)."""
    return FilterSpec(name, label, FilterKind.ID, help="the record's ID")


# --------------------------------------------------------------------------- shared column sets

# Customer and supplier addresses and contacts share one shape (docs/dear-api.md §4.3).
ADDRESS_COLUMNS: tuple[ColumnSpec, ...] = (
    col("Type", "Address type"),
    col("Line1", "Address line 1"),
    col("Line2", "Address line 2"),
    col("City", "City"),
    col("State", "State or region"),
    col("Postcode", "Postcode"),
    col("Country", "Country"),
    col("DefaultForType", "Default for type", BOOL),
    extra("ID", "Address ID", GUID),
)
CONTACT_COLUMNS: tuple[ColumnSpec, ...] = (
    col("Name", "Contact name"),
    col("Email", "Email"),
    col("Phone", "Phone"),
    col("MobilePhone", "Mobile"),
    extra("Fax", "Fax"),
    extra("Website", "Website"),
    extra("Comment", "Comment"),
    col("Default", "Default contact", BOOL),
    extra("IncludeInEmail", "Included in emails", BOOL),
    extra("ID", "Contact ID", GUID),
)

# A customer's or supplier's main contact and billing address as columns of its own row
# (flatten's ``[Field=value]`` picks one element of DEAR's Contacts[] / Addresses[]).
MAIN_CONTACT = "Contacts[Default=true]"
BILLING_ADDRESS = "Addresses[Type=Billing]"


def main_contact_columns() -> tuple[ColumnSpec, ...]:
    """Return the main (default) contact's name, email and phone (ticked) and mobile (offered)."""
    return (
        col(f"{MAIN_CONTACT}.Name", "Main contact"),
        col(f"{MAIN_CONTACT}.Email", "Email"),
        col(f"{MAIN_CONTACT}.Phone", "Phone"),
        extra(f"{MAIN_CONTACT}.MobilePhone", "Mobile"),
    )


def billing_address_columns() -> tuple[ColumnSpec, ...]:
    """Return the (first) billing address, one column per part so it sorts and filters in Excel."""
    return (
        col(f"{BILLING_ADDRESS}.Line1", "Billing address"),
        extra(f"{BILLING_ADDRESS}.Line2", "Billing address line 2"),
        col(f"{BILLING_ADDRESS}.City", "Billing city"),
        col(f"{BILLING_ADDRESS}.State", "Billing state or region"),
        col(f"{BILLING_ADDRESS}.Postcode", "Billing postcode"),
        col(f"{BILLING_ADDRESS}.Country", "Billing country"),
    )


# ------------------------------------------------------------------ status words (docs/dear-api.md §4.4)

SALE_STATUS = (
    "DRAFT",
    "VOIDED",
    "ESTIMATING",
    "ESTIMATED",
    "ORDERING",
    "ORDERED",
    "BACKORDERED",
    "PICKING",
    "PICKED",
    "PACKING",
    "PACKED",
    "SHIPPING",
    "INVOICING",
    "INVOICED",
    "CREDITED",
    "COMPLETED",
)
QUOTE_STATUS = ("NOT AVAILABLE", "DRAFT", "AUTHORISED", "VOIDED")
SALE_ORDER_STATUS = ("NOT AVAILABLE", "DRAFT", "AUTHORISED", "VOIDED", "AUTH_NO_ALLOC", "FULFILLED", "CLOSED")
PICK_STATUS = ("VOIDED", "NOT AVAILABLE", "PICKED", "PICKING", "NOT PICKED", "PARTIALLY PICKED")
PACK_STATUS = ("VOIDED", "NOT AVAILABLE", "PACKED", "PACKING", "NOT PACKED", "PARTIALLY PACKED")
SHIP_STATUS = ("VOIDED", "NOT AVAILABLE", "SHIPPED", "SHIPPING", "NOT SHIPPED", "PARTIALLY SHIPPED")
SALE_INVOICE_STATUS = (
    "VOIDED",
    "DRAFT",
    "AUTHORISED",
    "NOT AVAILABLE",
    "PAID",
    "INVOICED",
    "NOT INVOICED",
    "INVOICED / CREDITED",
    "PARTIALLY INVOICED",
)
TASK_STATUS = ("VOIDED", "DRAFT", "AUTHORISED", "NOT AVAILABLE")
INVOICE_TASK_STATUS = (*TASK_STATUS, "PAID")
PURCHASE_STATUS = (
    "DRAFT",
    "VOIDED",
    "ORDERING",
    "ORDERED",
    "RECEIVING",
    "RECEIVED",
    "INVOICED",
    "CREDITED",
    "RECEIVING / CREDITED",
    "RECEIVED / CREDITED",
    "PARTIALLY INVOICED",
    "COMPLETED",
    "COMPLETED / CREDIT NOTE CLOSED",
)
SIMPLE_TASK_STATUS = ("DRAFT", "COMPLETED", "VOIDED")
TRANSFER_STATUS = ("DRAFT", "IN TRANSIT", "COMPLETED", "VOIDED")
ASSEMBLY_STATUS = ("DRAFT", "AUTHORISED", "IN PROGRESS", "COMPLETED", "VOIDED")
DISASSEMBLY_STATUS = ("DRAFT", "WORK IN PROGRESS", "COMPLETED", "VOIDED")
MONEY_TASK_TYPES = ("Spend Money", "Receive Money", "Transfer Money")
