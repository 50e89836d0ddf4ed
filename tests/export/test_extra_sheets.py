"""Extra sheets a report adds from its rows: placed before its sheet, tables and a native chart."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from app.export import open_writer
from app.models import ColumnSpec, ExtraChart, ExtraSheet, ExtraTable, OutputFormat
from app.models import ValueKind as K

COLUMNS = (
    ColumnSpec("Label", "Month"),
    ColumnSpec("A", "Revenue", K.MONEY),
    ColumnSpec("B", "Cost", K.NUMBER),
)
SUMMARY = ExtraSheet(
    "Summary",
    (
        ExtraTable("Total", COLUMNS, (("All", 30, 12),)),
        ExtraTable(
            "By month",
            COLUMNS,
            (("2026-01", 10, 4), ("2026-02", 20, 8), ("=HYPERLINK(1)", 0, 0)),
            ExtraChart("Revenue and cost", ("Revenue", "Cost")),
        ),
    ),
    notes=("From the report's rows.",),
)


def test_extra_sheet_goes_before_its_report_with_tables_and_a_chart(tmp_path: Path) -> None:
    target = tmp_path / "book.xlsx"
    with open_writer(target, OutputFormat.XLSX, max_rows=3) as writer:
        other = writer.add_sheet("Other", (ColumnSpec("x", "X"),))
        other.write_row(["o"])
        sheet = writer.add_sheet("Lines", (ColumnSpec("x", "X"),))
        for n in range(5):  # header + 2 rows a sheet: "Lines" continues twice
            sheet.write_row([str(n)])
        assert writer.add_extra_sheets([SUMMARY], before=sheet) == ""
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Other", "Summary", "Lines", "Lines (2)", "Lines (3)", "About this export"]
    rows = list(book["Summary"].iter_rows(values_only=True))
    assert rows == [
        ("Summary", None, None),
        ("From the report's rows.", None, None),
        (None, None, None),
        ("Total", None, None),
        ("Month", "Revenue", "Cost"),
        ("All", 30, 12),
        (None, None, None),
        ("By month", None, None),
        ("Month", "Revenue", "Cost"),
        ("2026-01", 10, 4),
        ("2026-02", 20, 8),
        ("=HYPERLINK(1)", 0, 0),
    ]
    assert book["Summary"]["A12"].data_type == "s"  # text that looks like a formula stays text
    # Money as on the report's own sheet (values.MONEY_FORMAT); other numbers keep General.
    assert [book["Summary"][f"B{n}"].number_format for n in (6, 10, 11, 12)] == ["#,##0.00"] * 4
    assert [book["Summary"][f"C{n}"].number_format for n in (6, 10)] == ["General"] * 2
    # One native chart, its series and categories drawn from the month table's own cells.
    with zipfile.ZipFile(target) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = archive.read(charts[0]).decode()
    assert "<barChart>" in xml and "Revenue and cost" in xml
    assert "<f>'Summary'!B9</f>" in xml and "<f>'Summary'!C9</f>" in xml  # series names: the header cells
    assert "'Summary'!$B$10:$B$12" in xml and "'Summary'!$A$10:$A$12" in xml


def test_csv_leaves_the_extra_sheets_out_and_says_so(tmp_path: Path) -> None:
    target = tmp_path / "lines.csv"
    with open_writer(target, OutputFormat.CSV) as writer:
        sheet = writer.add_sheet("Lines", (ColumnSpec("x", "X"),))
        sheet.write_row(["a"])
        note = writer.add_extra_sheets([SUMMARY], before=sheet)
    assert note == 'The "Summary" sheet is made in Excel workbooks only; export to Excel to see it.'
    assert "Summary" not in " ".join(path.name for path in writer.files)


def test_no_extra_sheets_add_nothing(tmp_path: Path) -> None:
    target = tmp_path / "book.xlsx"
    with open_writer(target, OutputFormat.XLSX) as writer:
        sheet = writer.add_sheet("Lines", (ColumnSpec("x", "X"),))
        assert writer.add_extra_sheets([], before=sheet) == ""
    assert openpyxl.load_workbook(target).sheetnames == ["Lines", "About this export"]
