"""Dotted paths into nested records, and nested arrays as child rows."""

from __future__ import annotations

from app.catalogue.flatten import child_elements, has_path, project, value_at
from app.models import ChildTable, ColumnSpec

SALE = {
    "ID": "s-1",
    "BillingAddress": {"City": "Auckland", "Line2": None},
    "Order": {"Lines": [{"SKU": "A"}, {"SKU": "B"}, "junk"]},
    "Odd.Key": 7,
    "Invoices": None,
}


def test_value_at_follows_dotted_paths_and_returns_none_for_missing_steps() -> None:
    assert value_at(SALE, "BillingAddress.City") == "Auckland"
    assert value_at(SALE, "BillingAddress.Postcode") is None
    assert value_at(SALE, "ID.Nothing") is None
    assert value_at(SALE, "Odd.Key") == 7


def test_has_path_tells_null_from_missing() -> None:
    assert has_path(SALE, "BillingAddress.Line2")
    assert not has_path(SALE, "BillingAddress.Line3")
    assert not has_path(SALE, "Missing.City")


def test_project_gives_values_in_column_order() -> None:
    columns = (ColumnSpec("BillingAddress.City", "City"), ColumnSpec("ID", "ID"), ColumnSpec("Nope", "Nope"))
    assert project(SALE, columns) == ["Auckland", "s-1", None]


def test_child_elements_keeps_objects_only_and_treats_null_as_empty() -> None:
    lines = ChildTable("Order.Lines", "Lines", (ColumnSpec("SKU", "SKU"),))
    assert [e["SKU"] for e in child_elements(SALE, lines)] == ["A", "B"]
    assert child_elements(SALE, ChildTable("Invoices", "Invoices", lines.columns)) == []


PARTY = {
    "Contacts": [
        {"Name": "Second", "Email": "b@example.com", "Default": False},
        {"Name": "Main", "Email": "a@example.com", "Phone": "+64 9 555 0101", "Default": True},
    ],
    "Addresses": [
        {"Type": "Shipping", "Line1": "1 Wharf Road"},
        {"Type": "billing", "Line1": "2 Queen Street", "City": "Auckland"},
    ],
}


def test_a_selector_picks_one_element_of_an_array_by_a_field() -> None:
    assert value_at(PARTY, "Contacts[Default=true].Email") == "a@example.com"
    assert value_at(PARTY, "Contacts[Default=True].Phone") == "+64 9 555 0101"
    assert value_at(PARTY, "Addresses[Type=Billing].Line1") == "2 Queen Street"  # case does not matter
    assert value_at(PARTY, "Addresses[Type=Billing].Postcode") is None
    assert value_at(PARTY, "Addresses[Type=Business].Line1") is None  # no such element: empty, not another
    assert value_at({"Contacts": None}, "Contacts[Default=true].Email") is None
    assert value_at({}, "Contacts[Default=true].Email") is None
    assert has_path(PARTY, "Contacts[Default=true].Email")
    assert not has_path(PARTY, "Contacts[Default=true].Fax")
    columns = [
        ColumnSpec("Contacts[Default=true].Name", "Main contact"),
        ColumnSpec("Addresses[Type=Billing].City", "City"),
    ]
    assert project(PARTY, columns) == ["Main", "Auckland"]
