"""The workbook writer, read back with openpyxl cell by cell: value, type and number format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.export import AboutInfo, open_writer
from app.export.values import DATE_FORMAT, DATETIME_FORMAT, MONEY_FORMAT
from app.export.xlsx import SAMPLE_ROWS
from app.models import ColumnSpec, OutputFormat
from app.models import ValueKind as K

GUID = "5f8ee220-0b6c-4a3c-9c1e-3b8b1e2a8d11"
LONG = "L" * 40_000


@dataclass(frozen=True)
class Case:
    kind: K
    raw: Any
    value: Any  # what openpyxl reads back
    data_type: str  # "s" text, "n" number, "d" date, "b" boolean; None cells read back as "n"
    number_format: str = "General"


CASES = [
    Case(K.TEXT, "Ünïcödé – 日本語 ✓ 😀", "Ünïcödé – 日本語 ✓ 😀", "s"),
    Case(K.TEXT, "שלום עולם مرحبا", "שלום עולם مرحبا", "s"),
    Case(K.TEXT, "He said \"hi\" & 'bye' <b>", "He said \"hi\" & 'bye' <b>", "s"),
    Case(
        K.TEXT, '=HYPERLINK("http://evil.example","click")', '=HYPERLINK("http://evil.example","click")', "s"
    ),
    Case(K.TEXT, "=1+1", "=1+1", "s"),
    Case(K.TEXT, "+1", "+1", "s"),
    Case(K.TEXT, "-x", "-x", "s"),
    Case(K.TEXT, "@foo", "@foo", "s"),
    Case(K.TEXT, "#N/A", "#N/A", "s"),
    Case(K.TEXT, "a\x00b\x07c\x1bd\te\nf", "abcd\te\nf", "s"),
    Case(K.TEXT, None, None, "n"),
    Case(K.TEXT, "", None, "n"),
    Case(K.TEXT, "00123", "00123", "s"),
    Case(K.TEXT, 4711, "4711", "s"),
    Case(K.ID, GUID, GUID, "s"),
    Case(K.ID, GUID.upper(), GUID.upper(), "s"),
    Case(K.NUMBER, 25.2803, 25.2803, "n"),
    Case(K.NUMBER, "1234.5678", 1234.5678, "n"),
    Case(K.NUMBER, 0.0001, 0.0001, "n"),
    Case(K.NUMBER, -17.25, -17.25, "n"),
    Case(K.NUMBER, 8, 8, "n"),
    Case(K.NUMBER, "N2", "N2", "s"),
    Case(K.NUMBER, "=2*3", "=2*3", "s"),
    Case(K.INTEGER, "42", 42, "n"),
    # Money: every digit DEAR sent stays in the cell; the format shows two decimals.
    Case(K.MONEY, 25.2803, 25.2803, "n", MONEY_FORMAT),
    Case(K.MONEY, "1234.5678", 1234.5678, "n", MONEY_FORMAT),
    Case(K.MONEY, -0.0049, -0.0049, "n", MONEY_FORMAT),
    Case(K.MONEY, 8, 8, "n", MONEY_FORMAT),
    Case(K.MONEY, None, None, "n"),
    Case(K.MONEY, "N/A", "N/A", "s"),
    Case(K.MONEY, "=2*3", "=2*3", "s"),
    # Quantities: plain numbers, no forced decimals.
    Case(K.QUANTITY, 2.5, 2.5, "n"),
    Case(K.QUANTITY, "12", 12, "n"),
    Case(K.QUANTITY, 0.3333, 0.3333, "n"),
    Case(K.BOOL, True, True, "b"),
    Case(K.BOOL, False, False, "b"),
    Case(K.BOOL, "true", True, "b"),
    Case(K.BOOL, "false", False, "b"),
    Case(K.BOOL, "maybe", "maybe", "s"),
    Case(K.DATE, "2024-03-05T00:00:00", datetime(2024, 3, 5), "d", DATE_FORMAT),
    Case(K.DATE, "2024-03-05", datetime(2024, 3, 5), "d", DATE_FORMAT),
    Case(K.DATE, "2024-03-05T13:28:33.363", datetime(2024, 3, 5, 13, 28, 33, 363000), "d", DATETIME_FORMAT),
    Case(K.DATE, "0001-01-01T00:00:00", "0001-01-01T00:00:00", "s"),
    Case(K.DATE, None, None, "n"),
    Case(
        K.DATETIME,
        "2012-11-14T13:28:33.363",
        datetime(2012, 11, 14, 13, 28, 33, 363000),
        "d",
        DATETIME_FORMAT,
    ),
    Case(
        K.DATETIME, "2018-01-24T05:07:23.917Z", datetime(2018, 1, 24, 5, 7, 23, 917000), "d", DATETIME_FORMAT
    ),
    Case(
        K.DATETIME,
        "2017-11-22T10:10:49.75Z",
        datetime(2017, 11, 22, 10, 10, 49, 750000),
        "d",
        DATETIME_FORMAT,
    ),
    # Excel keeps milliseconds: DEAR's 7 fraction digits come back rounded to 3.
    Case(
        K.DATETIME,
        "2017-12-05T06:54:54.9289846Z",
        datetime(2017, 12, 5, 6, 54, 54, 929000),
        "d",
        DATETIME_FORMAT,
    ),
    Case(
        K.DATETIME, "2026-08-28T12:59:44.05", datetime(2026, 8, 28, 12, 59, 44, 50000), "d", DATETIME_FORMAT
    ),
    Case(K.DATETIME, "2024-06-01T08:15:00Z", datetime(2024, 6, 1, 8, 15), "d", DATETIME_FORMAT),
    Case(K.DATETIME, "2021-07-31T00:00:00", datetime(2021, 7, 31), "d", DATETIME_FORMAT),
    Case(K.DATETIME, "2024-06-01T10:15:00+02:00", datetime(2024, 6, 1, 8, 15), "d", DATETIME_FORMAT),
    Case(K.DATETIME, "not a date", "not a date", "s"),
]


def _columns(cases: list[Case]) -> list[ColumnSpec]:
    return [ColumnSpec(f"f{i}", f"Case {i} {c.kind.value}", c.kind) for i, c in enumerate(cases)]


def _write(
    target: Path, sheets: dict[str, tuple[list[ColumnSpec], list[list[Any]]]], **kwargs: Any
) -> tuple[Path, ...]:
    with open_writer(target, OutputFormat.XLSX, **kwargs) as writer:
        for name, (columns, rows) in sheets.items():
            sheet = writer.add_sheet(name, columns)
            for row in rows:
                sheet.write_row(row)
    return writer.files


def test_every_awkward_value_round_trips_cell_by_cell(tmp_path: Path) -> None:
    target = tmp_path / "awkward.xlsx"
    columns = _columns(CASES)
    files = _write(target, {"Awkward": (columns, [[c.raw for c in CASES]])})
    assert files == (target,)

    ws = openpyxl.load_workbook(target)["Awkward"]
    assert ws.max_row == 2
    assert [cell.value for cell in ws[1]] == [c.header for c in columns]
    for index, case in enumerate(CASES):
        cell = ws.cell(row=2, column=index + 1)
        assert (cell.value, cell.data_type, cell.number_format) == (
            case.value,
            case.data_type,
            case.number_format,
        ), f"case {index}: {case.raw!r}"
        if isinstance(case.value, float):
            assert type(cell.value) is float
        if isinstance(case.value, int) and case.data_type == "n":
            assert type(cell.value) is int


def test_no_cell_anywhere_is_a_formula(tmp_path: Path) -> None:
    target = tmp_path / "formulas.xlsx"
    nasty = ["=1+1", "+1", "-1", "@SUM(A1)", '=HYPERLINK("x")', "=cmd|' /C calc'!A0"]
    columns = [ColumnSpec(f"f{i}", text, kind) for i, text in enumerate(nasty) for kind in (K.TEXT,)]
    _write(target, {"=Sheet": (columns, [nasty, nasty[::-1]])})
    workbook = openpyxl.load_workbook(target)
    checked = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                checked += 1
    assert checked > 3 * len(nasty)


def test_forty_thousand_characters_are_cut_with_a_marker(tmp_path: Path) -> None:
    target = tmp_path / "long.xlsx"
    _write(target, {"Long": ([ColumnSpec("a", "Notes"), ColumnSpec("b", "After")], [[LONG, "still here"]])})
    ws = openpyxl.load_workbook(target)["Long"]
    text = ws["A2"].value
    assert len(text) == 32_767
    assert text.endswith("… [truncated: 40,000 characters in DEAR]")
    assert text.startswith("L" * 32_000)
    assert ws["B2"].value == "still here"


def test_row_count_header_style_freeze_filter_and_widths(tmp_path: Path) -> None:
    target = tmp_path / "rows.xlsx"
    columns = [
        ColumnSpec("ID", "ID", K.INTEGER),
        ColumnSpec("Name", "Customer name", K.TEXT),
        ColumnSpec("Notes", "Notes", K.TEXT),
        ColumnSpec("When", "Order date", K.DATE),
    ]
    rows = [[n, f"Customer {n}", "n" * (n % 200), "2024-01-02T00:00:00"] for n in range(1, 138)]
    with open_writer(target, OutputFormat.XLSX) as writer:
        sheet = writer.add_sheet("Customers", columns)
        for row in rows:
            sheet.write_row(row)
        assert sheet.rows == len(rows)

    ws = openpyxl.load_workbook(target)["Customers"]
    assert ws.max_row == len(rows) + 1
    assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == list(range(1, 138))
    assert all(cell.font.bold for cell in ws[1])
    assert not ws["A2"].font.bold
    assert ws.freeze_panes == "A2"
    # The table carries the filter buttons; a sheet-level autofilter beside it would clash.
    assert ws.auto_filter.ref is None
    assert list(ws.tables) == ["Customers"]
    table = ws.tables["Customers"]
    assert table.ref == f"A1:D{len(rows) + 1}"
    assert table.autoFilter.ref == table.ref
    assert [c.name for c in table.tableColumns] == ["ID", "Customer name", "Notes", "Order date"]
    widths = {letter: ws.column_dimensions[letter].width for letter in "ABCD"}
    assert widths["A"] == 8  # "ID" and small numbers: the minimum
    assert widths["B"] == len("Customer name") + 2
    assert widths["C"] == SAMPLE_ROWS + 2  # row n holds n letters; only the first rows are sampled
    assert widths["D"] == 12  # a yyyy-mm-dd date + 2


def test_widths_are_capped(tmp_path: Path) -> None:
    target = tmp_path / "wide.xlsx"
    _write(target, {"Wide": ([ColumnSpec("a", "A")], [["w" * 500]])})
    ws = openpyxl.load_workbook(target)["Wide"]
    assert ws.column_dimensions["A"].width == 60


def test_a_full_sheet_continues_on_the_next_one_interleaved_with_others(tmp_path: Path) -> None:
    target = tmp_path / "overflow.xlsx"
    columns = [ColumnSpec("n", "Number", K.INTEGER), ColumnSpec("t", "Text")]
    with open_writer(target, OutputFormat.XLSX, max_rows=4) as writer:  # header + 3 rows a sheet
        sales = writer.add_sheet("Sales", columns)
        other = writer.add_sheet("Other", columns)
        for n in range(1, 8):
            sales.write_row([n, f"sale {n}"])
            if n % 3 == 0:
                other.write_row([n, f"other {n}"])
        assert sales.rows == 7
        assert other.rows == 2

    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["Sales", "Sales (2)", "Sales (3)", "Other", "About this export"]
    expected = {"Sales": [1, 2, 3], "Sales (2)": [4, 5, 6], "Sales (3)": [7], "Other": [3, 6]}
    for name, numbers in expected.items():
        ws = workbook[name]
        assert [c.value for c in ws[1]] == ["Number", "Text"]
        assert ws["A1"].font.bold
        assert ws.freeze_panes == "A2"
        assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == numbers
        assert ws.auto_filter.ref is None
        (table,) = ws.tables.values()
        assert table.ref == f"A1:B{len(numbers) + 1}"
    # A table cannot span sheets: each part has its own, named after the report.
    assert [next(iter(workbook[name].tables)) for name in expected] == [
        "Sales",
        "Sales_2",
        "Sales_3",
        "Other",
    ]
    about = {row[0].value: row[1].value for row in workbook["About this export"].iter_rows(min_row=2)}
    assert about["Rows in sheet Sales (2)"] == "3"
    assert about["Rows in sheet Sales (3)"] == "1"


def test_sheet_names_are_made_legal_and_unique(tmp_path: Path) -> None:
    target = tmp_path / "names.xlsx"
    columns = [ColumnSpec("a", "A")]
    wanted = ["Sales: 2024/25", "sales: 2024/25", "History", "", "x" * 40, "About this export"]
    with open_writer(target, OutputFormat.XLSX) as writer:
        for name in wanted:
            writer.add_sheet(name, columns).write_row([name])
    workbook = openpyxl.load_workbook(target)
    names = workbook.sheetnames
    assert names == [
        "Sales- 2024-25",
        "sales- 2024-25 (2)",
        "History data",
        "Sheet",
        "x" * 31,
        "About this export (2)",
        "About this export",
    ]
    assert [workbook[name]["A2"].value for name in names[:-1]] == [name or None for name in wanted]


def test_an_empty_report_still_has_its_header(tmp_path: Path) -> None:
    target = tmp_path / "empty.xlsx"
    with open_writer(target, OutputFormat.XLSX) as writer:
        sheet = writer.add_sheet("Nothing", [ColumnSpec("a", "Order"), ColumnSpec("b", "Total", K.NUMBER)])
        writer.set_about(AboutInfo(company="Acme"))
    assert sheet.rows == 0
    ws = openpyxl.load_workbook(target)["Nothing"]
    assert [c.value for c in ws[1]] == ["Order", "Total"]
    assert ws.max_row == 1
    # A table needs a data row: an empty report's covers one empty row.
    assert ws.tables["Nothing"].ref == "A1:B2"


def test_a_row_of_the_wrong_width_is_refused(tmp_path: Path) -> None:
    writer = open_writer(tmp_path / "w.xlsx", OutputFormat.XLSX)
    sheet = writer.add_sheet("S", [ColumnSpec("a", "A"), ColumnSpec("b", "B")])
    with pytest.raises(ValueError, match="expected 2 values"):
        sheet.write_row(["only one"])
    writer.discard()
    assert list(tmp_path.iterdir()) == []


def test_tables_are_named_after_their_report_and_columns_match_the_header(tmp_path: Path) -> None:
    target = tmp_path / "tables.xlsx"
    columns = [ColumnSpec("a", "Quantity", K.NUMBER), ColumnSpec("b", "quantity", K.NUMBER)]
    with open_writer(target, OutputFormat.XLSX) as writer:
        first = writer.add_sheet("Sale order lines", columns)
        first.write_row([1, 2])
        first.write_row([3, 4])
        writer.add_sheet("Sale order lines", columns).write_row([5, 6])
        writer.add_sheet("2024 stock", columns)
    workbook = openpyxl.load_workbook(target)
    tables = {name: dict(workbook[name].tables.items()) for name in workbook.sheetnames[:3]}
    assert list(tables["Sale order lines"]) == ["SaleOrderLines"]
    assert list(tables["Sale order lines (2)"]) == ["SaleOrderLines2"]
    assert list(tables["2024 stock"]) == ["T_2024Stock"]
    ws = workbook["Sale order lines"]
    # Table columns must be unique ignoring case, and the header cells must read the same.
    assert [c.value for c in ws[1]] == ["Quantity", "quantity (2)"]
    table = ws.tables["SaleOrderLines"]
    assert [c.name for c in table.tableColumns] == ["Quantity", "quantity (2)"]
    assert table.ref == "A1:B3"
    assert table.tableStyleInfo.name == "TableStyleMedium2"
