"""sale-profit-lines end to end: the command line against the sandbox, checked against DEAR's own documents.

The export runs as a scheduler runs it (``python -m app export``). The workbook is read back and
every row's revenue, cost and profit is worked out again from the sale documents fetched over
HTTP from the sandbox (and the cost cross-checked against the products' AverageCost), the
summary sheet is recomputed from the lines sheet, and LibreOffice opens the chart.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import requests

from app.sandbox import Sandbox, SandboxConfig
from tests.cli_process import run_cli
from tests.integration.test_libreoffice import REQUIRE, SYSTEM_PYTHON, _missing

CHART_DRIVER = Path(__file__).with_name("chart_driver.py")
LINES, SUMMARY = "Sale profit by line", "Profit summary"
SALES = 160
TOL = 1e-3


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, Path]]:
    sb = Sandbox(SandboxConfig(size="small", seed=1, rate_limit=None, counts={"sale": SALES})).start()
    folder = tmp_path_factory.mktemp("profit")
    target = folder / "p.xlsx"
    try:
        done = run_cli(sb, folder / "home", "export", "--endpoint", "sale-profit-lines", "--out", str(target))
        assert done.returncode == 0, done.stderr
        yield sb, target
    finally:
        sb.stop()


def _get(sb: Sandbox, path: str, **params: Any) -> Any:
    response = requests.get(sb.base_url + path, params=params, headers=sb.headers, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def _documents(sb: Sandbox) -> list[dict[str, Any]]:
    """Every sale's full document, in order number order, as DEAR (the sandbox) sends it."""
    listed = _get(sb, "saleList", Limit=1000)["SaleList"]
    listed.sort(key=lambda row: row["OrderNumber"])
    return [_get(sb, "sale", ID=row["SaleID"]) for row in listed]


def _average_costs(sb: Sandbox) -> dict[str, float]:
    products = _get(sb, "product", Limit=1000)["Products"]
    return {row["ID"].lower(): float(row["AverageCost"]) for row in products}


