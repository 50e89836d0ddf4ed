"""Purchase credit note lines and inventory write-off lines exported end to end against the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import catalogue
from app.models import CancelToken, ExportRequest, ReportRequest
from app.sandbox import Sandbox
from app.sandbox.purchases import has_credit_note
from app.services.exporting import ExportService
from tests.services.exporting.test_run import (
    about,
    assert_same_rows,
    cell,
    connect,
    drive,
    line_cells,
    sheet_rows,
)

PURCHASES = 80
WRITE_OFFS = 12


@pytest.fixture
def sb(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox(
        rate_limit=None,
        seed=5,
        counts={"purchase": PURCHASES, "inventorywriteoff": WRITE_OFFS, "product": 40},
    )


def _credit_note_rows(sb: Sandbox) -> tuple[list[int], list[tuple[Any, ...]]]:
    """The credited purchases (in order-number order) and the rows their own detail documents give."""
    ds = sb.dataset
    credited = sorted(
        (i for i in range(PURCHASES) if has_credit_note(ds, i)), key=lambda i: ds.purchases[i]["OrderNumber"]
    )
    rows: list[tuple[Any, ...]] = []
    for i in credited:
        summary, detail = ds.purchases[i], ds.detail("purchase", i)
        for note in detail["CreditNote"]:
            for number, line in enumerate(note["Lines"], start=1):
                rows.append(
                    (
                        summary["OrderNumber"],
                        cell(summary["OrderDate"], "date"),
                        summary["Supplier"],
                        summary["Status"],
                        detail["Location"],
                        summary["SupplierCurrency"],
                        note["CreditNoteNumber"],
                        cell(note["CreditNoteDate"], "date"),
                        note["Status"],
                        number,
                        *line_cells(line),
                    )
                )
    return credited, rows


def test_purchase_credit_note_lines_end_to_end(sb: Sandbox, tmp_path: Path) -> None:
    target = tmp_path / "credits.xlsx"
    request = ExportRequest(connect(sb), (ReportRequest("purchase-credit-note-lines"),), target)
    _, result = drive(ExportService(cache=None).run, request, CancelToken())

    credited, expected = _credit_note_rows(sb)
    assert 0 < len(credited) < PURCHASES  # only purchases with a credit note are read
    ds = sb.dataset
    assert len(expected) == sum(
        len(n["Lines"]) for i in credited for n in ds.detail("purchase", i)["CreditNote"]
    )
    rows = sheet_rows(target, "Purchase credit note lines")
    spec = catalogue.get("purchase-credit-note-lines")
    assert rows[0] == tuple(c.header for c in spec.columns if c.default)
    assert rows[0][:10] == (
        "Order number",
        "Order date",
        "Supplier",
        "Purchase status",
        "Location",
        "Currency",
        "Credit note number",
        "Credit note date",
        "Credit note status",
        "Line",
    )
    assert_same_rows(rows[1:], expected)

    assert result.complete and result.notes == (f"All {len(credited)} purchase credit notes arrived.",)
    assert result.sheets[0].rows == len(expected)
    assert result.calls_used == 1 + 1 + len(credited)  # me, one list page, one detail per credited purchase
    assert sb.call_counts().get("advanced-purchase", 0) == len(credited)
    assert about(target)["Rows in sheet Purchase credit note lines"] == [f"{len(expected):,}"]


def test_purchase_credit_note_lines_take_the_credit_note_filters(sb: Sandbox, tmp_path: Path) -> None:
    ds = sb.dataset
    credited, _ = _credit_note_rows(sb)
    supplier = ds.purchases[credited[0]]["Supplier"]
    target = tmp_path / "one-supplier.xlsx"
    report = ReportRequest(
        "purchase-credit-note-lines", filters={"Search": supplier}, columns=("OrderNumber", "Supplier")
    )
    drive(ExportService(cache=None).run, ExportRequest(connect(sb), (report,), target), CancelToken())
    wanted = [i for i in credited if supplier in ds.purchases[i]["Supplier"]]
    expected = [
        (ds.purchases[i]["OrderNumber"], ds.purchases[i]["Supplier"])
        for i in wanted
        for note in ds.detail("purchase", i)["CreditNote"]
        for _ in note["Lines"]
    ]
    assert expected
    assert sheet_rows(target, "Purchase credit note lines")[1:] == expected


def test_inventory_write_off_lines_end_to_end(sb: Sandbox, tmp_path: Path) -> None:
    target = tmp_path / "write-offs.xlsx"
    request = ExportRequest(connect(sb), (ReportRequest("inventory-write-off-lines"),), target)
    _, result = drive(ExportService(cache=None).run, request, CancelToken())

    ds = sb.dataset
    order = sorted(range(WRITE_OFFS), key=lambda i: ds.row("inventorywriteoff", i)["InventoryWriteOffNumber"])
    expected: list[tuple[Any, ...]] = []
    for i in order:
        summary, detail = ds.row("inventorywriteoff", i), ds.detail("inventorywriteoff", i)
        for number, line in enumerate(detail["Lines"], start=1):
            expected.append(
                (
                    summary["InventoryWriteOffNumber"],
                    cell(summary["Date"], "date"),
                    summary["Status"],
                    summary["Location"],
                    detail["Account"],
                    number,
                    line["SKU"],
                    line["ProductName"],
                    cell(line["BatchSN"], "text"),
                    cell(line["ExpiryDate"], "date"),
                    line["Quantity"],
                    line["Unit"],
                    line["UnitCost"],
                )
            )
    assert len(expected) == sum(len(ds.detail("inventorywriteoff", i)["Lines"]) for i in range(WRITE_OFFS))
    assert len(expected) > WRITE_OFFS
    rows = sheet_rows(target, "Inventory write-off lines")
    spec = catalogue.get("inventory-write-off-lines")
    assert rows[0] == tuple(c.header for c in spec.columns if c.default)
    assert rows[0][:6] == ("Write-off number", "Date", "Status", "Location", "Account", "Line")
    assert_same_rows(rows[1:], expected)

    assert result.complete and result.notes == (f"All {WRITE_OFFS} write-offs arrived.",)
    assert result.sheets[0].rows == len(expected)
    assert result.calls_used == 1 + 1 + WRITE_OFFS
    assert sb.call_counts().get("inventorywriteoff", 0) == WRITE_OFFS
