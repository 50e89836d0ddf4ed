"""The Profit summary digest: running totals by month, customer and product from report rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from app.catalogue.profit_summary import OTHERS, SHEET_NAME, TOP, ProfitSummary
from app.models import ExtraTable


def _row(month: str, customer: str, sku: str, revenue: str, cost: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "Date": f"2026-{month}-05T00:00:00",
        "Customer": customer,
        "SKU": sku,
        "Name": f"Item {sku}",
        "RevenueBase": Decimal(revenue),
    }
    if cost is not None:
        row["Cost"] = Decimal(cost)
    return row


def _tables(digest: ProfitSummary) -> dict[str, ExtraTable]:
    (sheet,) = digest.sheets()
    assert sheet.name == SHEET_NAME
    return {table.title.split(" (")[0]: table for table in sheet.tables}


def test_totals_by_month_keep_uncosted_revenue_apart() -> None:
    digest = ProfitSummary()
    digest.add(_row("02", "A", "S1", "100", "60"))
    digest.add(_row("01", "A", "S1", "50", "20"))
    digest.add(_row("02", "B", "S2", "30", None))  # goods not left yet
    digest.add(_row("02", "B", "S2", "-25", "-15"))  # a credit note with restocked goods
    tables = _tables(digest)
    assert tables["Whole period"].rows == (("All lines", 125, 65, 60, Decimal("48.00"), 30),)
    assert tables["By month"].rows == (
        ("2026-01", 50, 20, 30, Decimal("60.00"), 0),
        ("2026-02", 75, 45, 30, Decimal("40.00"), 30),
    )
    chart = tables["By month"].chart
    assert chart is not None and chart.series == ("Revenue", "Cost of goods", "Profit")


def test_rows_without_revenue_are_not_counted() -> None:
    digest = ProfitSummary()
    digest.add({"Customer": "A", "Cost": Decimal(5)})
    assert _tables(digest)["Whole period"].rows[0][1:4] == (0, 0, 0)
    assert _tables(digest)["By month"].rows == ()


@pytest.mark.parametrize("extra", [0, 5])
def test_customers_and_products_past_the_top_share_one_row(extra: int) -> None:
    digest = ProfitSummary()
    for n in range(TOP + extra):
        digest.add(_row("03", f"Customer {n:02d}", f"S{n:02d}", str(1000 - n), "1"))
    tables = _tables(digest)
    for title in ("By customer", "By product"):
        labels = [row[0] for row in tables[title].rows]
        assert labels[:3] == [
            f"Customer {n:02d}" if title == "By customer" else f"S{n:02d} Item S{n:02d}" for n in range(3)
        ]
        if extra:
            assert len(labels) == TOP + 1 and labels[-1] == OTHERS
            others = tables[title].rows[-1]
            assert others[1] == sum(1000 - n for n in range(TOP, TOP + extra)) and others[2] == extra
        else:
            assert len(labels) == TOP and OTHERS not in labels


def test_products_table_shows_categories_when_the_rows_carry_them() -> None:
    plain = ProfitSummary()
    plain.add(_row("03", "A", "S1", "10", "4"))
    table = _tables(plain)["By product"]
    assert [c.header for c in table.columns][:2] == ["Product", "Revenue"]

    digest = ProfitSummary()
    for n in range(TOP + 2):
        row = _row("03", "A", f"S{n:02d}", str(100 - n), "1")
        if n != 1:  # a product whose rows have no category (a charge, or Category not chosen)
            row["Category"] = f"Cat {n % 3}"
        digest.add(row)
    table = _tables(digest)["By product"]
    assert [c.header for c in table.columns][:3] == ["Product", "Category", "Revenue"]
    assert table.rows[0][:3] == ("S00 Item S00", "Cat 0", 100)
    assert table.rows[1][:3] == ("S01 Item S01", None, 99)
    assert table.rows[2][:2] == ("S02 Item S02", "Cat 2")
    assert table.rows[-1][:3] == (OTHERS, None, 80 + 79)
    assert all(len(row) == len(table.columns) for row in table.rows)
