"""A real export's workbook, read back cell by cell: money shows 2 decimals and keeps every digit."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from app.export.values import MONEY_FORMAT
from app.models import CancelToken, Connection, ExportRequest, OutputFormat, RateLimit, ReportRequest
from app.sandbox import Sandbox
from app.services.exporting import ExportService

MONEY = ("Price", "Tax", "Line total")
PLAIN = ("Quantity", "Discount %")


@pytest.fixture
def sb(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox(rate_limit=None, counts={"sale": 30, "customer": 10, "product": 20})


def export(sb: Sandbox, target: Path, fmt: OutputFormat) -> None:
    connection = Connection("Sandbox", sb.account_id, sb.application_key, sb.base_url, RateLimit(1000, 1))
    request = ExportRequest(connection, (ReportRequest("sale-order-lines"),), target, format=fmt)
    ExportService(cache=None).run(request, CancelToken())


def test_money_cells_have_the_money_format_and_every_digit(sb: Sandbox, tmp_path: Path) -> None:
    target = tmp_path / "lines.xlsx"
    export(sb, target, OutputFormat.XLSX)
    ws = openpyxl.load_workbook(target)["Sale order lines"]
    header = [cell.value for cell in ws[1]]
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) > 30
    more_than_two_decimals = 0
    for name in MONEY:
        cells = [row[header.index(name)] for row in rows]
        for cell in cells:
            assert (cell.data_type, cell.number_format) == ("n", MONEY_FORMAT), (name, cell.coordinate)
        more_than_two_decimals += sum(
            1 for c in cells if c.value is not None and round(c.value, 2) != c.value
        )
    assert more_than_two_decimals > 0  # DEAR's 4 decimals are kept, only shown as 2
    for name in PLAIN:
        for row in rows:
            cell = row[header.index(name)]
            assert (cell.data_type, cell.number_format) == ("n", "General"), (name, cell.coordinate)


def test_csv_keeps_full_precision_unformatted(sb: Sandbox, tmp_path: Path) -> None:
    export(sb, tmp_path / "x.xlsx", OutputFormat.XLSX)
    export(sb, tmp_path / "lines.csv", OutputFormat.CSV)
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")["Sale order lines"]
    header = [cell.value for cell in ws[1]]
    book = [row[header.index("Price")] for row in ws.iter_rows(min_row=2, values_only=True)]
    with open(tmp_path / "lines.csv", encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    prices = [line[lines[0].index("Price")] for line in lines[1:]]
    assert [float(text) for text in prices] == book
    assert any(len(text.partition(".")[2]) > 2 for text in prices)