def _expected_rows(sale: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The rows this sale must give, worked out here from its document (goods leaving: COGS < 0)."""
    credit_tasks = {note["TaskID"].lower() for note in sale["CreditNotes"]}
    by_group: dict[tuple[str, str], float] = defaultdict(float)
    for row in sale.get("InventoryMovements", []):
        task = row["TaskID"].lower()
        by_group[(task if task in credit_tasks else "", row["ProductID"].lower())] -= row["COGS"]

    def rows(doc: dict[str, Any], sign: int, group: str, rate: float) -> Iterator[dict[str, Any]]:
        quantities: dict[str, float] = defaultdict(float)
        for line in doc["Lines"]:
            quantities[line["ProductID"].lower()] += abs(line["Quantity"])
        for line in doc["Lines"]:
            product = line["ProductID"].lower()
            revenue = sign * line["Total"]
            cost = by_group.get((group, product))
            if cost is not None:
                cost = cost * abs(line["Quantity"]) / quantities[product]
            elif sign < 0 and not any(r["ProductID"].lower() == product for r in doc.get("Restock", [])):
                cost = 0.0
            yield {
                "sku": line["SKU"],
                "quantity": sign * abs(line["Quantity"]),
                "revenue": revenue,
                "rate": rate,
                "cost": cost,
            }
        for charge in doc["AdditionalCharges"]:
            yield {
                "sku": None,
                "quantity": sign * charge["Quantity"],
                "revenue": sign * charge["Total"],
                "rate": rate,
                "cost": 0.0,
            }

    for invoice in sale["Invoices"]:
        yield from rows(invoice, 1, "", invoice["CurrencyConversionRate"])
    for note in sale["CreditNotes"]:
        yield from rows(note, -1, note["TaskID"].lower(), note["CreditNoteConversionRate"])


def _sheet_rows(path: Path, name: str) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(path)[name]
    values = list(sheet.iter_rows(values_only=True))
    headers = values[0]
    return [dict(zip(headers, row, strict=True)) for row in values[1:]]


def test_every_row_matches_the_sale_documents(exported: tuple[Sandbox, Path]) -> None:
    sb, path = exported
    written = _sheet_rows(path, LINES)
    expected = [(sale, row) for sale in _documents(sb) for row in _expected_rows(sale)]
    assert len(written) == len(expected)
    seen = defaultdict(int)
    for got, (sale, want) in zip(written, expected, strict=True):
        assert got["Order number"] == sale["Order"]["SaleOrderNumber"]
        assert got["Customer"] == sale["Customer"]
        assert got["SKU"] == want["sku"]
        assert got["Quantity"] == pytest.approx(want["quantity"])
        assert got["Revenue (sale currency)"] == pytest.approx(want["revenue"], abs=TOL)
        assert got["Revenue (base currency)"] == pytest.approx(want["revenue"] * want["rate"], abs=TOL)
        if want["cost"] is None:
            # Goods not left yet: no cost and no profit, and a note saying why.
            assert got["Cost of goods"] is None and got["Profit"] is None, got
            assert got["Cost note"], got
            seen["uncosted"] += 1
        else:
            assert got["Cost of goods"] == pytest.approx(want["cost"], abs=TOL)
            profit = want["revenue"] * want["rate"] - want["cost"]
            assert got["Profit"] == pytest.approx(profit, abs=TOL)
            if want["revenue"]:
                assert got["Margin %"] == pytest.approx(
                    profit / (want["revenue"] * want["rate"]) * 100, abs=0.01
                )
        seen["credit"] += got["Document"] == "Credit note"
        seen["charge"] += got["SKU"] is None
        seen["foreign"] += want["rate"] != 1
    # The sandbox's awkward cases all reached the sheet.
    assert all(seen[kind] > 0 for kind in ("uncosted", "credit", "charge", "foreign")), seen


def test_cost_is_the_products_average_cost_and_corrections_net_to_zero(
    exported: tuple[Sandbox, Path],
) -> None:
    sb, path = exported
    costs = _average_costs(sb)
    written = _sheet_rows(path, LINES)
    by_invoice: dict[str, float] = defaultdict(float)
    for row in written:
        if row["Document"] == "Invoice" and row["Cost of goods"] is not None:
            by_invoice[row["Invoice number"]] += row["Cost of goods"]
    checked = duplicated = corrected = 0
    for sale in _documents(sb):
        if not sale["Invoices"] or not sale.get("InventoryMovements"):
            continue
        shipped = sum(line["Quantity"] * costs[line["ProductID"].lower()] for line in sale["Order"]["Lines"])
        assert by_invoice[sale["Invoices"][0]["InvoiceNumber"]] == pytest.approx(shipped, abs=TOL)
        checked += 1
        products = [line["ProductID"] for line in sale["Invoices"][0]["Lines"]]
        duplicated += len(products) != len(set(products))
        keys = [(row["TaskID"], row["ProductID"]) for row in sale["InventoryMovements"]]
        corrected += len(keys) != len(set(keys)) and not sale["CreditNotes"]
    assert checked > 20 and duplicated > 0 and corrected > 0, (checked, duplicated, corrected)


def _tables(path: Path, categories: dict[str, Any] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """The summary sheet's tables by title: the rows under each header row, without a Category column.

    A table's Category cells (the products table's) go into ``categories`` by the row's first cell.
    """
    sheet = openpyxl.load_workbook(path)[SUMMARY]
    tables: dict[str, list[tuple[Any, ...]]] = {}
    title: str | None = None
    at_category: int | None = None
    rows = list(sheet.iter_rows(values_only=True))
    for before, row in itertools.pairwise(rows):
        if row[0] is not None and "Revenue" in row:
            title = str(before[0])
            tables[title] = []
            at_category = row.index("Category") if "Category" in row else None
        elif title is not None and row[0] is not None:
            if at_category is not None:
                if categories is not None:
                    categories[row[0]] = row[at_category]
                row = row[:at_category] + row[at_category + 1 :]
            tables[title].append(tuple(row[:6]))  # the sheet is as wide as its widest table
        elif row[0] is None:
            title = None
    return tables


def _totals(rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], str]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in rows:
        values = out[key(row)]
        if row["Cost of goods"] is None:
            values[2] += row["Revenue (base currency)"]
        else:
            values[0] += row["Revenue (base currency)"]
            values[1] += row["Cost of goods"]
    return out


def _check(table: list[tuple[Any, ...]], totals: dict[str, list[float]], top: int | None) -> None:
    expected = dict(totals)
    if top is not None and len(expected) > top:
        ranked = sorted(expected.items(), key=lambda item: (-(item[1][0] + item[1][2]), item[0]))
        others = [sum(values[i] for _, values in ranked[top:]) for i in range(3)]
        expected = dict(ranked[:top])
        expected["All others"] = others
        assert table[-1][0] == "All others"
    assert [row[0] for row in table] == (list(expected) if top is not None else sorted(expected))
    for label, revenue, cost, profit, margin, uncosted in table:
        want = expected[label]
        assert revenue == pytest.approx(want[0], abs=TOL)
        assert cost == pytest.approx(want[1], abs=TOL)
        assert profit == pytest.approx(want[0] - want[1], abs=TOL)
        assert uncosted == pytest.approx(want[2], abs=TOL)
        if want[0]:
            assert margin == pytest.approx((want[0] - want[1]) / want[0] * 100, abs=0.01)


def test_summary_sheet_adds_up_the_lines_sheet(exported: tuple[Sandbox, Path]) -> None:
    _, path = exported
    assert openpyxl.load_workbook(path).sheetnames[:2] == [SUMMARY, LINES]
    lines = _sheet_rows(path, LINES)
    tables = _tables(path)
    _check(tables["Whole period"], _totals(lines, lambda row: "All lines"), None)
    _check(
        tables["By month"], _totals(lines, lambda row: f"{row['Invoice or credit note date']:%Y-%m}"), None
    )
    by_customer = _totals(lines, lambda row: row["Customer"])
    assert len(by_customer) > 20  # so "All others" is exercised
    _check(tables["By customer (top 20 by revenue)"], by_customer, 20)

    def product(row: dict[str, Any]) -> str:
        return f"{row['SKU']} {row['Product or charge']}" if row["SKU"] else row["Product or charge"]

    _check(tables["By product (top 20 by revenue)"], _totals(lines, product), 20)


def test_lines_and_the_products_table_show_the_products_categories(exported: tuple[Sandbox, Path]) -> None:
    """Category comes from the product list (GET /product), read once by the export, not from the sale."""
    sb, path = exported
    products = _get(sb, "product", Limit=1000, IncludeDeprecated="true")["Products"]
    assert len(products) < 1000  # one page holds them all
    category_of = {row["SKU"]: row["Category"] for row in products}
    lines = _sheet_rows(path, LINES)
    for row in lines:
        want = category_of[row["SKU"]] if row["SKU"] else None
        assert row["Category"] == want, row
    assert len({row["Category"] for row in lines}) > 2
    shown: dict[str, Any] = {}
    _tables(path, shown)
    products_table = [label for label in shown if label != "All others"]
    assert len(products_table) == 20 and shown.get("All others") is None
    for label in products_table:
        sku = next(row["SKU"] for row in lines if f"{row['SKU']} {row['Product or charge']}" == label)
        assert shown[label] == category_of[sku], label


def test_money_shows_two_decimals_and_margin_stays_a_plain_percent_number(
    exported: tuple[Sandbox, Path],
) -> None:
    """Money columns get the money format on both sheets; "Margin %" holds percent units (12.5 means
    12.5 %), so it keeps General: a percentage format would show it a hundred times too big."""
    _, path = exported
    book = openpyxl.load_workbook(path)
    money = {"Revenue (sale currency)", "Revenue (base currency)", "Cost of goods", "Profit"}
    lines = book[LINES]
    headers = [cell.value for cell in lines[1]]
    formats: dict[str, set[str]] = defaultdict(set)
    for row in lines.iter_rows(min_row=2):
        for header, cell in zip(headers, row, strict=True):
            if isinstance(cell.value, (int, float)):
                formats[str(header)].add(cell.number_format)
    assert all(formats[name] == {"#,##0.00"} for name in money), dict(formats)
    assert formats["Margin %"] == {"General"} and formats["Quantity"] == {"General"}
    summary = book[SUMMARY]
    found: dict[str, set[str]] = defaultdict(set)
    header: list[Any] = []
    for row in summary.iter_rows():
        values = [cell.value for cell in row]
        if values[0] is not None and "Revenue" in values:  # a table's header (products: with Category)
            header = values
            continue
        for name, cell in zip(header, row, strict=False):
            if isinstance(cell.value, (int, float)):
                found[str(name)].add(cell.number_format)
    assert found["Revenue"] == found["Cost of goods"] == found["Profit"] == {"#,##0.00"}, dict(found)
    assert found["Margin %"] == {"General"}


def test_libreoffice_opens_the_chart_of_the_month_table(exported: tuple[Sandbox, Path]) -> None:
    reason = _missing()
    if reason is not None:
        if os.environ.get(REQUIRE):
            pytest.fail(f"{REQUIRE} is set but LibreOffice cannot be driven ({reason}).", pytrace=False)
        pytest.skip(f"LibreOffice cannot be driven here ({reason})")
    _, path = exported
    done = subprocess.run(
        [str(SYSTEM_PYTHON), str(CHART_DRIVER), str(path), SUMMARY],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["sheets"][:2] == [SUMMARY, LINES]
    (chart,) = seen["charts"]
    assert chart["title"] == "Revenue, cost and profit by month"
    months = _tables(path)["By month"]
    assert chart["categories"] == [row[0] for row in months]
    assert [series["name"] for series in chart["series"]] == ["Revenue", "Cost of goods", "Profit"]
    for column, series in enumerate(chart["series"], start=1):
        assert series["values"] == pytest.approx([row[column] for row in months])


def test_csv_leaves_the_summary_out_and_says_so(exported: tuple[Sandbox, Path], tmp_path: Path) -> None:
    sb, _ = exported
    out = str(tmp_path / "p.csv")
    done = run_cli(
        sb, tmp_path / "home", "export", "--format", "csv", "--endpoint", "sale-profit-lines", "--out", out
    )
    assert done.returncode == 0, done.stderr
    assert 'The "Profit summary" sheet is made in Excel workbooks only' in done.stdout
    assert sorted(path.name for path in tmp_path.glob("*.csv")) == ["p - About.csv", "p.csv"]
    about = (tmp_path / "p - About.csv").read_text(encoding="utf-8-sig")
    assert "Profit summary" in about
