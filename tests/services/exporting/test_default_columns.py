"""Default columns answer the obvious question: email, phone and billing address; a product's description."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.models import CancelToken, Connection, ExportRequest, RateLimit, ReportRequest
from app.sandbox import Sandbox
from app.services.exporting import ExportService


@pytest.fixture
def sb(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox(rate_limit=None, counts={"customer": 12, "supplier": 8, "product": 15, "sale": 5})


def export(sb: Sandbox, key: str, target: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    connection = Connection("Sandbox", sb.account_id, sb.application_key, sb.base_url, RateLimit(1000, 1))
    ExportService(cache=None).run(ExportRequest(connection, (ReportRequest(key),), target), CancelToken())
    book = openpyxl.load_workbook(target, read_only=True)
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    return [str(h) for h in rows[0]], rows[1:]


def main_contact(record: dict[str, Any]) -> dict[str, Any]:
    return next((c for c in record["Contacts"] if c["Default"]), {})


def billing(record: dict[str, Any]) -> dict[str, Any]:
    return next((a for a in record["Addresses"] if a["Type"] == "Billing"), {})


@pytest.mark.parametrize(("key", "view"), [("customers", "customers"), ("suppliers", "suppliers")])
def test_parties_show_the_main_contact_and_billing_address(
    sb: Sandbox, tmp_path: Path, key: str, view: str
) -> None:
    header, rows = export(sb, key, tmp_path / f"{key}.xlsx")
    records = {r["Name"]: r for r in getattr(sb.dataset, view) if r["Status"] == "Active"}
    wanted = (
        "Main contact",
        "Email",
        "Phone",
        "Billing address",
        "Billing city",
        "Billing postcode",
        "Billing country",
    )
    assert set(wanted) <= set(header)
    assert len(rows) == len(records)
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        record = records[str(cells[header[0]])]
        contact, address = main_contact(record), billing(record)
        assert contact and address  # the sandbox gives every party both
        assert cells["Main contact"] == contact["Name"]
        assert cells["Email"] == contact["Email"]
        assert cells["Phone"] == contact["Phone"]
        assert cells["Billing address"] == address["Line1"]
        assert cells["Billing city"] == address["City"]
        assert str(cells["Billing postcode"]) == address["Postcode"]
        assert cells["Billing country"] == address["Country"]


def test_products_show_their_description(sb: Sandbox, tmp_path: Path) -> None:
    header, rows = export(sb, "products", tmp_path / "products.xlsx")
    assert "Description" in header
    described = [row[header.index("Description")] for row in rows if row[header.index("Description")]]
    assert len(described) >= 5
    assert any(str(text).startswith("A well made ") for text in described)
