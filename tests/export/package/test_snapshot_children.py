"""Snapshot reports with child sheets (``--include-children``): every sheet of the report keeps its days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from app.export.package.into import IntoWriter
from app.export.package.metadata import PlannedReport, ReportRecipe, WorkbookPlan
from app.models import ColumnSpec, ValueKind

SALES, LINES = "Sales", "Sale lines"
HEADERS = (ColumnSpec("Order", "Order"), ColumnSpec("Total", "Total", ValueKind.NUMBER))
CHILDREN = (ColumnSpec("Order", "Order"), ColumnSpec("Quantity", "Quantity", ValueKind.NUMBER))


def write(target: Path, day: date, sales: Sequence[Sequence[Any]], lines: Sequence[Sequence[Any]]) -> None:
    recipe = ReportRecipe("sales", "Acme", include_children=True, snapshot=True)
    plan = WorkbookPlan((PlannedReport(recipe, SALES),), into=True)
    with IntoWriter(target, plan=plan, today=day) as writer:
        main = writer.add_sheet(SALES, HEADERS)
        child = writer.add_sheet(LINES, CHILDREN)
        for row in sales:
            main.write_row(row)
        for row in lines:
            child.write_row(row)


def table(path: Path, name: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path)
    try:
        sheet = book[name]
        assert sheet.tables, f"{name} has its table"
        (ref,) = [t.ref for t in sheet.tables.values()]
        assert ref == f"A1:{chr(ord('A') + sheet.max_column - 1)}{sheet.max_row}"
        return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    finally:
        book.close()


def test_child_sheets_keep_each_days_rows_beside_the_main_sheets(tmp_path: Path) -> None:
    target = tmp_path / "history.xlsx"
    first, second = date(2026, 11, 30), date(2026, 12, 1)
    write(target, first, [["SO-1", 10]], [["SO-1", 1], ["SO-1", 2]])
    write(target, first, [["SO-1", 12]], [["SO-1", 3]])  # the same day again: that day replaced
    write(target, second, [["SO-2", 5]], [["SO-2", 4], ["SO-2", 6]])
    day1, day2 = datetime(2026, 11, 30), datetime(2026, 12, 1)
    assert openpyxl.load_workbook(target, read_only=True).sheetnames == [SALES, LINES, "About this export"]
    assert table(target, SALES) == [
        ("Snapshot date", "Order", "Total"),
        (day1, "SO-1", 12),
        (day2, "SO-2", 5),
    ]
    assert table(target, LINES) == [
        ("Snapshot date", "Order", "Quantity"),
        (day1, "SO-1", 3),
        (day2, "SO-2", 4),
        (day2, "SO-2", 6),
    ]
