"""The stock history reports end to end: ``python -m app export`` against a sandbox, workbooks read back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from app.catalogue.stock_history import describe_type
from app.sandbox import Sandbox
from tests.cli.test_export_cli import export
from tests.services.exporting.test_run import sheet_rows

AS_OF = "2026-10-31"
TODAY = date(2026, 11, 30)


def about_text(path: Path) -> str:
    return "\n".join(
        " ".join(str(cell) for cell in row if cell is not None)
        for row in sheet_rows(path, "About this export")
    )


def day(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text[:10]) if text else None


@pytest.fixture
def stock_sandbox(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox(rate_limit=None, today=TODAY)


def read_products(sb: Sandbox) -> list[dict[str, Any]]:
    params = {"Limit": 1000, "IncludeMovements": "true", "IncludeDeprecated": "true"}
    answer = requests.get(sb.base_url + "product", params=params, headers=sb.headers, timeout=30)
    return list(answer.json()["Products"])


def test_stock_movements_lists_every_movement_once(stock_sandbox: Sandbox, tmp_path: Path) -> None:
    done = export(stock_sandbox, tmp_path, "--endpoint", "stock-movements", "--out", "m.xlsx")
    assert done.returncode == 0, done.stderr
    rows = sheet_rows(tmp_path / "m.xlsx", "Stock movements")
    assert rows[0] == (
        "Date", "Type", "Number", "Status", "SKU", "Product", "Location", "Batch or serial", "Expiry",
        "Quantity", "Value", "From/to", "Document ID",
    )  # fmt: skip
    expected = [
        (
            day(m["Date"]),
            describe_type(m["Type"])[0],
            m["Number"],
            m["Status"],
            p["SKU"],
            p["Name"],
            m["Location"],
            m["BatchSN"],
            day(m["ExpiryDate"]),
            m["Quantity"],
            m["Amount"],
            m["FromTo"] or None,
            m["TaskID"],
        )
        for p in sorted(read_products(stock_sandbox), key=lambda p: p["SKU"])
        for m in p["Movements"]
    ]
    assert len(expected) > 1000
    assert rows[1:] == expected
    assert f"{len(expected):,} movements were read" in about_text(tmp_path / "m.xlsx")


def test_stock_movements_filters_by_date_location_and_kind(stock_sandbox: Sandbox, tmp_path: Path) -> None:
    done = export(
        stock_sandbox, tmp_path, "--endpoint", "stock-movements", "--from", "2026-10-01", "--to", AS_OF,
        "--filter", "Location=main warehouse", "--filter", "MovementKind=Sales", "--out", "m.xlsx",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = sheet_rows(tmp_path / "m.xlsx", "Stock movements")[1:]
    expected = [
        (m["Number"], p["SKU"], m["Quantity"])
        for p in sorted(read_products(stock_sandbox), key=lambda p: p["SKU"])
        for m in p["Movements"]
        if "2026-10-01" <= m["Date"][:10] <= AS_OF
        and m["Location"] == "Main Warehouse"
        and describe_type(m["Type"])[1] == "Sales"
    ]
    assert expected and [(r[2], r[4], r[9]) for r in rows] == expected


def test_stock_at_date_is_what_the_movements_up_to_that_day_add_up_to(
    stock_sandbox: Sandbox, tmp_path: Path
) -> None:
    done = export(stock_sandbox, tmp_path, "--endpoint", "stock-at-date", "--as-of", AS_OF, "--out", "d.xlsx")
    assert done.returncode == 0, done.stderr
    rows = sheet_rows(tmp_path / "d.xlsx", "Stock on hand at a date")
    assert rows[0] == (
        "SKU",
        "Product",
        "Category",
        "Location",
        "Batch or serial",
        "Expiry",
        "Quantity",
        "Value",
    )
    totals: dict[tuple[str, str, str | None], list[float]] = defaultdict(lambda: [0.0, 0.0])
    products = {p["SKU"]: p for p in read_products(stock_sandbox)}
    for p in products.values():
        for m in p["Movements"]:
            if m["Date"][:10] <= AS_OF:
                totals[(p["SKU"], m["Location"], m["BatchSN"])][0] += m["Quantity"]
                totals[(p["SKU"], m["Location"], m["BatchSN"])][1] += m["Amount"]
    expected = {k: v for k, v in totals.items() if round(v[0], 4)}
    assert len(rows) - 1 == len(expected) > 100
    for sku, name, category, location, batch, expiry, quantity, value in rows[1:]:
        product = products[sku]
        assert (name, category) == (product["Name"], product["Category"])
        moved, worth = expected[(sku, location, batch)]
        assert quantity == pytest.approx(moved, abs=1e-6)
        assert value == pytest.approx(worth, abs=0.011)
        assert expiry == (day(product["Movements"][0]["ExpiryDate"]) if batch else None)
    text = about_text(tmp_path / "d.xlsx")
    assert "Stock check passed" in text and f"Stock at the end of {AS_OF}" in text


def test_stock_movement_summary_adds_up(stock_sandbox: Sandbox, tmp_path: Path) -> None:
    done = export(
        stock_sandbox, tmp_path, "--endpoint", "stock-movement-summary",
        "--from", "2026-10-01", "--to", AS_OF, "--out", "s.xlsx",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = sheet_rows(tmp_path / "s.xlsx", "Stock movement summary")
    header = rows[0]
    assert header[:7] == (
        "SKU",
        "Product",
        "Category",
        "Location",
        "Batch or serial",
        "Opening quantity",
        "Opening value",
    )
    kinds = ("Purchases", "Sales", "Transfers", "Adjustments", "Production", "Write-offs")
    assert header[7:19] == tuple(f"{kind} {way}" for kind in kinds for way in ("in", "out"))
    assert header[19:] == ("Closing quantity", "Closing value")
    by_place: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for p in read_products(stock_sandbox):
        for m in p["Movements"]:
            totals = by_place[(p["SKU"], m["Location"])]
            if m["Date"][:10] < "2026-10-01":
                totals[0] += m["Quantity"]
            elif m["Date"][:10] <= AS_OF:
                totals[1 if m["Quantity"] >= 0 else 2] += m["Quantity"]
    assert len(rows) > 100
    for row in rows[1:]:
        opening, moves, closing = row[5], row[7:19], row[19]
        ins, outs = sum(moves[0::2]), sum(moves[1::2])
        assert closing == pytest.approx(opening + ins - outs, abs=1e-6)
        before, came, went = by_place[(row[0], row[3])]
        assert (opening, ins, outs) == (pytest.approx(before), pytest.approx(came), pytest.approx(-went))


def test_availability_heads_stock_on_hand_as_a_value(stock_sandbox: Sandbox, tmp_path: Path) -> None:
    done = export(stock_sandbox, tmp_path, "--endpoint", "product-availability", "--out", "a.xlsx")
    assert done.returncode == 0, done.stderr
    rows = sheet_rows(tmp_path / "a.xlsx", "Stock on hand by location")
    assert "Stock value" in rows[0] and "Stock on hand" not in rows[0]
    value = rows[0].index("Stock value")
    on_hand = rows[0].index("On hand")
    assert any(row[value] and row[value] != row[on_hand] for row in rows[1:])


def test_as_of_needs_the_stock_at_date_report_and_a_past_date(stock_sandbox: Sandbox, tmp_path: Path) -> None:
    wrong = export(stock_sandbox, tmp_path, "--endpoint", "products", "--as-of", AS_OF, "--out", "p.xlsx")
    assert wrong.returncode == 2 and "--as-of applies to the stock-at-date report only" in wrong.stderr
    bad = export(
        stock_sandbox, tmp_path, "--endpoint", "stock-at-date", "--as-of", "31/10/2026", "--out", "p.xlsx"
    )
    assert bad.returncode == 2 and "is not a date for --as-of" in bad.stderr
    assert not (tmp_path / "p.xlsx").exists()
